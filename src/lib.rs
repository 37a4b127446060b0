//! atlassian-sign: the signing core for Atlassian integrations.
//!
//! Connect JWTs and their query string hash, OAuth 1.0a, RS256 install callbacks, Forge
//! invocation tokens, ASAP and trusted applications. This crate is plain Rust: explanations of
//! refused requests are `crates/explain` (atlassian-sign-explain), the JavaScript bindings
//! `crates/wasm` (atlassian-sign-wasm), both over this crate.
//!
//! The source is layered; each layer uses only the layers listed before it:
//!
//! - `primitives/`: building blocks with no protocol in them (encodings, JSON, URLs, keys,
//!   RSA, HMAC, sorting).
//! - `protocols/`: the signing schemes (JWT and qsh, Connect, incoming requests, Forge, ASAP,
//!   trusted applications, OAuth 1.0a).
//!
//! The crates over it: `crates/explain` (why a request was refused), then `crates/wasm` (the
//! bindings). Each crate builds with its own optimisation level: this one for speed and size,
//! explain and the bindings for size.
//!
//! The layers are private; every public module is re-exported here under its stable path
//! (`atlassian_sign::oauth1`, `atlassian_sign::request`, ...).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub use atlassian_sign_base::error;
mod primitives;
mod protocols;

pub use error::{Error, Result};
pub use primitives::{encoding, json, keys, rsa, sort, url as request};
pub use protocols::{asap, connect, forge, incoming, jwt, oauth1, qsh, trusted_apps};
