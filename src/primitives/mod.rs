//! Building blocks with no protocol in them. Nothing here imports `crate::protocols` or
//! `crate::explain` (`scripts/check-layout.mjs` checks it). The hot ones (encodings, JSON, the
//! URL, hashes and HMAC, sorting) are the `atlassian-sign-base` crate (crates/base), built for
//! speed; keys and RSA are here.

pub use atlassian_sign_base::primitives::{encoding, hash, json, mac, sort, url};
pub mod keys;
pub mod rsa;
