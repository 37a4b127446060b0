//! atlassian-sign: the signing core for Atlassian integrations.
//!
//! Connect JWTs and their query string hash, OAuth 1.0a, RS256 install callbacks, Forge
//! invocation tokens, ASAP and trusted applications, with explanations of mismatches. This
//! crate is plain Rust; the JavaScript bindings live in `src/wasm/` (wasm32 only).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod asap;
pub mod connect;
pub mod encoding;
pub mod error;
pub mod explain;
pub mod forge;
pub mod incoming;
pub mod json;
pub mod jwt;
pub mod keys;
mod mac;
pub mod oauth1;
pub mod qsh;
pub mod request;
pub mod rsa;
mod sort;
pub mod trusted_apps;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, Result};
