//! wasm-bindgen bindings: the only module that knows JavaScript.
//!
//! Every export takes plain JS values, checks their types (a wrong type is a `TypeError`
//! with code `ERR_INVALID_INPUT`), calls the core once, and turns core errors into `Error`s
//! with a stable `code`.

mod api;
mod convert;
mod explain;
mod fast;
mod incoming;
mod oauth;
mod trusted;
