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
    use proptest::prelude::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

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

    #[test]
    fn base_string_uri_rules() {
        let cases = [
            (
                "HTTP://EXAMPLE.COM:80/r%20v/X?id=123",
                "http://example.com/r%20v/X",
            ),
            (
                "https://www.example.net:8080/?q=1",
                "https://www.example.net:8080/",
            ),
            ("https://example.com:443", "https://example.com/"),
            ("http://example.com:443/a", "http://example.com:443/a"),
            ("https://example.com:80/a", "https://example.com:80/a"),
            ("https://example.com/a/#frag", "https://example.com/a/"),
            ("https://[::1]:8443/x", "https://[::1]:8443/x"),
        ];
        for (input, want) in cases {
            assert_eq!(base_string_uri(&url(input)), want, "{input}");
        }
        assert_eq!(base_string_uri(&url("/rest?x=1")), "/rest");
    }

    #[test]
    fn rfc_3_4_1_3_2_normalisation() {
        let mut params = parse_form("b5=%3D%253D&a3=a&c%40=&a2=r%20b");
        params.extend(parse_form("c2&a3=2+q"));
        params.extend(p(&[
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
        ]));
        assert_eq!(
            normalize_parameters(&params),
            "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2\
             &oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201\
             &oauth_token=kkk9d7dh3k39sjv7"
        );
        assert_eq!(normalize_parameters(&[]), "");
    }

    #[test]
    fn base_string_leaves_out_signature_and_header_realm() {
        let u = url("https://h.example/p?realm=q&b=1&oauth_signature=zzz");
        let oauth = p(&[
            ("realm", "Photos"),
            ("oauth_signature", "sig"),
            ("oauth_nonce", "n"),
        ]);
        let body = p(&[("c", "a b"), ("oauth_signature", "x")]);
        assert_eq!(
            base_string("post", &u, &body, &oauth).unwrap(),
            "POST&https%3A%2F%2Fh.example%2Fp&b%3D1%26c%3Da%2520b%26oauth_nonce%3Dn%26realm%3Dq"
        );
        assert_eq!(
            base_string("GET", &url("/p"), &[], &[]).unwrap_err().code(),
            "ERR_INVALID_URL"
        );
        assert_eq!(
            base_string("G T", &u, &[], &[]).unwrap_err().code(),
            "ERR_INVALID_METHOD"
        );
    }

    #[test]
    fn keys_and_signatures() {
        assert_eq!(signing_key("c s&+", "t=%~"), "c%20s%26%2B&t%3D%25~");
        assert_eq!(signing_key("", ""), "&");
        let secrets = SignatureKey::Secrets {
            consumer_secret: "cs",
            token_secret: "ts",
        };
        let sig = compute_signature(SignatureMethod::HmacSha1, "bs", &secrets).unwrap();
        assert_eq!(sig, "VZVjXceV7JgPq/dOTnNmEfO0Fv8=");
        assert_eq!(
            verify_signature(SignatureMethod::HmacSha1, "bs", &secrets, &sig),
            Ok(true)
        );
        assert_eq!(
            verify_signature(SignatureMethod::HmacSha1, "bs2", &secrets, &sig),
            Ok(false)
        );
        assert_eq!(
            verify_signature(SignatureMethod::HmacSha1, "bs", &secrets, "not base64!"),
            Ok(false)
        );
        let sig256 = compute_signature(SignatureMethod::HmacSha256, "bs", &secrets).unwrap();
        assert_eq!(sig256.len(), 44);
        assert_eq!(
            verify_signature(SignatureMethod::HmacSha256, "bs", &secrets, &sig256),
            Ok(true)
        );
        assert_eq!(
            verify_signature(SignatureMethod::HmacSha1, "bs", &secrets, &sig256),
            Ok(false)
        );
        assert_eq!(
            verify_signature(SignatureMethod::Plaintext, "x", &secrets, "cs&ts"),
            Ok(true)
        );
        assert_eq!(
            verify_signature(SignatureMethod::Plaintext, "x", &secrets, "cs&t"),
            Ok(false)
        );
        let err = compute_signature(SignatureMethod::RsaSha1, "bs", &secrets).unwrap_err();
        assert_eq!(err.code(), "ERR_INVALID_KEY");
        assert!(!err.to_string().contains("cs"), "no secret in messages");
    }

    fn hmac_creds() -> Credentials<'static> {
        Credentials {
            consumer_key: "ck".into(),
            consumer_secret: "kd94hf93k423kf44".into(),
            token: Some("tok".into()),
            token_secret: "pfkkdhi9sl3r4s00".into(),
            signature_method: SignatureMethod::HmacSha1,
            nonce: Some("n0".into()),
            timestamp: Some(1_700_000_000),
            ..Credentials::default()
        }
    }

    #[test]
    fn prepare_then_finish_equals_sign() {
        let creds = hmac_creds();
        let req = Request::new("get", "https://h.example/a?b=c+d");
        let prepared = prepare(&req, &creds, 5).unwrap();
        assert_eq!(
            prepared.base_string,
            "GET&https%3A%2F%2Fh.example%2Fa&b%3Dc%2520d%26oauth_consumer_key%3Dck%26\
             oauth_nonce%3Dn0%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000\
             %26oauth_token%3Dtok%26oauth_version%3D1.0"
        );
        // The signature may come from elsewhere (WebCrypto in the browser).
        let sig = prepared.compute_signature(&creds).unwrap();
        let done = finish(prepared.clone(), &sig);
        assert_eq!(done, sign(&req, &creds, 5).unwrap());
        assert_eq!(done.params.last().unwrap().1, sig);
        assert!(done
            .authorization
            .ends_with(&format!("oauth_signature=\"{}\"", percent_encode(&sig))));

        // RSA without a key still prepares: the key can live in WebCrypto.
        let rsa = Credentials {
            signature_method: SignatureMethod::RsaSha1,
            ..hmac_creds()
        };
        let prepared = prepare(&req, &rsa, 5).unwrap();
        assert_eq!(
            prepared.compute_signature(&rsa).unwrap_err().code(),
            "ERR_INVALID_KEY"
        );
    }

    #[test]
    fn defaults_and_empty_values() {
        let creds = Credentials {
            token: Some(String::new()),
            nonce: None,
            timestamp: None,
            include_version: false,
            ..hmac_creds()
        };
        let prepared = prepare(&Request::new("GET", "https://h.example/"), &creds, 42).unwrap();
        let names: Vec<&str> = prepared
            .oauth_params
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "oauth_consumer_key",
                "oauth_nonce",
                "oauth_signature_method",
                "oauth_timestamp"
            ]
        );
        assert_eq!(prepared.oauth_params[3].1, "42");
        assert_eq!(prepared.oauth_params[1].1.len(), 32);
        assert!(Credentials::default().include_version);
        let n = generate_nonce().unwrap();
        assert_eq!(n.len(), 32);
        assert_ne!(n, generate_nonce().unwrap());
    }

    #[test]
    fn debug_output_has_no_secrets() {
        let creds = hmac_creds();
        let text = format!("{creds:?}");
        assert!(!text.contains("kd94hf93k423kf44") && !text.contains("pfkkdhi9sl3r4s00"));
        let key = SignatureKey::Secrets {
            consumer_secret: "s3cr3t",
            token_secret: "",
        };
        assert!(!format!("{key:?}").contains("s3cr3t"));
        let opts = VerifyOptions {
            consumer_secret: Some("s3cr3t"),
            ..VerifyOptions::new(0)
        };
        assert!(!format!("{opts:?}").contains("s3cr3t"));
        let t = parse_token_response("oauth_token=a&oauth_token_secret=s3cr3t").unwrap();
        assert!(!format!("{t:?}").contains("s3cr3t"));
    }

    #[test]
    fn duplicate_protocol_parameters_are_refused() {
        let creds = Credentials {
            verifier: Some("v".into()),
            ..hmac_creds()
        };
        for (url, body) in [
            ("https://h.example/?oauth_token=x", ""),
            ("https://h.example/?oauth_signature=x", ""),
            ("https://h.example/", "oauth_verifier=v"),
            ("https://h.example/?oauth_foo=1", "oauth_foo=2"),
        ] {
            let req = Request::new("POST", url).with_form_body(body);
            let err = prepare(&req, &creds, 0).unwrap_err();
            assert_eq!(err.code(), "ERR_OAUTH_INVALID_REQUEST", "{url} {body}");
        }
    }

    #[test]
    fn hmac_verification_round_trip() {
        let creds = hmac_creds();
        let req = Request::new("POST", "https://h.example/a?x=1").with_form_body("y=2");
        let signed = sign(&req, &creds, 0).unwrap();
        let opts = VerifyOptions {
            consumer_secret: Some("kd94hf93k423kf44"),
            token_secret: "pfkkdhi9sl3r4s00",
            ..VerifyOptions::new(1_700_000_000)
        };
        assert!(verify(&req, Some(&signed.authorization), &opts)
            .unwrap()
            .is_ok());
        let wrong = VerifyOptions {
            token_secret: "other",
            ..opts
        };
        let outcome = verify(&req, Some(&signed.authorization), &wrong).unwrap();
        assert_eq!(outcome.problem(), "signature_invalid");
        // PLAINTEXT is accepted only when the caller lists it.
        let plain = sign(
            &req,
            &Credentials {
                signature_method: SignatureMethod::Plaintext,
                ..hmac_creds()
            },
            0,
        )
        .unwrap();
        assert_eq!(
            verify(&req, Some(&plain.authorization), &opts)
                .unwrap()
                .problem(),
            "signature_method_rejected"
        );
        let with_plain = VerifyOptions {
            accepted_methods: Some(&[SignatureMethod::Plaintext]),
            ..opts
        };
        assert!(verify(&req, Some(&plain.authorization), &with_plain)
            .unwrap()
            .is_ok());
        // Listing an RSA method without a key is the caller's mistake.
        let rsa_only = VerifyOptions {
            accepted_methods: Some(&[SignatureMethod::HmacSha1, SignatureMethod::RsaSha1]),
            ..opts
        };
        let rsa_header = signed.authorization.replace("HMAC-SHA1", "RSA-SHA1");
        assert_eq!(
            verify(&req, Some(&rsa_header), &rsa_only)
                .unwrap_err()
                .code(),
            "ERR_INVALID_KEY"
        );
    }

    #[test]
    fn problem_reports() {
        let cases: [(VerifyOutcome, &str); 5] = [
            (
                VerifyOutcome::ParameterAbsent {
                    names: vec!["oauth_nonce".into(), "oauth_timestamp".into()],
                },
                "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_nonce%26oauth_timestamp",
            ),
            (
                VerifyOutcome::VersionRejected {
                    version: "2.0".into(),
                },
                "oauth_problem=version_rejected&oauth_acceptable_versions=1.0-1.0",
            ),
            (
                VerifyOutcome::SignatureMethodRejected {
                    method: "HMAC-SHA1".into(),
                    acceptable: vec![SignatureMethod::RsaSha1],
                },
                "oauth_problem=signature_method_rejected&oauth_acceptable_signature_methods=RSA-SHA1",
            ),
            (
                VerifyOutcome::NonceUsed { nonce: "n".into() },
                "oauth_problem=nonce_used",
            ),
            (
                VerifyOutcome::ParameterRejected {
                    name: "oauth_token".into(),
                    reason: "twice".into(),
                },
                "oauth_problem=parameter_rejected&oauth_parameters_rejected=oauth_token",
            ),
        ];
        for (outcome, body) in cases {
            assert_eq!(outcome.problem_body().as_deref(), Some(body));
            assert_eq!(
                outcome.http_status(),
                if outcome.problem() == "nonce_used" {
                    401
                } else {
                    400
                }
            );
            assert_eq!(parse_problem(body).unwrap().problem, outcome.problem());
        }
        let ok = VerifyOutcome::Ok {
            consumer_key: "c".into(),
            token: None,
            signature_method: SignatureMethod::RsaSha1,
            base_string: String::new(),
            params: Vec::new(),
            warnings: Vec::new(),
        };
        assert!(ok.problem_params().is_empty() && ok.problem_body().is_none());
        assert_eq!((ok.problem(), ok.http_status()), ("ok", 200));
    }

    #[test]
    fn authorization_header_parsing() {
        let parsed = parse_authorization_header(
            "oauth  realm=\"Example\",oauth_consumer_key = \"0685bd9184jfhq22\" ,\toauth_signature=\"wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D\", oauth_version=1.0, x=\"a+b\",q=\"\\\"q\\\\\",",
        )
        .unwrap();
        assert_eq!(
            parsed,
            p(&[
                ("realm", "Example"),
                ("oauth_consumer_key", "0685bd9184jfhq22"),
                ("oauth_signature", "wOJIO9A2W5mFwDgiDvZbTSMK/PY="),
                ("oauth_version", "1.0"),
                ("x", "a+b"),
                ("q", "\"q\\"),
            ])
        );
        assert_eq!(parse_authorization_header("OAuth").unwrap(), vec![]);
        for bad in [
            "Bearer x",
            "OAuthx a=\"b\"",
            "OAuth a",
            "OAuth a=\"b",
            "OAuth =\"b\"",
            "OAuth a=\"%zz\"",
            "OAuth a=\"b\" c=\"d\"",
            "",
        ] {
            assert_eq!(
                parse_authorization_header(bad).unwrap_err().code(),
                "ERR_OAUTH_INVALID_REQUEST",
                "{bad}"
            );
        }
        let header = authorization_header(
            Some("https://jira.example.com"),
            &p(&[("oauth_callback", "https://c.example/cb?a=1 2")]),
        );
        assert_eq!(
            header,
            "OAuth realm=\"https%3A%2F%2Fjira.example.com\", \
             oauth_callback=\"https%3A%2F%2Fc.example%2Fcb%3Fa%3D1%202\""
        );
        assert_eq!(
            parse_authorization_header(&header).unwrap(),
            p(&[
                ("realm", "https://jira.example.com"),
                ("oauth_callback", "https://c.example/cb?a=1 2")
            ])
        );
    }

    #[test]
    fn flow_urls() {
        for base in [
            "https://jira.example.com/jira",
            "https://jira.example.com/jira/",
            " https://jira.example.com/jira// ",
        ] {
            assert_eq!(
                request_token_url(base),
                "https://jira.example.com/jira/plugins/servlet/oauth/request-token"
            );
            assert_eq!(
                access_token_url(base),
                "https://jira.example.com/jira/plugins/servlet/oauth/access-token"
            );
            assert_eq!(
                authorize_url(base, "a b/c+"),
                "https://jira.example.com/jira/plugins/servlet/oauth/authorize?oauth_token=a%20b%2Fc%2B"
            );
        }
    }

    #[test]
    fn token_responses() {
        let t = parse_token_response(
            "oauth_token=ab%2Bc&oauth_token_secret=s%20t&oauth_callback_confirmed=true\n",
        )
        .unwrap();
        assert_eq!(
            (
                t.token.as_str(),
                t.token_secret.as_str(),
                t.callback_confirmed
            ),
            ("ab+c", "s t", Some(true))
        );
        assert_eq!((t.expires_in, t.session_handle.as_deref()), (None, None));
        let t = parse_token_response(
            "oauth_token=AT&oauth_token_secret=&oauth_expires_in=157680000&oauth_session_handle=h1\
             &oauth_authorization_expires_in=160720000&x_extra=1",
        )
        .unwrap();
        assert_eq!(t.token, "AT");
        assert_eq!(t.token_secret, "");
        assert_eq!(t.callback_confirmed, None);
        assert_eq!(t.expires_in, Some(157_680_000));
        assert_eq!(t.authorization_expires_in, Some(160_720_000));
        assert_eq!(t.session_handle.as_deref(), Some("h1"));
        assert_eq!(t.other, p(&[("x_extra", "1")]));

        let err = parse_token_response(
            "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1700000000-1700000600",
        )
        .unwrap_err();
        assert_eq!(err.code(), "ERR_OAUTH_RESPONSE");
        assert!(err.to_string().contains("timestamp_refused"), "{err}");
        for bad in [
            "<html>login</html>",
            "{\"error\":1}",
            "",
            "oauth_token_secret=s",
            "oauth_token=t",
        ] {
            let err = parse_token_response(bad).unwrap_err();
            assert_eq!(err.code(), "ERR_OAUTH_RESPONSE", "{bad}");
        }
        let err = parse_token_response("oauth_token_secret=topsecret&a=b").unwrap_err();
        assert!(!err.to_string().contains("topsecret"));
    }

    #[test]
    fn problem_bodies_and_headers() {
        // As net.oauth sends it: every value percent-encoded once, the base string included.
        let base = "GET&https%3A%2F%2Fjira.example.com%2Frest%2Fapi%2F2%2Fsearch&jql%3Dproject%2520%253D%2520TEST%26oauth_consumer_key%3Dck";
        let body = format!(
            "oauth_problem=signature_invalid&oauth_signature=ab%2Bc%3D&oauth_signature_base_string={}&oauth_signature_method=RSA-SHA1",
            percent_encode(base)
        );
        let problem = parse_problem(&body).unwrap();
        assert_eq!(problem.problem, "signature_invalid");
        assert_eq!(problem.base_string.as_deref(), Some(base));
        assert_eq!(
            problem.params[1],
            ("oauth_signature".into(), "ab+c=".into())
        );
        assert!(problem.advice().contains("base string"));

        let header = format!(
            "WWW-Authenticate: OAuth realm=\"https%3A%2F%2Fjira.example.com\", oauth_problem=\"signature_invalid\", oauth_signature_base_string=\"{}\"",
            percent_encode(base)
        );
        let problem = parse_problem(&header).unwrap();
        assert_eq!(problem.base_string.as_deref(), Some(base));
        assert_eq!(
            problem.params[0],
            ("realm".into(), "https://jira.example.com".into())
        );

        let problem = parse_problem(
            "OAuth oauth_problem=\"timestamp_refused\", oauth_acceptable_timestamps=\"100-700\"",
        )
        .unwrap();
        assert_eq!(problem.acceptable_timestamps, Some((100, 700)));
        assert_eq!(problem.base_string, None);
        assert_eq!(
            parse_problem("oauth_problem=timestamp_refused&oauth_acceptable_timestamps=x-1")
                .unwrap()
                .acceptable_timestamps,
            None
        );
        assert!(!parse_problem("oauth_problem=weird")
            .unwrap()
            .advice()
            .is_empty());
        for bad in [
            "",
            "Unauthorized",
            "OAuth realm=\"x\"",
            "OAuth oauth_problem=\"x",
        ] {
            assert_eq!(
                parse_problem(bad).unwrap_err().code(),
                "ERR_OAUTH_RESPONSE",
                "{bad}"
            );
        }
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC{0,80}") {
            let _ = parse_authorization_header(&s);
            let _ = parse_authorization_header(&format!("OAuth {s}"));
            let _ = parse_problem(&s);
            let _ = parse_problem(&format!("WWW-Authenticate: OAuth {s}"));
            let _ = parse_token_response(&s);
        }

        #[test]
        fn header_round_trips(values in proptest::collection::vec("\\PC{0,20}", 1..5)) {
            let params: Vec<(String, String)> = values
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("oauth_p{i}"), v.clone()))
                .collect();
            let header = authorization_header(Some("r e\"alm"), &params);
            let parsed = parse_authorization_header(&header).unwrap();
            prop_assert_eq!(&parsed[0], &("realm".to_owned(), "r e\"alm".to_owned()));
            prop_assert_eq!(&parsed[1..], &params[..]);
        }

        #[test]
        fn sign_verify_round_trip(q in "[a-z]{1,5}=\\PC{0,10}", body in "\\PC{0,20}") {
            let req = Request::new("POST", &format!("https://h.example/p?{q}")).with_form_body(&body);
            if let Ok(signed) = sign(&req, &hmac_creds(), 0) {
                let opts = VerifyOptions {
                    consumer_secret: Some("kd94hf93k423kf44"),
                    token_secret: "pfkkdhi9sl3r4s00",
                    ..VerifyOptions::new(1_700_000_000)
                };
                let outcome = verify(&req, Some(&signed.authorization), &opts).unwrap();
                prop_assert!(outcome.is_ok(), "{:?}", outcome);
            }
        }
    }
}
