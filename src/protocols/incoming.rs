//! Requests Atlassian products send to an app (Atlassian "Understanding JWT for Connect apps",
//! "Connect lifecycle: signed install callbacks"): HS256 product-to-app requests signed with the
//! installation's shared secret, and RS256 install/uninstall callbacks signed with a key that
//! Atlassian publishes by `kid`.
//!
//! The algorithm is pinned by the kind of request, never read from the token.

use crate::error::{Error, Result};
use crate::primitives::json::{Map, Value};
use crate::primitives::url::truncate;
use crate::protocols::jwt::{self, Algorithm, JwtKey, QshCheck, Validation};
use crate::protocols::qsh::QshOptions;

/// Where Atlassian publishes the public keys of signed install callbacks.
pub const INSTALL_KEYS_BASE_URL: &str = "https://connect-install-keys.atlassian.com";

/// The URL of the PEM public key for a `kid` from an install callback's header.
pub fn install_key_url(kid: &str) -> Result<String> {
    if kid.is_empty()
        || kid.len() > 200
        || !kid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        || kid.starts_with('.')
    {
        return Err(Error::JwtClaimInvalid(format!(
            "kid {:?} is not a key id Atlassian issues (letters, digits, '-', '_', '.'); refusing to build a URL from it",
            truncate(kid, 60)
        )));
    }
    Ok(format!("{INSTALL_KEYS_BASE_URL}/{kid}"))
}

/// Which kind of incoming request, which fixes the algorithm and the claim rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncomingKind {
    /// `installed` / `uninstalled` lifecycle callbacks: RS256, `iss` = body clientKey, `aud` = baseUrl.
    Lifecycle,
    /// Any other request from the product (iframes, webhooks, REST calls to the app): HS256
    /// with the installation's shared secret.
    Request,
}

/// How to check an incoming request.
#[derive(Debug, Clone)]
pub struct IncomingOptions {
    /// Lifecycle callback or other request.
    pub kind: IncomingKind,
    /// The app's base URL (from the descriptor): the audience of lifecycle callbacks and the
    /// base removed from the path before hashing.
    pub base_url: String,
    /// For lifecycle callbacks: the `clientKey` of the JSON body, which `iss` must equal.
    pub body_client_key: Option<String>,
    /// Form body parameters of the request (tried after the plain query for the qsh).
    pub form_body: Option<Vec<(String, String)>>,
    /// Accept context tokens (`qsh: "context-qsh"`), for app endpoints called from the
    /// browser with `AP.context.getToken()`.
    pub allow_context_qsh: bool,
    /// Seconds of clock skew tolerated.
    pub leeway: i64,
    /// The current time in seconds.
    pub now: i64,
}

/// Finds the token of an incoming request: `Authorization: JWT <token>`, else `?jwt=`.
pub fn token_from_request(authorization: Option<&str>, url: &str) -> Result<String> {
    if let Some(h) = authorization.map(str::trim).filter(|h| !h.is_empty()) {
        let (scheme, rest) = h.split_once(' ').unwrap_or((h, ""));
        if scheme.eq_ignore_ascii_case("JWT") && !rest.trim().is_empty() {
            return Ok(rest.trim().to_owned());
        }
        return Err(Error::JwtMalformed(format!(
            "the Authorization header uses the {:?} scheme; Connect sends \"JWT <token>\"",
            truncate(scheme, 20)
        )));
    }
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let query = query.split('#').next().unwrap_or("");
    crate::primitives::encoding::parse_form(query)
        .into_iter()
        .find(|(n, _)| n == "jwt")
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            Error::JwtClaimMissing(
                "the request carries no token: neither an \"Authorization: JWT ...\" header nor a jwt query parameter"
                    .into(),
            )
        })
}

/// A token pasted as a person has it: the token itself, an `Authorization: JWT <token>` (or
/// `Bearer`) line, or a URL with `?jwt=`. Returns the token and, when it came from a URL, the
/// URL (the request it signs).
pub fn token_from_text(text: &str) -> (String, Option<String>) {
    let trimmed = text.trim();
    let mut t = trimmed;
    if let Some((name, rest)) = t.split_once(':') {
        if name.trim().eq_ignore_ascii_case("authorization") {
            t = rest.trim();
        }
    }
    if let Some((scheme, rest)) = t.split_once(char::is_whitespace) {
        if scheme.eq_ignore_ascii_case("jwt") || scheme.eq_ignore_ascii_case("bearer") {
            t = rest.trim();
        }
    }
    let query = t
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(""));
    if let Some(query) = query {
        if let Some((_, v)) = crate::primitives::encoding::parse_form(query)
            .into_iter()
            .find(|(n, v)| n == "jwt" && !v.is_empty())
        {
            return (v, Some(trimmed.to_owned()));
        }
    }
    (t.to_owned(), None)
}

/// The `iss` (the installation's clientKey) of a token, to look up its shared secret before
/// verifying. Not verified.
pub fn unverified_issuer(token: &str) -> Result<String> {
    let d = jwt::decode(token)?;
    d.payload
        .get("iss")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::JwtClaimMissing("the token has no \"iss\" claim (the clientKey)".into())
        })
}

/// The `kid` header of a token, to fetch the install key. Not verified.
pub fn unverified_kid(token: &str) -> Result<String> {
    let d = jwt::decode(token)?;
    d.header
        .get("kid")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::JwtMalformed(
                "the token header has no \"kid\"; signed install callbacks carry the id of Atlassian's key there"
                    .into(),
            )
        })
}

fn trim_slash(s: &str) -> &str {
    s.trim_end_matches('/')
}

/// Verifies an incoming Connect request's token and returns its claims.
pub fn verify_incoming(
    token: &str,
    key: &JwtKey<'_>,
    method: &str,
    url: &str,
    o: &IncomingOptions,
) -> Result<Map<String, Value>> {
    let algorithm = match o.kind {
        IncomingKind::Lifecycle => Algorithm::RS256,
        IncomingKind::Request => Algorithm::HS256,
    };
    let qsh_check = QshCheck::Request {
        method: method.to_owned(),
        url: url.to_owned(),
        options: QshOptions {
            base_url: Some(o.base_url.clone()),
            body: o.form_body.clone(),
            ..Default::default()
        },
        allow_context: o.allow_context_qsh && o.kind == IncomingKind::Request,
    };
    let v = Validation {
        algorithms: vec![algorithm],
        leeway: o.leeway,
        now: o.now,
        required_claims: vec!["iss".into(), "exp".into(), "iat".into()],
        qsh: qsh_check,
        ..Default::default()
    };
    let decoded = jwt::verify(token, key, &v)?;
    let claims = decoded.payload;
    if o.kind == IncomingKind::Lifecycle {
        let iss = claims
            .get("iss")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match o.body_client_key.as_deref() {
            Some(ck) if ck == iss => {}
            Some(ck) => {
                return Err(Error::JwtClaimInvalid(format!(
                    "iss is {:?} but the callback body's clientKey is {:?}; a signed install callback must be issued by the installation it describes",
                    truncate(iss, 100),
                    truncate(ck, 100)
                )))
            }
            None => {
                return Err(Error::JwtClaimMissing(
                    "the lifecycle callback body has no clientKey to check iss against; pass the parsed JSON body".into(),
                ))
            }
        }
        let aud: Vec<&str> = match claims.get("aud") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if aud.is_empty() {
            return Err(Error::JwtClaimMissing(
                "the install callback token has no aud; Atlassian sets it to the app's baseUrl"
                    .into(),
            ));
        }
        if !aud.iter().any(|a| trim_slash(a) == trim_slash(&o.base_url)) {
            return Err(Error::JwtClaimInvalid(format!(
                "aud is {:?} but the app's baseUrl is {:?}; check the baseUrl in your descriptor",
                aud, o.base_url
            )));
        }
    }
    Ok(claims)
}

/// The `clientKey` of a lifecycle callback's JSON body (`installed`, `uninstalled`, ...): the
/// tenant the callback is about, when the body names one.
pub fn lifecycle_client_key(body_json: &str) -> Result<Option<String>> {
    if body_json.trim().is_empty() {
        return Ok(None);
    }
    let v = crate::primitives::json::from_str(body_json).map_err(|e| {
        Error::InvalidInput(format!("the lifecycle callback body is not JSON: {e}"))
    })?;
    Ok(v.get("clientKey")
        .and_then(crate::primitives::json::Value::as_str)
        .map(str::to_owned))
}
