//! wasm-bindgen bindings: the only module that knows JavaScript.
