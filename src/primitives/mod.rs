//! Building blocks with no protocol in them. Nothing here imports `crate::protocols` or
//! `crate::explain` (`scripts/check-layout.mjs` checks it).

pub mod encoding;
pub mod json;
pub mod keys;
pub(crate) mod mac;
pub mod rsa;
pub mod sort;
pub mod url;
