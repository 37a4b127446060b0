//! atlassian-sign: the signing core for Atlassian integrations.
//!
//! Connect JWTs and their query string hash, OAuth 1.0a, RS256 install callbacks, Forge
//! invocation tokens, ASAP and trusted applications, with explanations of mismatches. This
//! crate is plain Rust; the JavaScript bindings live in `src/wasm/` (wasm32 only).
//!
//! The source is layered; each layer uses only the layers listed before it:
//!
//! - `primitives/`: building blocks with no protocol in them (encodings, JSON, URLs, keys,
//!   RSA, HMAC, sorting).
//! - `protocols/`: the signing schemes (JWT and qsh, Connect, incoming requests, Forge, ASAP,
//!   trusted applications, OAuth 1.0a).
//! - `explain/`: explanations of refused requests, over the protocols.
//!
//! The layers are private; every public module is re-exported here under its stable path
//! (`atlassian_sign::oauth1`, `atlassian_sign::request`, ...).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod error;
pub mod explain;
mod primitives;
mod protocols;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, Result};
pub use primitives::{encoding, json, keys, rsa, url as request};
pub use protocols::{asap, connect, forge, incoming, jwt, oauth1, qsh, trusted_apps};
