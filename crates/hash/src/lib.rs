//! SHA and HMAC for atlassian-sign, over the RustCrypto `sha1`, `sha2` and `hmac` crates.
//!
//! A crate of its own so that it builds for size: the block compressions, which are all of the
//! time, are the hash crates' own functions and build at full speed (see the workspace profile);
//! what this crate instantiates around them (buffering, padding, the HMAC pads, four hashes each)
//! is 13 KB of wasm at opt-level 3 and a third of that for size, with no measurable cost.
//! `atlassian-sign-base` re-exports both modules as `primitives::hash` and `primitives::mac`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod hash;
pub mod mac;
