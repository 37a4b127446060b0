//! The signing schemes, built on `crate::primitives`. Nothing here imports `crate::explain`
//! (`scripts/check-layout.mjs` checks it).

pub mod asap;
pub mod connect;
pub mod forge;
pub mod incoming;
pub mod jwt;
pub mod oauth1;
pub mod qsh;
pub mod trusted_apps;
