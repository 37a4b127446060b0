//! wasm-bindgen bindings: the only module that knows JavaScript, one file per protocol,
//! mirroring the core. Every export crosses the same way (`boundary`): flat primitive
//! arguments (an options bag as one JSON text) in, a string out, failures as JSON text that
//! the facade (`pkg-template/src/`) turns into coded `Error`s.
#![forbid(unsafe_code)]

mod boundary;
mod connect;
mod explain;
mod incoming;
mod keys;
mod oauth1;
mod trusted_apps;
