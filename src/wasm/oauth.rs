//! OAuth 1.0a bindings (signOAuth with the WebCrypto fast path, signOAuthSync, verifyOAuth, flow helpers).
