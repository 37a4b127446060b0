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

use core::fmt;

use subtle::ConstantTimeEq;

use crate::error::{Error, Result};
use crate::primitives::encoding::{
    b64_decode, b64_encode, hex_lower, parse_form, percent_decode, percent_encode,
    percent_encode_into,
};
use crate::primitives::keys::RsaKey;
use crate::primitives::url::{normalize_method, truncate, Url};

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

// ---------------------------------------------------------------------------------------------
// Signature methods
// ---------------------------------------------------------------------------------------------

/// An `oauth_signature_method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignatureMethod {
    /// RSASSA-PKCS1-v1_5 with SHA-1 (RFC 5849 section 3.4.3): what Atlassian Data Center
    /// accepts for incoming Application Links.
    #[default]
    RsaSha1,
    /// HMAC-SHA1 keyed with `enc(consumer_secret)&enc(token_secret)` (section 3.4.2).
    HmacSha1,
    /// HMAC-SHA256, as HMAC-SHA1 with SHA-256 (not registered in net.oauth).
    HmacSha256,
    /// RSASSA-PKCS1-v1_5 with SHA-256 (not registered in net.oauth).
    RsaSha256,
    /// The key itself as the signature (section 3.4.4); only safe over TLS.
    Plaintext,
}

impl SignatureMethod {
    /// Every method, in the order the docs list them.
    pub const ALL: [SignatureMethod; 5] = [
        SignatureMethod::RsaSha1,
        SignatureMethod::HmacSha1,
        SignatureMethod::HmacSha256,
        SignatureMethod::RsaSha256,
        SignatureMethod::Plaintext,
    ];

    /// The wire name (`RSA-SHA1`, `HMAC-SHA1`, `HMAC-SHA256`, `RSA-SHA256`, `PLAINTEXT`).
    pub fn name(self) -> &'static str {
        match self {
            SignatureMethod::RsaSha1 => "RSA-SHA1",
            SignatureMethod::HmacSha1 => "HMAC-SHA1",
            SignatureMethod::HmacSha256 => "HMAC-SHA256",
            SignatureMethod::RsaSha256 => "RSA-SHA256",
            SignatureMethod::Plaintext => "PLAINTEXT",
        }
    }

    /// Reads a method name as a caller writes it; ASCII case is ignored (`rsa-sha1` works).
    /// Verification compares the request's `oauth_signature_method` exactly instead.
    pub fn from_name(name: &str) -> Result<SignatureMethod> {
        Self::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                Error::UnsupportedAlgorithm(format!(
                    "{:?} is not an OAuth 1.0a signature method; use RSA-SHA1 (the one Atlassian \
                     Data Center accepts), HMAC-SHA1, HMAC-SHA256, RSA-SHA256 or PLAINTEXT",
                    truncate(name, 40)
                ))
            })
    }

    /// True for the RSA methods (keyed with an RSA key rather than the shared secrets).
    pub fn is_rsa(self) -> bool {
        matches!(self, SignatureMethod::RsaSha1 | SignatureMethod::RsaSha256)
    }

    fn exact(name: &str) -> Option<SignatureMethod> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }
}

impl fmt::Display for SignatureMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

// ---------------------------------------------------------------------------------------------
// Signature base string (RFC 5849 section 3.4.1)
// ---------------------------------------------------------------------------------------------

/// The base string URI (section 3.4.1.2): scheme and host lowercased, the port dropped when it
/// is the scheme's default (80 for http, 443 for https), the path byte for byte as sent (`/`
/// when empty), no query, no fragment.
///
/// `Url::parse` has already lowercased scheme and host; a relative URL gives just its path.
pub fn base_string_uri(url: &Url) -> String {
    let mut out = String::with_capacity(url.scheme.len() + url.host.len() + url.path.len() + 10);
    if url.is_absolute() {
        out.push_str(&url.scheme);
        out.push_str("://");
        out.push_str(&url.host);
        match (url.scheme.as_str(), url.port) {
            (_, None) | ("http", Some(80)) | ("https", Some(443)) => {}
            (_, Some(port)) => {
                out.push(':');
                out.push_str(&port.to_string());
            }
        }
    }
    if url.path.is_empty() {
        out.push('/');
    } else {
        out.push_str(&url.path);
    }
    out
}

/// Normalises decoded parameters (section 3.4.1.3.2): each name and value percent-encoded,
/// sorted by encoded name then encoded value in byte order, joined as `name=value` with `&`.
/// Repeated names are all kept.
pub fn normalize_parameters(params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .map(|(n, v)| (percent_encode(n), percent_encode(v)))
        .collect();
    crate::primitives::sort::sort_by(&mut encoded, |a, b| a.cmp(b));
    let len = encoded.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(len);
    for (i, (n, v)) in encoded.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(n);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// The signature base string (section 3.4.1): `enc(METHOD)&enc(base URI)&enc(parameters)`.
///
/// - query parameters come from `url.query`, form-decoded (`+` is a space, names decoded too);
/// - `body_params` are the already-decoded parameters of an
///   `application/x-www-form-urlencoded` body (pass none for any other body type);
/// - `oauth_params` are the protocol parameters (as from the Authorization header); `realm`
///   among them is ignored.
///
/// `oauth_signature` is left out wherever it appears.
pub fn base_string(
    method: &str,
    url: &Url,
    body_params: &[(String, String)],
    oauth_params: &[(String, String)],
) -> Result<String> {
    let method = normalize_method(method)?;
    if !url.is_absolute() {
        return Err(Error::InvalidUrl(
            "OAuth signs the full URL; pass it with scheme and host (https://host/path)".into(),
        ));
    }
    let query = url.query.as_deref().map(parse_form).unwrap_or_default();
    let mut params: Vec<(String, String)> =
        Vec::with_capacity(query.len() + body_params.len() + oauth_params.len());
    params.extend(
        query
            .into_iter()
            .chain(body_params.iter().cloned())
            .filter(|(n, _)| n != "oauth_signature"),
    );
    params.extend(
        oauth_params
            .iter()
            .filter(|(n, _)| n != "realm" && n != "oauth_signature")
            .cloned(),
    );
    let uri = base_string_uri(url);
    let normalized = normalize_parameters(&params);
    let mut out =
        String::with_capacity(method.len() + uri.len() * 3 / 2 + normalized.len() * 3 / 2);
    percent_encode_into(&method, &mut out);
    out.push('&');
    percent_encode_into(&uri, &mut out);
    out.push('&');
    percent_encode_into(&normalized, &mut out);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Signatures over a base string
// ---------------------------------------------------------------------------------------------

/// The HMAC and PLAINTEXT key (sections 3.4.2 and 3.4.4): `enc(consumer_secret)&enc(token_secret)`,
/// the `&` always present.
pub fn signing_key(consumer_secret: &str, token_secret: &str) -> String {
    let mut key = String::with_capacity(consumer_secret.len() + token_secret.len() + 1);
    percent_encode_into(consumer_secret, &mut key);
    key.push('&');
    percent_encode_into(token_secret, &mut key);
    key
}

/// What a signature is computed or checked with.
#[derive(Clone, Copy)]
pub enum SignatureKey<'a> {
    /// The shared secrets, for HMAC-SHA1, HMAC-SHA256 and PLAINTEXT.
    Secrets {
        /// The consumer secret.
        consumer_secret: &'a str,
        /// The token secret; empty when there is no token yet.
        token_secret: &'a str,
    },
    /// An RSA key: private to sign, private or public to verify.
    Rsa(&'a RsaKey),
}

impl fmt::Debug for SignatureKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureKey::Secrets { .. } => f.write_str("SignatureKey::Secrets(..)"),
            SignatureKey::Rsa(k) => write!(f, "SignatureKey::Rsa({}-bit)", k.bits()),
        }
    }
}

fn key_mismatch(method: SignatureMethod) -> Error {
    if method.is_rsa() {
        Error::InvalidKey(format!(
            "{method} needs the consumer's RSA private key; pass privateKey (BEGIN PRIVATE KEY) \
             or choose HMAC-SHA1 for a shared-secret consumer"
        ))
    } else {
        Error::InvalidKey(format!(
            "{method} is keyed with the consumer secret and token secret, but an RSA key was \
             given; pass consumerSecret, or use RSA-SHA1 with the RSA key"
        ))
    }
}

/// HMAC and PLAINTEXT are keyed by the consumer secret: an empty one would make a signature
/// anyone can compute, so it is refused when signing and when verifying.
fn non_empty_consumer_secret(method: SignatureMethod, consumer_secret: &str) -> Result<()> {
    if consumer_secret.is_empty() {
        return Err(Error::InvalidKey(format!(
            "{method} needs the consumer secret, but it is empty: a signature keyed with an \
             empty secret can be made by anyone; pass consumerSecret, or use RSA-SHA1 with the \
             consumer's private key"
        )));
    }
    Ok(())
}

fn rsa_digest(method: SignatureMethod, data: &[u8]) -> (crate::primitives::rsa::Hash, Vec<u8>) {
    let hash = if method == SignatureMethod::RsaSha256 {
        crate::primitives::rsa::Hash::Sha256
    } else {
        crate::primitives::rsa::Hash::Sha1
    };
    (hash, hash.digest(&[data]))
}

/// Signs `base_string` with `method` and returns the signature in base64 (PLAINTEXT: the key
/// itself, not encoded). RSA private-key operations run in constant time (not blinded; see
/// [`crate::rsa`]) and are checked with the public key before the signature is returned.
pub fn compute_signature(
    method: SignatureMethod,
    base_string: &str,
    key: &SignatureKey<'_>,
) -> Result<String> {
    let data = base_string.as_bytes();
    match (method, key) {
        (
            SignatureMethod::HmacSha1 | SignatureMethod::HmacSha256 | SignatureMethod::Plaintext,
            SignatureKey::Secrets {
                consumer_secret,
                token_secret,
            },
        ) => {
            non_empty_consumer_secret(method, consumer_secret)?;
            let k = signing_key(consumer_secret, token_secret);
            Ok(match method {
                SignatureMethod::HmacSha1 => b64_encode(&crate::primitives::mac::sign(
                    crate::primitives::rsa::Hash::Sha1,
                    k.as_bytes(),
                    data,
                )),
                SignatureMethod::HmacSha256 => b64_encode(&crate::primitives::mac::sign(
                    crate::primitives::rsa::Hash::Sha256,
                    k.as_bytes(),
                    data,
                )),
                _ => k,
            })
        }
        (SignatureMethod::RsaSha1 | SignatureMethod::RsaSha256, SignatureKey::Rsa(rsa)) => {
            let private = rsa.private_key()?;
            let (hash, digest) = rsa_digest(method, data);
            private
                .sign_pkcs1v15(hash, &digest)
                .map(|sig| b64_encode(&sig))
                .map_err(|e| Error::SigningFailed(format!("RSA signing failed: {e}")))
        }
        _ => Err(key_mismatch(method)),
    }
}

/// Checks a (decoded, base64) `signature` over `base_string` in constant time. A signature
/// that is not base64 does not match.
pub fn verify_signature(
    method: SignatureMethod,
    base_string: &str,
    key: &SignatureKey<'_>,
    signature: &str,
) -> Result<bool> {
    let data = base_string.as_bytes();
    match (method, key) {
        (
            SignatureMethod::Plaintext,
            SignatureKey::Secrets {
                consumer_secret,
                token_secret,
            },
        ) => {
            non_empty_consumer_secret(method, consumer_secret)?;
            let expected = signing_key(consumer_secret, token_secret);
            Ok(bool::from(expected.as_bytes().ct_eq(signature.as_bytes())))
        }
        (
            SignatureMethod::HmacSha1 | SignatureMethod::HmacSha256,
            SignatureKey::Secrets {
                consumer_secret,
                token_secret,
            },
        ) => {
            non_empty_consumer_secret(method, consumer_secret)?;
            let Some(tag) = b64_decode(signature) else {
                return Ok(false);
            };
            let k = signing_key(consumer_secret, token_secret);
            Ok(if method == SignatureMethod::HmacSha1 {
                crate::primitives::mac::verify(
                    crate::primitives::rsa::Hash::Sha1,
                    k.as_bytes(),
                    data,
                    &tag,
                )
            } else {
                crate::primitives::mac::verify(
                    crate::primitives::rsa::Hash::Sha256,
                    k.as_bytes(),
                    data,
                    &tag,
                )
            })
        }
        (SignatureMethod::RsaSha1 | SignatureMethod::RsaSha256, SignatureKey::Rsa(rsa)) => {
            let Some(sig) = b64_decode(signature) else {
                return Ok(false);
            };
            let (hash, digest) = rsa_digest(method, data);
            Ok(rsa.public_key().verify_pkcs1v15(hash, &digest, &sig))
        }
        _ => Err(key_mismatch(method)),
    }
}

// ---------------------------------------------------------------------------------------------
// Signing a request
// ---------------------------------------------------------------------------------------------

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

    fn url_for_signing(&self) -> Result<Url> {
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

/// `OAuth realm="...", name="enc(value)", ...` (section 3.5.1), every name and value
/// percent-encoded, the realm too (as net.oauth writes and reads it).
pub fn authorization_header(realm: Option<&str>, params: &[(String, String)]) -> String {
    let mut out = String::from("OAuth ");
    let mut first = true;
    let realm = realm.map(|r| ("realm", r));
    let all = realm
        .into_iter()
        .chain(params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    for (name, value) in all {
        if !first {
            out.push_str(", ");
        }
        first = false;
        percent_encode_into(name, &mut out);
        out.push_str("=\"");
        percent_encode_into(value, &mut out);
        out.push('"');
    }
    out
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

// ---------------------------------------------------------------------------------------------
// Authorization header parsing (section 3.5.1)
// ---------------------------------------------------------------------------------------------

/// Parses an `Authorization: OAuth ...` (or `WWW-Authenticate: OAuth ...`) header value into
/// decoded name/value pairs, in order, `realm` included.
///
/// Values may be quoted (`name="value"`, backslash escapes allowed) or bare tokens; names and
/// values are percent-decoded once, `+` kept as `+` (section 3.6 encoding never produces it).
pub fn parse_authorization_header(header: &str) -> Result<Vec<(String, String)>> {
    let h = header.trim();
    let rest = match h.get(..5).zip(h.get(5..)) {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("oauth") => rest,
        _ => {
            return Err(Error::OAuthInvalidRequest(
                "the header does not start with the OAuth scheme; send \
                 Authorization: OAuth oauth_consumer_key=\"...\", ..."
                    .into(),
            ))
        }
    };
    if !(rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_whitespace())) {
        return Err(Error::OAuthInvalidRequest(
            "the header's scheme is not OAuth; send Authorization: OAuth oauth_consumer_key=\"...\", ..."
                .into(),
        ));
    }
    let bytes = rest.as_bytes();
    let mut pairs = Vec::new();
    let mut i = 0;
    loop {
        while matches!(bytes.get(i), Some(b) if b.is_ascii_whitespace() || *b == b',') {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let name_start = i;
        while matches!(bytes.get(i), Some(b) if !b.is_ascii_whitespace() && !matches!(b, b'=' | b',' | b'"'))
        {
            i += 1;
        }
        let raw_name = rest.get(name_start..i).unwrap_or_default();
        while matches!(bytes.get(i), Some(b) if b.is_ascii_whitespace()) {
            i += 1;
        }
        if raw_name.is_empty() || bytes.get(i) != Some(&b'=') {
            return Err(Error::OAuthInvalidRequest(format!(
                "the OAuth header has a parameter without a value near {:?}; write every \
                 parameter as name=\"value\", separated by commas",
                truncate(rest.get(name_start..).unwrap_or_default(), 40)
            )));
        }
        i += 1;
        while matches!(bytes.get(i), Some(b) if b.is_ascii_whitespace()) {
            i += 1;
        }
        let raw_value = if bytes.get(i) == Some(&b'"') {
            i += 1;
            let mut value = String::new();
            let mut start = i;
            loop {
                match bytes.get(i) {
                    None => {
                        return Err(Error::OAuthInvalidRequest(format!(
                            "the value of {raw_name} in the OAuth header has no closing quote"
                        )))
                    }
                    Some(b'"') => {
                        value.push_str(rest.get(start..i).unwrap_or_default());
                        i += 1;
                        break;
                    }
                    Some(b'\\') => {
                        value.push_str(rest.get(start..i).unwrap_or_default());
                        i += 1;
                        start = i;
                        // The escaped character is kept as it is (RFC 9110 quoted-pair).
                        if bytes.get(i).is_some() {
                            i += rest
                                .get(i..)
                                .and_then(|s| s.chars().next())
                                .map_or(1, char::len_utf8);
                        }
                    }
                    Some(_) => i += 1,
                }
            }
            value
        } else {
            let start = i;
            while matches!(bytes.get(i), Some(b) if !b.is_ascii_whitespace() && *b != b',') {
                i += 1;
            }
            rest.get(start..i).unwrap_or_default().to_owned()
        };
        let decode = |s: &str, what: &str| {
            percent_decode(s, false).ok_or_else(|| {
                Error::OAuthInvalidRequest(format!(
                    "the {what} of {:?} in the OAuth header has a malformed %-escape; encode \
                     every value with RFC 3986 percent-encoding",
                    truncate(raw_name, 40)
                ))
            })
        };
        pairs.push((decode(raw_name, "name")?, decode(&raw_value, "value")?));
        while matches!(bytes.get(i), Some(b) if b.is_ascii_whitespace()) {
            i += 1;
        }
        match bytes.get(i) {
            None | Some(b',') => {}
            Some(_) => {
                return Err(Error::OAuthInvalidRequest(format!(
                    "the OAuth header has text after the value of {:?}; separate parameters with commas",
                    truncate(raw_name, 40)
                )))
            }
        }
    }
    Ok(pairs)
}

// ---------------------------------------------------------------------------------------------
// Verification (provider side)
// ---------------------------------------------------------------------------------------------

/// A replay check: given `(nonce, timestamp, consumer_key)`, returns true when this nonce was
/// already used. The callback is asked only after the signature matched, so forged requests
/// cannot use up nonces; it should record the nonce it is asked about.
pub type NonceSeen<'a> = &'a dyn Fn(&str, &str, &str) -> bool;

/// What [`verify`] checks a request against.
#[derive(Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// The consumer's RSA key (public or private), for RSA-SHA1 and RSA-SHA256.
    pub public_key: Option<&'a RsaKey>,
    /// The consumer secret, for HMAC-SHA1, HMAC-SHA256 and PLAINTEXT.
    pub consumer_secret: Option<&'a str>,
    /// The token secret matching the request's `oauth_token` (empty without a token).
    pub token_secret: &'a str,
    /// The current time in seconds since the Unix epoch.
    pub now: u64,
    /// How far `oauth_timestamp` may be from `now`, either way (300 by default).
    pub window_seconds: u64,
    /// The replay check; none means nonces are not checked.
    pub nonce_seen: Option<NonceSeen<'a>>,
    /// The methods accepted, pinned by the caller. By default RSA-SHA1 and RSA-SHA256 when a
    /// public key is given and HMAC-SHA1 and HMAC-SHA256 when a consumer secret is given;
    /// PLAINTEXT only when listed here.
    pub accepted_methods: Option<&'a [SignatureMethod]>,
}

impl fmt::Debug for VerifyOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyOptions")
            .field("public_key", &self.public_key.map(|k| k.bits()))
            .field(
                "consumer_secret",
                &self.consumer_secret.map(|_| "<redacted>"),
            )
            .field("now", &self.now)
            .field("window_seconds", &self.window_seconds)
            .field("nonce_seen", &self.nonce_seen.is_some())
            .field("accepted_methods", &self.accepted_methods)
            .finish()
    }
}

impl<'a> VerifyOptions<'a> {
    /// Options with the defaults (300-second window, no replay check, no key yet).
    pub fn new(now: u64) -> VerifyOptions<'a> {
        VerifyOptions {
            public_key: None,
            consumer_secret: None,
            token_secret: "",
            now,
            window_seconds: DEFAULT_WINDOW_SECONDS,
            nonce_seen: None,
            accepted_methods: None,
        }
    }

    fn accepts(&self, method: SignatureMethod) -> bool {
        match self.accepted_methods {
            Some(list) => list.contains(&method),
            None => match method {
                SignatureMethod::RsaSha1 | SignatureMethod::RsaSha256 => self.public_key.is_some(),
                SignatureMethod::HmacSha1 | SignatureMethod::HmacSha256 => {
                    self.consumer_secret.is_some()
                }
                SignatureMethod::Plaintext => false,
            },
        }
    }

    fn acceptable(&self) -> Vec<SignatureMethod> {
        SignatureMethod::ALL
            .into_iter()
            .filter(|m| self.accepts(*m))
            .collect()
    }
}

/// The result of [`verify`], named as net.oauth names its problems.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyOutcome {
    /// `ok`: the signature matches, the timestamp is in the window and the nonce is new.
    Ok {
        /// `oauth_consumer_key`: check that it is the consumer whose key verified it.
        consumer_key: String,
        /// `oauth_token`, if any.
        token: Option<String>,
        /// The method that was used.
        signature_method: SignatureMethod,
        /// The base string that was verified.
        base_string: String,
        /// Every protocol parameter received (`realm` left out).
        params: Vec<(String, String)>,
        /// What the caller should know: an RSA key under 2048 bits.
        warnings: Vec<String>,
    },
    /// `signature_invalid`: the signature does not match the base string this side computed.
    SignatureInvalid {
        /// The base string the verifier computed; compare it with the client's.
        base_string: String,
        /// The method that was used.
        signature_method: SignatureMethod,
        /// The signature received.
        signature: String,
    },
    /// `timestamp_refused`: `oauth_timestamp` is outside the window.
    TimestampRefused {
        /// The timestamp received.
        timestamp: u64,
        /// The acceptable range, inclusive.
        acceptable: (u64, u64),
    },
    /// `nonce_used`: the nonce was seen before with this timestamp and consumer.
    NonceUsed {
        /// The nonce received.
        nonce: String,
    },
    /// `parameter_absent`: required protocol parameters are missing.
    ParameterAbsent {
        /// The missing parameters.
        names: Vec<String>,
    },
    /// `signature_method_rejected`: the method is unknown or not accepted.
    SignatureMethodRejected {
        /// The method received.
        method: String,
        /// The methods accepted.
        acceptable: Vec<SignatureMethod>,
    },
    /// `version_rejected`: `oauth_version` is present and not `1.0`.
    VersionRejected {
        /// The version received.
        version: String,
    },
    /// `parameter_rejected`: a protocol parameter is repeated or malformed.
    ParameterRejected {
        /// The parameter.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl VerifyOutcome {
    /// The net.oauth problem name (`ok` when verification passed).
    pub fn problem(&self) -> &'static str {
        match self {
            VerifyOutcome::Ok { .. } => "ok",
            VerifyOutcome::SignatureInvalid { .. } => "signature_invalid",
            VerifyOutcome::TimestampRefused { .. } => "timestamp_refused",
            VerifyOutcome::NonceUsed { .. } => "nonce_used",
            VerifyOutcome::ParameterAbsent { .. } => "parameter_absent",
            VerifyOutcome::SignatureMethodRejected { .. } => "signature_method_rejected",
            VerifyOutcome::VersionRejected { .. } => "version_rejected",
            VerifyOutcome::ParameterRejected { .. } => "parameter_rejected",
        }
    }

    /// True for [`VerifyOutcome::Ok`].
    pub fn is_ok(&self) -> bool {
        matches!(self, VerifyOutcome::Ok { .. })
    }

    /// The HTTP status net.oauth answers with: 200, 400 or 401.
    pub fn http_status(&self) -> u16 {
        match self {
            VerifyOutcome::Ok { .. } => 200,
            VerifyOutcome::SignatureInvalid { .. } | VerifyOutcome::NonceUsed { .. } => 401,
            _ => 400,
        }
    }

    /// The problem report parameters (`oauth_problem` first), empty for `ok`.
    pub fn problem_params(&self) -> Vec<(String, String)> {
        let mut p = vec![("oauth_problem".to_owned(), self.problem().to_owned())];
        match self {
            VerifyOutcome::Ok { .. } => return Vec::new(),
            VerifyOutcome::SignatureInvalid {
                base_string,
                signature_method,
                signature,
            } => {
                p.push(("oauth_signature".into(), signature.clone()));
                p.push(("oauth_signature_base_string".into(), base_string.clone()));
                p.push((
                    "oauth_signature_method".into(),
                    signature_method.name().into(),
                ));
            }
            VerifyOutcome::TimestampRefused { acceptable, .. } => p.push((
                "oauth_acceptable_timestamps".into(),
                format!("{}-{}", acceptable.0, acceptable.1),
            )),
            VerifyOutcome::NonceUsed { .. } => {}
            VerifyOutcome::ParameterAbsent { names } => {
                let joined: Vec<String> = names.iter().map(|n| percent_encode(n)).collect();
                p.push(("oauth_parameters_absent".into(), joined.join("&")));
            }
            VerifyOutcome::SignatureMethodRejected { acceptable, .. } => {
                let names: Vec<&str> = acceptable.iter().map(|m| m.name()).collect();
                p.push(("oauth_acceptable_signature_methods".into(), names.join("&")));
            }
            VerifyOutcome::VersionRejected { .. } => p.push((
                "oauth_acceptable_versions".into(),
                format!("{OAUTH_VERSION}-{OAUTH_VERSION}"),
            )),
            VerifyOutcome::ParameterRejected { name, .. } => {
                p.push(("oauth_parameters_rejected".into(), percent_encode(name)))
            }
        }
        p
    }

    /// The form-encoded problem body net.oauth sends (`None` for `ok`).
    pub fn problem_body(&self) -> Option<String> {
        if self.is_ok() {
            return None;
        }
        let parts: Vec<String> = self
            .problem_params()
            .iter()
            .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
            .collect();
        Some(parts.join("&"))
    }

    /// The `WWW-Authenticate` header value net.oauth sends (`None` for `ok`).
    pub fn www_authenticate(&self, realm: Option<&str>) -> Option<String> {
        if self.is_ok() {
            return None;
        }
        Some(authorization_header(realm, &self.problem_params()))
    }
}

fn param<'p>(params: &'p [(String, String)], name: &str) -> Option<&'p str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Verifies a signed request as net.oauth's `SimpleOAuthValidator` does, in this order:
/// single protocol parameters, required parameters, version, signature method (pinned by the
/// caller), timestamp window, signature, nonce.
///
/// Protocol parameters are read from `authorization` (the header value, if any), the URL's
/// query and the form body. The base string is computed from `request.signed_url` when set
/// (the URL as the provider sees it), else `request.url`.
///
/// Errors are for the caller's own input (no key given, an unparsable URL); problems with the
/// request are [`VerifyOutcome`]s.
pub fn verify(
    request: &Request,
    authorization: Option<&str>,
    options: &VerifyOptions<'_>,
) -> Result<VerifyOutcome> {
    if options.public_key.is_none() && options.consumer_secret.is_none() {
        return Err(Error::InvalidInput(
            "verification needs the consumer's public key (RSA) or consumer secret (HMAC); \
             pass publicKey or consumerSecret"
                .into(),
        ));
    }
    let url = request.url_for_signing()?;
    if !url.is_absolute() {
        return Err(Error::InvalidUrl(
            "verification needs the full URL the provider received (https://host/path?query)"
                .into(),
        ));
    }
    let header: Vec<(String, String)> = match authorization.map(str::trim) {
        None | Some("") => Vec::new(),
        Some(h) => match parse_authorization_header(h) {
            Ok(pairs) => pairs.into_iter().filter(|(n, _)| n != "realm").collect(),
            Err(e) => {
                return Ok(VerifyOutcome::ParameterRejected {
                    name: "Authorization".into(),
                    reason: e.to_string(),
                })
            }
        },
    };
    let query = url.query.as_deref().map(parse_form).unwrap_or_default();

    // Every protocol parameter, from every source; each may appear once.
    let mut protocol: Vec<(String, String)> = Vec::new();
    for (n, v) in header
        .iter()
        .chain(query.iter())
        .chain(request.form_params.iter())
    {
        if !n.starts_with("oauth_") {
            continue;
        }
        if protocol.iter().any(|(m, _)| m == n) {
            return Ok(VerifyOutcome::ParameterRejected {
                name: n.clone(),
                reason: format!("{n} appears more than once"),
            });
        }
        protocol.push((n.clone(), v.clone()));
    }

    let required = [
        "oauth_consumer_key",
        "oauth_signature_method",
        "oauth_signature",
        "oauth_timestamp",
        "oauth_nonce",
    ];
    let absent: Vec<String> = required
        .iter()
        .filter(|r| param(&protocol, r).is_none())
        .map(|r| (*r).to_owned())
        .collect();
    if !absent.is_empty() {
        return Ok(VerifyOutcome::ParameterAbsent { names: absent });
    }
    let get = |name: &str| param(&protocol, name).unwrap_or_default().to_owned();

    if let Some(version) = param(&protocol, "oauth_version") {
        if version != OAUTH_VERSION {
            return Ok(VerifyOutcome::VersionRejected {
                version: version.to_owned(),
            });
        }
    }

    let method_name = get("oauth_signature_method");
    let method = match SignatureMethod::exact(&method_name) {
        Some(m) if options.accepts(m) => m,
        _ => {
            return Ok(VerifyOutcome::SignatureMethodRejected {
                method: method_name,
                acceptable: options.acceptable(),
            })
        }
    };

    let timestamp_text = get("oauth_timestamp");
    let Ok(timestamp) = timestamp_text.parse::<u64>() else {
        return Ok(VerifyOutcome::ParameterRejected {
            name: "oauth_timestamp".into(),
            reason: "oauth_timestamp is not a number of seconds".into(),
        });
    };
    let acceptable = (
        options.now.saturating_sub(options.window_seconds),
        options.now.saturating_add(options.window_seconds),
    );
    if timestamp < acceptable.0 || timestamp > acceptable.1 {
        return Ok(VerifyOutcome::TimestampRefused {
            timestamp,
            acceptable,
        });
    }

    let base = base_string(&request.method, &url, &request.form_params, &header)?;
    let signature = get("oauth_signature");
    let key = if method.is_rsa() {
        match options.public_key {
            Some(k) => SignatureKey::Rsa(k),
            None => return Err(key_mismatch(method)),
        }
    } else {
        match options.consumer_secret {
            Some(cs) => SignatureKey::Secrets {
                consumer_secret: cs,
                token_secret: options.token_secret,
            },
            None => return Err(key_mismatch(method)),
        }
    };
    if !verify_signature(method, &base, &key, &signature)? {
        return Ok(VerifyOutcome::SignatureInvalid {
            base_string: base,
            signature_method: method,
            signature,
        });
    }

    let nonce = get("oauth_nonce");
    let consumer_key = get("oauth_consumer_key");
    if let Some(seen) = options.nonce_seen {
        if seen(&nonce, &timestamp_text, &consumer_key) {
            return Ok(VerifyOutcome::NonceUsed { nonce });
        }
    }
    let warnings = match key {
        SignatureKey::Rsa(k) => crate::primitives::keys::short_key_warning(k)
            .into_iter()
            .collect(),
        SignatureKey::Secrets { .. } => Vec::new(),
    };
    Ok(VerifyOutcome::Ok {
        token: param(&protocol, "oauth_token").map(str::to_owned),
        consumer_key,
        signature_method: method,
        base_string: base,
        params: protocol,
        warnings,
    })
}

// ---------------------------------------------------------------------------------------------
// The Atlassian three-legged flow
// ---------------------------------------------------------------------------------------------

fn endpoint(base: &str, path: &str) -> String {
    let base = base.trim().trim_end_matches('/');
    format!("{base}{path}")
}

/// `{base}/plugins/servlet/oauth/request-token` (POST, signed without a token, with
/// `oauth_callback`). `base` is the product's base URL, context path included.
pub fn request_token_url(base: &str) -> String {
    endpoint(base, REQUEST_TOKEN_PATH)
}

/// `{base}/plugins/servlet/oauth/authorize?oauth_token=...`, the page the user approves on.
pub fn authorize_url(base: &str, token: &str) -> String {
    let mut url = endpoint(base, AUTHORIZE_PATH);
    url.push_str("?oauth_token=");
    percent_encode_into(token, &mut url);
    url
}

/// `{base}/plugins/servlet/oauth/access-token` (POST, signed with the request token and
/// `oauth_verifier`).
pub fn access_token_url(base: &str) -> String {
    endpoint(base, ACCESS_TOKEN_PATH)
}

/// A request-token or access-token response.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenResponse {
    /// `oauth_token`.
    pub token: String,
    /// `oauth_token_secret` (unused with RSA-SHA1, needed with HMAC).
    pub token_secret: String,
    /// `oauth_callback_confirmed` (request-token step).
    pub callback_confirmed: Option<bool>,
    /// `oauth_expires_in` in seconds (access-token step).
    pub expires_in: Option<u64>,
    /// `oauth_session_handle` (access-token step).
    pub session_handle: Option<String>,
    /// `oauth_authorization_expires_in` in seconds (access-token step).
    pub authorization_expires_in: Option<u64>,
    /// Every other parameter, in order.
    pub other: Vec<(String, String)>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("token", &self.token)
            .field("token_secret", &"<redacted>")
            .field("callback_confirmed", &self.callback_confirmed)
            .field("expires_in", &self.expires_in)
            .field(
                "session_handle",
                &self.session_handle.as_ref().map(|_| "<redacted>"),
            )
            .field("authorization_expires_in", &self.authorization_expires_in)
            .field(
                "other",
                &self.other.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Reads a token response body: form-encoded, also when served as `text/plain`. A body with
/// `oauth_problem` is an `ERR_OAUTH_RESPONSE` naming the problem.
pub fn parse_token_response(body: &str) -> Result<TokenResponse> {
    let body = body.trim();
    if body.starts_with('<') || body.starts_with('{') {
        return Err(Error::OAuthResponse(
            "the response is HTML or JSON, not a form-encoded token response; check the \
             endpoint URL ({base}/plugins/servlet/oauth/request-token or access-token) and that \
             the request was a signed POST"
                .into(),
        ));
    }
    let pairs = parse_form(body);
    if let Some(problem) = param(&pairs, "oauth_problem") {
        let problem = Problem::from_params(problem.to_owned(), pairs.clone());
        return Err(Error::OAuthResponse(format!(
            "the provider refused the request: oauth_problem={}; {}",
            truncate(&problem.problem, 60),
            problem.advice()
        )));
    }
    let Some(token) = param(&pairs, "oauth_token").filter(|t| !t.is_empty()) else {
        let names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
        return Err(Error::OAuthResponse(format!(
            "the response has no oauth_token (parameters: {}); it is not a token response",
            truncate(&names.join(", "), 120)
        )));
    };
    let Some(token_secret) = param(&pairs, "oauth_token_secret") else {
        return Err(Error::OAuthResponse(
            "the response has oauth_token but no oauth_token_secret".into(),
        ));
    };
    let number = |name: &str| param(&pairs, name).and_then(|v| v.trim().parse::<u64>().ok());
    let known = [
        "oauth_token",
        "oauth_token_secret",
        "oauth_callback_confirmed",
        "oauth_expires_in",
        "oauth_session_handle",
        "oauth_authorization_expires_in",
    ];
    Ok(TokenResponse {
        token: token.to_owned(),
        token_secret: token_secret.to_owned(),
        callback_confirmed: param(&pairs, "oauth_callback_confirmed")
            .map(|v| v.eq_ignore_ascii_case("true")),
        expires_in: number("oauth_expires_in"),
        session_handle: param(&pairs, "oauth_session_handle").map(str::to_owned),
        authorization_expires_in: number("oauth_authorization_expires_in"),
        other: pairs
            .iter()
            .filter(|(n, _)| !known.contains(&n.as_str()))
            .cloned()
            .collect(),
    })
}

/// A provider's refusal, from its body or its `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `oauth_problem` (`signature_invalid`, `timestamp_refused`, ...).
    pub problem: String,
    /// Every parameter, decoded, in order (`oauth_problem` and `realm` included).
    pub params: Vec<(String, String)>,
    /// The base string the server computed (`oauth_signature_base_string`), decoded once.
    pub base_string: Option<String>,
    /// `oauth_acceptable_timestamps` as (min, max) seconds.
    pub acceptable_timestamps: Option<(u64, u64)>,
}

impl Problem {
    fn from_params(problem: String, params: Vec<(String, String)>) -> Problem {
        let acceptable_timestamps = param(&params, "oauth_acceptable_timestamps").and_then(|v| {
            let (lo, hi) = v.trim().split_once('-')?;
            Some((lo.trim().parse().ok()?, hi.trim().parse().ok()?))
        });
        Problem {
            problem,
            base_string: param(&params, "oauth_signature_base_string").map(str::to_owned),
            acceptable_timestamps,
            params,
        }
    }

    /// What usually causes this problem on Atlassian Data Center and what to change.
    pub fn advice(&self) -> &'static str {
        match self.problem.as_str() {
            "signature_invalid" => {
                "the server computed another base string: compare oauth_signature_base_string \
                 with yours; usually the URL it sees differs (proxy scheme, host or port), a \
                 query or form parameter is encoded or collected differently, or the key differs"
            }
            "timestamp_refused" => {
                "the client's clock differs from the server's by more than 5 minutes; sync it (NTP)"
            }
            "nonce_used" => "send a fresh random oauth_nonce with every request",
            "signature_method_rejected" => {
                "Atlassian Data Center accepts only RSA-SHA1 for Application Links; sign with RSA-SHA1"
            }
            "consumer_key_unknown" | "consumer_key_rejected" => {
                "no Incoming Authentication link has this consumer key; check the consumer key \
                 configured in the Application Link"
            }
            "token_rejected" | "token_expired" | "token_revoked" | "token_used" => {
                "the token is not valid any more; run the authorization dance again"
            }
            "parameter_absent" => "a required oauth_* parameter is missing (see oauth_parameters_absent)",
            "parameter_rejected" => {
                "an oauth_* parameter is repeated or malformed (see oauth_parameters_rejected)"
            }
            "version_rejected" => "send oauth_version=\"1.0\" or leave it out",
            "permission_denied" | "permission_unknown" => {
                "the user did not approve access, or the token lacks the permission"
            }
            "additional_authorization_required" => "the user must authorize the token again",
            _ => "see the OAuth Problem Reporting extension for this problem",
        }
    }
}

/// Reads a provider's refusal: a form-encoded body
/// (`oauth_problem=signature_invalid&oauth_signature_base_string=...`) or a
/// `WWW-Authenticate: OAuth realm="...", oauth_problem="..."` header value.
///
/// net.oauth encodes the echoed base string (itself an encoded string) once more, as every
/// value; decoding the body or header once gives the server's base string exactly, ready to
/// compare with the client's.
pub fn parse_problem(text: &str) -> Result<Problem> {
    let mut s = text.trim();
    if let Some(rest) = s
        .get(..17)
        .filter(|p| p.eq_ignore_ascii_case("www-authenticate:"))
        .and_then(|_| s.get(17..))
    {
        s = rest.trim_start();
    }
    let is_header = s
        .get(..6)
        .is_some_and(|p| p.eq_ignore_ascii_case("oauth ") || p.eq_ignore_ascii_case("oauth\t"));
    let params = if is_header {
        parse_authorization_header(s).map_err(|e| {
            Error::OAuthResponse(format!("the WWW-Authenticate header cannot be read: {e}"))
        })?
    } else {
        parse_form(s)
    };
    let Some(problem) = param(&params, "oauth_problem").map(str::to_owned) else {
        return Err(Error::OAuthResponse(
            "no oauth_problem in the response; pass the response body or its WWW-Authenticate \
             header (the HTTP status alone does not say why)"
                .into(),
        ));
    };
    Ok(Problem::from_params(problem, params))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names() {
        for m in SignatureMethod::ALL {
            assert_eq!(SignatureMethod::from_name(m.name()).unwrap(), m);
            assert_eq!(m.to_string(), m.name());
        }
        assert_eq!(
            SignatureMethod::from_name(" rsa-sha1 ").unwrap(),
            SignatureMethod::RsaSha1
        );
        assert_eq!(SignatureMethod::default(), SignatureMethod::RsaSha1);
        let err = SignatureMethod::from_name("RSA-SHA512").unwrap_err();
        assert_eq!(err.code(), "ERR_UNSUPPORTED_ALGORITHM");
        assert_eq!(SignatureMethod::exact("rsa-sha1"), None);
    }
}
