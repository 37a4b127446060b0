//! Signing a request (the consumer side): collect the protocol parameters, compute the base
//! string, sign it here or elsewhere (WebCrypto), then build the Authorization header.

use core::fmt;

use super::header::authorization_header;
use super::signature::{compute_signature, key_mismatch, SignatureKey, SignatureMethod};
use super::{base_string, OAUTH_VERSION};
use crate::error::{Error, Result};
use crate::primitives::encoding::{hex_lower, parse_form};
use crate::primitives::keys::RsaKey;
use crate::primitives::url::Url;

/// The consumer's credentials and the protocol parameters of one request.
#[derive(Clone)]
pub struct Credentials<'a> {
    /// `oauth_consumer_key` (the Application Link's consumer key). Required.
    pub consumer_key: String,
    /// The consumer secret (HMAC and PLAINTEXT); empty for RSA consumers.
    pub consumer_secret: String,
    /// `oauth_token`: the request token (access-token step) or the access token (REST
    /// calls); `None` or empty for the request-token step and two-legged calls.
    pub token: Option<String>,
    /// The token secret (HMAC and PLAINTEXT); empty when there is no token.
    pub token_secret: String,
    /// The signature method; RSA-SHA1 by default.
    pub signature_method: SignatureMethod,
    /// `oauth_callback` for the request-token step (`oob` or an absolute http(s) URL).
    pub callback: Option<String>,
    /// `oauth_verifier` for the access-token step.
    pub verifier: Option<String>,
    /// `realm` for the Authorization header (never signed).
    pub realm: Option<String>,
    /// A fixed `oauth_nonce` (tests); by default 128 random bits as 32 hex characters.
    pub nonce: Option<String>,
    /// A fixed `oauth_timestamp` in seconds (tests); by default the `now` passed in.
    pub timestamp: Option<u64>,
    /// Send `oauth_version="1.0"` (optional in RFC 5849; on by default).
    pub include_version: bool,
    /// The consumer's RSA private key, for RSA-SHA1 and RSA-SHA256.
    pub private_key: Option<&'a RsaKey>,
}

impl Default for Credentials<'_> {
    fn default() -> Self {
        Credentials {
            consumer_key: String::new(),
            consumer_secret: String::new(),
            token: None,
            token_secret: String::new(),
            signature_method: SignatureMethod::RsaSha1,
            callback: None,
            verifier: None,
            realm: None,
            nonce: None,
            timestamp: None,
            include_version: true,
            private_key: None,
        }
    }
}

impl fmt::Debug for Credentials<'_> {
    // Secrets and keys never reach a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("consumer_key", &self.consumer_key)
            .field("consumer_secret", &"<redacted>")
            .field("token", &self.token)
            .field("token_secret", &"<redacted>")
            .field("signature_method", &self.signature_method)
            .field("callback", &self.callback)
            .field("verifier", &self.verifier)
            .field("realm", &self.realm)
            .field("nonce", &self.nonce)
            .field("timestamp", &self.timestamp)
            .field("include_version", &self.include_version)
            .field("private_key", &self.private_key.map(|_| "<redacted>"))
            .finish()
    }
}

impl Credentials<'_> {
    /// The key for [`compute_signature`]: the RSA key for RSA methods (an error when none was
    /// given), the secrets otherwise.
    pub fn signature_key(&self) -> Result<SignatureKey<'_>> {
        if self.signature_method.is_rsa() {
            self.private_key
                .map(SignatureKey::Rsa)
                .ok_or_else(|| key_mismatch(self.signature_method))
        } else {
            Ok(SignatureKey::Secrets {
                consumer_secret: &self.consumer_secret,
                token_secret: &self.token_secret,
            })
        }
    }
}

/// A request as the client sends it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The HTTP method (uppercased for signing).
    pub method: String,
    /// The URL the request is sent to, query included.
    pub url: String,
    /// The URL the server sees when it differs from `url` (behind a proxy that rewrites
    /// scheme, host or port): the base string is computed from this one.
    pub signed_url: Option<String>,
    /// The decoded parameters of an `application/x-www-form-urlencoded` body; empty for any
    /// other body (JSON bodies are not signed).
    pub form_params: Vec<(String, String)>,
}

impl Request {
    /// A request without a form body.
    pub fn new(method: &str, url: &str) -> Request {
        Request {
            method: method.to_owned(),
            url: url.to_owned(),
            signed_url: None,
            form_params: Vec::new(),
        }
    }

    /// Sets the form body from its raw `application/x-www-form-urlencoded` text.
    pub fn with_form_body(mut self, body: &str) -> Request {
        self.form_params = parse_form(body);
        self
    }

    /// Sets the URL the server sees (see [`Request::signed_url`]).
    pub fn with_signed_url(mut self, signed_url: &str) -> Request {
        self.signed_url = Some(signed_url.to_owned());
        self
    }

    pub(super) fn url_for_signing(&self) -> Result<Url> {
        Url::parse(self.signed_url.as_deref().unwrap_or(&self.url))
    }
}

/// A request ready to be signed: the protocol parameters and the base string. Sign
/// `base_string` with [`Prepared::compute_signature`] (pure Rust) or elsewhere (WebCrypto),
/// then call [`finish`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The signature method.
    pub signature_method: SignatureMethod,
    /// The signature base string.
    pub base_string: String,
    /// The protocol parameters in header order, without `oauth_signature` and `realm`.
    pub oauth_params: Vec<(String, String)>,
    /// The realm for the header, if any.
    pub realm: Option<String>,
    /// The URL the request is sent to.
    pub url: String,
    /// What the caller should know: an RSA key under 2048 bits.
    pub warnings: Vec<String>,
}

impl Prepared {
    /// Signs the base string with the key the credentials hold (pure Rust).
    pub fn compute_signature(&self, credentials: &Credentials<'_>) -> Result<String> {
        compute_signature(
            self.signature_method,
            &self.base_string,
            &credentials.signature_key()?,
        )
    }
}

/// A signed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// The `Authorization` header value (`OAuth oauth_consumer_key="...", ...`).
    pub authorization: String,
    /// The signature base string that was signed.
    pub base_string: String,
    /// The signature (base64; PLAINTEXT: the key), not percent-encoded.
    pub signature: String,
    /// Every protocol parameter sent, `oauth_signature` last (`realm` is not one).
    pub params: Vec<(String, String)>,
    /// The URL the request is sent to.
    pub url: String,
    /// What the caller should know: an RSA key under 2048 bits.
    pub warnings: Vec<String>,
}

/// 128 random bits as 32 lowercase hex characters.
pub fn generate_nonce() -> Result<String> {
    let mut buf = [0u8; 16];
    getrandom::fill(&mut buf).map_err(|e| {
        Error::SigningFailed(format!(
            "no random source for the nonce ({e}); pass a nonce explicitly"
        ))
    })?;
    Ok(hex_lower(&buf))
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|v| !v.is_empty())
}

/// Collects the protocol parameters (nonce generated when not fixed, timestamp `now_seconds`
/// when not fixed) and computes the base string.
///
/// Fails with `ERR_OAUTH_INVALID_REQUEST` when the consumer key is missing or a protocol
/// parameter would be sent twice (for example `oauth_token` both in the URL and in the
/// credentials).
pub fn prepare(
    request: &Request,
    credentials: &Credentials<'_>,
    now_seconds: u64,
) -> Result<Prepared> {
    if credentials.consumer_key.is_empty() {
        return Err(Error::OAuthInvalidRequest(
            "the consumer key is empty; pass the consumer key of the Application Link".into(),
        ));
    }
    let url = request.url_for_signing()?;
    let nonce = match non_empty(&credentials.nonce) {
        Some(n) => n.to_owned(),
        None => generate_nonce()?,
    };
    let timestamp = credentials.timestamp.unwrap_or(now_seconds);
    let method = credentials.signature_method;

    // Header order: the order the reference vectors use.
    let mut oauth: Vec<(String, String)> = Vec::with_capacity(8);
    oauth.push((
        "oauth_consumer_key".into(),
        credentials.consumer_key.clone(),
    ));
    oauth.push(("oauth_nonce".into(), nonce));
    oauth.push(("oauth_signature_method".into(), method.name().into()));
    oauth.push(("oauth_timestamp".into(), timestamp.to_string()));
    if credentials.include_version {
        oauth.push(("oauth_version".into(), OAUTH_VERSION.into()));
    }
    if let Some(t) = non_empty(&credentials.token) {
        oauth.push(("oauth_token".into(), t.to_owned()));
    }
    if let Some(c) = non_empty(&credentials.callback) {
        oauth.push(("oauth_callback".into(), c.to_owned()));
    }
    if let Some(v) = non_empty(&credentials.verifier) {
        oauth.push(("oauth_verifier".into(), v.to_owned()));
    }

    check_no_duplicates(&url, &request.form_params, &oauth)?;
    let base = base_string(&request.method, &url, &request.form_params, &oauth)?;
    let warnings = match (method.is_rsa(), credentials.private_key) {
        (true, Some(key)) => crate::primitives::keys::short_key_warning(key)
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    Ok(Prepared {
        signature_method: method,
        base_string: base,
        oauth_params: oauth,
        realm: credentials.realm.clone(),
        url: request.url.clone(),
        warnings,
    })
}

/// Section 3.4.1.3.1 / net.oauth `checkSingleParameters`: a protocol parameter appears once.
fn check_no_duplicates(
    url: &Url,
    body: &[(String, String)],
    oauth: &[(String, String)],
) -> Result<()> {
    let query = url.query.as_deref().map(parse_form).unwrap_or_default();
    let mut seen: Vec<(&str, &str)> = oauth
        .iter()
        .map(|(n, _)| (n.as_str(), "credentials"))
        .collect();
    seen.push(("oauth_signature", "signature"));
    let sources = query
        .iter()
        .map(|p| (p, "URL query"))
        .chain(body.iter().map(|p| (p, "form body")));
    for ((name, _), source) in sources {
        if !name.starts_with("oauth_") {
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name.as_str()) {
            return Err(Error::OAuthInvalidRequest(format!(
                "the protocol parameter {name} appears twice (in the {first} and in the \
                 {source}); a server answers parameter_rejected: remove it from the {source}"
            )));
        }
        seen.push((name.as_str(), source));
    }
    Ok(())
}

/// Adds the signature and builds the Authorization header.
pub fn finish(prepared: Prepared, signature: &str) -> SignedRequest {
    let Prepared {
        base_string,
        mut oauth_params,
        realm,
        url,
        warnings,
        ..
    } = prepared;
    oauth_params.push(("oauth_signature".into(), signature.to_owned()));
    let authorization = authorization_header(realm.as_deref(), &oauth_params);
    SignedRequest {
        authorization,
        base_string,
        signature: signature.to_owned(),
        params: oauth_params,
        url,
        warnings,
    }
}

/// Prepares, signs (pure Rust, constant-time RSA) and finishes a request.
pub fn sign(
    request: &Request,
    credentials: &Credentials<'_>,
    now_seconds: u64,
) -> Result<SignedRequest> {
    let prepared = prepare(request, credentials, now_seconds)?;
    let signature = prepared.compute_signature(credentials)?;
    Ok(finish(prepared, &signature))
}
