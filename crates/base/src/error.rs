//! One error type for the whole core, with a stable string code per failure family.
//!
//! The codes are part of the public contract (they reach JavaScript as `error.code`); the
//! messages say what to change. No message ever contains a secret or a private key.

use core::fmt;

/// Everything that can go wrong in the signing core.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An argument is missing, has the wrong shape, or is out of range.
    InvalidInput(String),
    /// The URL cannot be split into scheme, host, path and query.
    InvalidUrl(String),
    /// The HTTP method is empty or not an RFC 9110 token.
    InvalidMethod(String),
    /// A key could not be read or is of the wrong kind for the operation.
    InvalidKey(String),
    /// The algorithm is unknown, or not allowed for this key or this call.
    UnsupportedAlgorithm(String),
    /// The token is not a well-formed compact JWS.
    JwtMalformed(String),
    /// The token's `alg` is not among the algorithms the caller allowed.
    JwtAlgorithmNotAllowed(String),
    /// The signature does not match the token's header and payload.
    JwtSignatureInvalid(String),
    /// The token expired (`exp`), leeway included.
    JwtExpired(String),
    /// The token is not valid yet (`nbf` or `iat` in the future), leeway included.
    JwtNotYetValid(String),
    /// A claim the caller requires is missing.
    JwtClaimMissing(String),
    /// A claim has the wrong type or an unacceptable value (`iss`, `aud`, timestamps).
    JwtClaimInvalid(String),
    /// The token has no `qsh` claim where one is required.
    QshMissing(String),
    /// The token's `qsh` differs from the hash of the request it came with.
    QshMismatch {
        /// The hash computed from the request.
        expected: String,
        /// The hash carried by the token.
        actual: String,
        /// The canonical request that was hashed.
        canonical_request: String,
    },
    /// The token carries `qsh: "context-qsh"` where a request-bound token is required.
    QshContextNotAllowed(String),
    /// A signature could not be produced (for example the RSA operation failed).
    SigningFailed(String),
    /// An OAuth 1.0a request or its parameters are malformed (duplicate protocol
    /// parameters, an unparsable Authorization header, a missing consumer key).
    OAuthInvalidRequest(String),
    /// A provider's response (token response, `oauth_problem` body) could not be read.
    OAuthResponse(String),
    /// Trusted-apps headers were refused; `seraph_code` is the code a Seraph server answers
    /// with (`BAD_SIGNATURE`, `OLD_CERT`, `BAD_MAGIC`, ...).
    TrustedAppsRejected {
        /// The Seraph error code.
        seraph_code: &'static str,
        /// What is wrong and what to change.
        message: String,
    },
}

/// Result alias for the core.
pub type Result<T> = core::result::Result<T, Error>;

impl Error {
    /// The stable code of this error, as JavaScript sees it in `error.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput(_) => "ERR_INVALID_INPUT",
            Error::InvalidUrl(_) => "ERR_INVALID_URL",
            Error::InvalidMethod(_) => "ERR_INVALID_METHOD",
            Error::InvalidKey(_) => "ERR_INVALID_KEY",
            Error::UnsupportedAlgorithm(_) => "ERR_UNSUPPORTED_ALGORITHM",
            Error::JwtMalformed(_) => "ERR_JWT_MALFORMED",
            Error::JwtAlgorithmNotAllowed(_) => "ERR_JWT_ALG_NOT_ALLOWED",
            Error::JwtSignatureInvalid(_) => "ERR_JWT_SIGNATURE_INVALID",
            Error::JwtExpired(_) => "ERR_JWT_EXPIRED",
            Error::JwtNotYetValid(_) => "ERR_JWT_NOT_YET_VALID",
            Error::JwtClaimMissing(_) => "ERR_JWT_CLAIM_MISSING",
            Error::JwtClaimInvalid(_) => "ERR_JWT_CLAIM_INVALID",
            Error::QshMissing(_) => "ERR_QSH_MISSING",
            Error::QshMismatch { .. } => "ERR_QSH_MISMATCH",
            Error::QshContextNotAllowed(_) => "ERR_QSH_CONTEXT_NOT_ALLOWED",
            Error::SigningFailed(_) => "ERR_SIGNING_FAILED",
            Error::OAuthInvalidRequest(_) => "ERR_OAUTH_INVALID_REQUEST",
            Error::OAuthResponse(_) => "ERR_OAUTH_RESPONSE",
            Error::TrustedAppsRejected { .. } => "ERR_TRUSTED_APPS_REJECTED",
        }
    }

    /// Every code the core can produce, for documentation and tests.
    pub const CODES: &'static [&'static str] = &[
        "ERR_INVALID_INPUT",
        "ERR_INVALID_URL",
        "ERR_INVALID_METHOD",
        "ERR_INVALID_KEY",
        "ERR_UNSUPPORTED_ALGORITHM",
        "ERR_JWT_MALFORMED",
        "ERR_JWT_ALG_NOT_ALLOWED",
        "ERR_JWT_SIGNATURE_INVALID",
        "ERR_JWT_EXPIRED",
        "ERR_JWT_NOT_YET_VALID",
        "ERR_JWT_CLAIM_MISSING",
        "ERR_JWT_CLAIM_INVALID",
        "ERR_QSH_MISSING",
        "ERR_QSH_MISMATCH",
        "ERR_QSH_CONTEXT_NOT_ALLOWED",
        "ERR_SIGNING_FAILED",
        "ERR_OAUTH_INVALID_REQUEST",
        "ERR_OAUTH_RESPONSE",
        "ERR_TRUSTED_APPS_REJECTED",
    ];
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput(m)
            | Error::InvalidUrl(m)
            | Error::InvalidMethod(m)
            | Error::InvalidKey(m)
            | Error::UnsupportedAlgorithm(m)
            | Error::JwtMalformed(m)
            | Error::JwtAlgorithmNotAllowed(m)
            | Error::JwtSignatureInvalid(m)
            | Error::JwtExpired(m)
            | Error::JwtNotYetValid(m)
            | Error::JwtClaimMissing(m)
            | Error::JwtClaimInvalid(m)
            | Error::QshMissing(m)
            | Error::QshContextNotAllowed(m)
            | Error::SigningFailed(m)
            | Error::OAuthInvalidRequest(m)
            | Error::OAuthResponse(m) => f.write_str(m),
            Error::TrustedAppsRejected { seraph_code, message } => write!(f, "{seraph_code}: {message}"),
            Error::QshMismatch {
                expected,
                actual,
                canonical_request,
            } => write!(
                f,
                "qsh mismatch: the token carries qsh {actual} but the request hashes to {expected} \
                 (canonical request {canonical_request:?}); sign the exact method, path (without \
                 the base URL's context path) and query you send, or run explain() to find which part differs"
            ),
        }
    }
}

impl std::error::Error for Error {}
