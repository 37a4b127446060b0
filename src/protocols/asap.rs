//! Atlassian ASAP (service-to-service authentication): JWTs with `kid` = `<iss>/<key name>`,
//! `jti`, and at most an hour of lifetime (Atlassian "ASAP" specification as implemented by
//! `atlassian-jwt-auth`).

use crate::error::{Error, Result};
use crate::primitives::encoding::{b64_decode, hex_lower, percent_decode};
use crate::primitives::json::{Map, Value};
use crate::primitives::keys::{parse_rsa_key, RsaKey};
use crate::primitives::url::truncate;
use crate::protocols::jwt::{self, Algorithm, JwtKey, Validation};

/// The longest lifetime ASAP allows (`exp - iat`), in seconds.
pub const MAX_LIFETIME: i64 = 3600;
/// The algorithms ASAP tokens may use here (ES256/384/512 are not built in; see README).
pub const ALGORITHMS: [Algorithm; 6] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
];

/// Checks a `kid` against the ASAP rules: `[A-Za-z0-9_.+/-]`, no empty, `.` or `..` segment,
/// no leading `/`.
pub fn validate_kid(kid: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(Error::JwtClaimInvalid(format!(
            "ASAP kid {:?} is invalid: {why}",
            truncate(kid, 80)
        )))
    };
    if kid.is_empty() {
        return bad("it is empty");
    }
    if !kid
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'+' | b'/' | b'-'))
    {
        return bad("only letters, digits and _ . + / - are allowed");
    }
    if kid.starts_with('/') {
        return bad("it starts with /");
    }
    if kid
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return bad("it has an empty, \".\" or \"..\" segment");
    }
    Ok(())
}

/// A private key given as `data:application/pkcs8;kid=<url-encoded kid>;base64,<DER>`, or PEM.
/// Returns the key and the `kid` from the data URI, if any.
pub fn parse_private_key(text: &str) -> Result<(RsaKey, Option<String>)> {
    let t = text.trim();
    let Some(rest) = t.strip_prefix("data:") else {
        let key = parse_rsa_key(t)?;
        // A public key here would only fail later, at signing time.
        key.private_key()?;
        return Ok((key, None));
    };
    let (meta, data) = rest.split_once(',').ok_or_else(|| {
        Error::InvalidKey("the data: URI has no \",\" before its base64 data".into())
    })?;
    let mut parts = meta.split(';');
    let mime = parts.next().unwrap_or_default();
    if mime != "application/pkcs8" {
        return Err(Error::InvalidKey(format!(
            "the data: URI holds {:?}; ASAP private keys are data:application/pkcs8;kid=...;base64,...",
            truncate(mime, 40)
        )));
    }
    let mut kid = None;
    let mut base64 = false;
    for p in parts {
        if let Some(k) = p.strip_prefix("kid=") {
            kid = Some(percent_decode(k, false).ok_or_else(|| {
                Error::InvalidKey("the kid in the data: URI has a malformed %-escape".into())
            })?);
        } else if p == "base64" {
            base64 = true;
        }
    }
    if !base64 {
        return Err(Error::InvalidKey(
            "the data: URI must be base64 (;base64,)".into(),
        ));
    }
    let der = b64_decode(data)
        .ok_or_else(|| Error::InvalidKey("the data: URI's key is not valid base64".into()))?;
    let key = parse_rsa_key(&crate::primitives::encoding::b64_encode(&der))?;
    key.private_key()?;
    Ok((key, kid))
}

/// What an ASAP token is made from.
#[derive(Debug, Clone)]
pub struct AsapClaims {
    /// The issuer (service name).
    pub issuer: String,
    /// The key id, `<issuer>/<key name>`.
    pub kid: String,
    /// The audience(s).
    pub audience: Vec<String>,
    /// The subject (defaults to the issuer).
    pub subject: Option<String>,
    /// Lifetime in seconds (at most 3600; default 60).
    pub expires_in: i64,
    /// The current time in seconds.
    pub now: i64,
    /// Extra claims.
    pub additional: Map<String, Value>,
}

/// Signs an ASAP token.
pub fn sign(claims: &AsapClaims, key: &RsaKey, alg: Algorithm) -> Result<String> {
    if !ALGORITHMS.contains(&alg) {
        return Err(Error::UnsupportedAlgorithm(format!(
            "ASAP does not allow {}; use RS256, RS384, RS512, PS256, PS384 or PS512",
            alg.name()
        )));
    }
    validate_kid(&claims.kid)?;
    if claims.issuer.is_empty() {
        return Err(Error::InvalidInput("issuer is required".into()));
    }
    if claims.audience.is_empty() {
        return Err(Error::InvalidInput("audience is required".into()));
    }
    if !(1..=MAX_LIFETIME).contains(&claims.expires_in) {
        return Err(Error::InvalidInput(format!(
            "expiresIn {} is out of range: ASAP tokens live 1 to {MAX_LIFETIME} seconds",
            claims.expires_in
        )));
    }
    let mut jti = [0u8; 16];
    getrandom::fill(&mut jti)
        .map_err(|e| Error::SigningFailed(format!("no randomness for jti: {e}")))?;
    let mut c = Map::new();
    c.insert("iss".into(), claims.issuer.clone().into());
    c.insert(
        "sub".into(),
        claims
            .subject
            .clone()
            .unwrap_or_else(|| claims.issuer.clone())
            .into(),
    );
    c.insert(
        "aud".into(),
        if claims.audience.len() == 1 {
            claims.audience[0].clone().into()
        } else {
            claims.audience.clone().into()
        },
    );
    c.insert("jti".into(), hex_lower(&jti).into());
    c.insert("iat".into(), claims.now.into());
    c.insert("nbf".into(), claims.now.into());
    c.insert("exp".into(), (claims.now + claims.expires_in).into());
    for (k, v) in &claims.additional {
        if !c.contains_key(k) {
            c.insert(k.clone(), v.clone());
        }
    }
    let mut header = Map::new();
    header.insert("kid".into(), claims.kid.clone().into());
    jwt::encode(alg, &JwtKey::Rsa(key), &header, &c)
}

/// The `kid` of an ASAP token, checked against the rules, to resolve its public key.
pub fn token_kid(token: &str) -> Result<String> {
    let d = jwt::decode(token)?;
    let kid = d
        .header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::JwtMalformed("the ASAP token header has no kid".into()))?;
    validate_kid(kid)?;
    Ok(kid.to_owned())
}

/// What an ASAP verifier accepts.
#[derive(Debug, Clone, Default)]
pub struct AsapValidation {
    /// This service's audience name(s); the token must name one.
    pub audience: Vec<String>,
    /// Issuers allowed (empty: any issuer that owns the kid).
    pub issuers: Vec<String>,
    /// Seconds of clock skew tolerated.
    pub leeway: i64,
    /// The current time in seconds.
    pub now: i64,
}

/// Verifies an ASAP token with the public key resolved for its `kid`.
pub fn verify(token: &str, key: &RsaKey, v: &AsapValidation) -> Result<Map<String, Value>> {
    if v.audience.is_empty() {
        return Err(Error::InvalidInput(
            "audience is required to verify ASAP tokens".into(),
        ));
    }
    let token = token.trim();
    let token = token.strip_prefix("Bearer ").unwrap_or(token).trim();
    let kid = token_kid(token)?;
    let validation = Validation {
        algorithms: ALGORITHMS.to_vec(),
        issuer: v.issuers.clone(),
        audience: v.audience.clone(),
        leeway: v.leeway,
        now: v.now,
        required_claims: vec![
            "iss".into(),
            "aud".into(),
            "jti".into(),
            "iat".into(),
            "exp".into(),
        ],
        ..Default::default()
    };
    let claims = jwt::verify(token, &JwtKey::Rsa(key), &validation)?.payload;
    let iss = claims
        .get("iss")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !kid.starts_with(&format!("{iss}/")) {
        return Err(Error::JwtClaimInvalid(format!(
            "the kid {kid:?} does not belong to the issuer {:?}; an ASAP kid is \"<iss>/<key name>\"",
            truncate(iss, 100)
        )));
    }
    let iat = claims.get("iat").and_then(Value::as_f64).unwrap_or(0.0);
    let exp = claims.get("exp").and_then(Value::as_f64).unwrap_or(0.0);
    if exp - iat > MAX_LIFETIME as f64 {
        return Err(Error::JwtClaimInvalid(format!(
            "the token lives {} s (exp - iat); ASAP allows at most {MAX_LIFETIME} s",
            (exp - iat) as i64
        )));
    }
    if iat > (v.now + v.leeway) as f64 {
        return Err(Error::JwtNotYetValid(format!(
            "iat {} is in the future; check the clocks",
            claims
                .get("iat")
                .map(ToString::to_string)
                .unwrap_or_default()
        )));
    }
    if claims
        .get("jti")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(Error::JwtClaimInvalid(
            "jti must be a non-empty string".into(),
        ));
    }
    Ok(claims)
}
