//! The hot building blocks of atlassian-sign, in their own crate so that they build for speed
//! while the rest builds for size: percent-encoding, base64 and forms, the strict JSON module,
//! the URL as the signer sees it, SHA and HMAC (re-exported from `atlassian-sign-hash`), sorting, the error type, and
//! the Connect qsh. `atlassian-sign` re-exports every module under its stable path; use that
//! crate, not this one.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod error;

/// Building blocks with no protocol in them.
pub mod primitives {
    pub mod encoding;
    pub mod json;
    pub mod sort;
    pub mod url;
    // In a crate of their own, which builds for size (the compressions build at full speed).
    pub use atlassian_sign_hash::{hash, mac};
}

/// The protocol code that is hot: the canonical request and its hash.
pub mod protocols {
    pub mod qsh;
}

pub use error::{Error, Result};
// The `json!` macro names `$crate::json`.
pub use primitives::json;
