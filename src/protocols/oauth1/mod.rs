//! OAuth 1.0a request signing and verification (RFC 5849), as Atlassian Data Center checks it.
//!
//! - Signature base string: RFC 5849 section 3.4.1, built from pieces (method, base string URI,
//!   normalised parameters); the parameters come from the query, the form body and the
//!   protocol parameters, repeated names all kept.
//! - Signature methods: section 3.4.2 (HMAC-SHA1), 3.4.3 (RSA-SHA1), 3.4.4 (PLAINTEXT), plus
//!   HMAC-SHA256 and RSA-SHA256 as other providers use them. Atlassian Data Center accepts
//!   only RSA-SHA1 for incoming Application Links (net.oauth `OAuthSignatureMethod`).
//! - Authorization header: section 3.5.1, every value percent-encoded (the signature too).
//! - Verification follows net.oauth `SimpleOAuthValidator` and answers with its problem names
//!   (`signature_invalid`, `timestamp_refused`, ...), the "OAuth Problem Reporting" extension.
//! - Three-legged flow helpers for the `/plugins/servlet/oauth/*` endpoints of Jira,
//!   Confluence and Bitbucket Data Center, and parsers for their token and problem responses.
//!
//! Time is always a parameter: `SystemTime::now` panics on `wasm32-unknown-unknown`.
//!
//! Files: `signature.rs` (the methods, and signatures over a base string), `base_string.rs`,
//! `sign.rs` (the client side), `header.rs` (the Authorization header both ways), `verify.rs`
//! (the provider side) and `flow.rs` (the three-legged flow and the provider's answers).

mod base_string;
mod flow;
mod header;
mod sign;
mod signature;
mod verify;

pub use base_string::{base_string, base_string_uri, normalize_parameters};
pub use flow::{
    access_token_url, authorize_url, parse_problem, parse_token_response, request_token_url,
    Problem, TokenResponse,
};
pub use header::{authorization_header, parse_authorization_header};
pub use sign::{
    finish, generate_nonce, prepare, sign, Credentials, Prepared, Request, SignedRequest,
};
pub use signature::{
    compute_signature, require_private_key, signing_key, verify_signature, SignatureKey,
    SignatureMethod,
};
pub use verify::{verify, NonceSeen, VerifyOptions, VerifyOutcome};

/// The `oauth_version` value this crate sends and accepts.
pub const OAUTH_VERSION: &str = "1.0";

/// The clock skew net.oauth allows by default (`SimpleOAuthValidator`: 5 minutes).
pub const DEFAULT_WINDOW_SECONDS: u64 = 300;

/// Path of the temporary-credential endpoint of Atlassian Data Center products.
pub const REQUEST_TOKEN_PATH: &str = "/plugins/servlet/oauth/request-token";
/// Path of the resource-owner authorization page of Atlassian Data Center products.
pub const AUTHORIZE_PATH: &str = "/plugins/servlet/oauth/authorize";
/// Path of the token-credential endpoint of Atlassian Data Center products.
pub const ACCESS_TOKEN_PATH: &str = "/plugins/servlet/oauth/access-token";

/// The value of the first parameter named `name`.
fn param<'p>(params: &'p [(String, String)], name: &str) -> Option<&'p str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}
