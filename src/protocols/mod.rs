//! The signing schemes, built on `crate::primitives`. The qsh (hot) is in the
//! `atlassian-sign-base` crate. Nothing here imports `crate::explain`
//! (`scripts/check-layout.mjs` checks it).

pub mod asap;
pub mod connect;
pub mod forge;
pub mod incoming;
pub mod jwt;
pub mod oauth1;
pub use atlassian_sign_base::protocols::qsh;
pub mod trusted_apps;
