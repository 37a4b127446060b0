//! Compact JWS (RFC 7515 section 7.1) and JWT claim checks (RFC 7519 section 4.1), with the
//! Connect `qsh` claim. The caller pins the algorithms; the token never chooses (RFC 8725
//! section 3.1).

use crate::error::{Error, Result};
use crate::primitives::encoding::{b64url_decode, b64url_encode};
use crate::primitives::json::{self, Map, Value};
use crate::primitives::keys::RsaKey;
use crate::primitives::url::truncate;
use crate::protocols::qsh::{canonical_request, hash_canonical, PathForm, QshOptions};

/// The longest token accepted, in bytes; real Connect and Forge tokens are a few kilobytes.
pub const MAX_TOKEN_LEN: usize = 64 * 1024;

/// The literal `qsh` of context tokens (`AP.context.getToken()`) and app session tokens.
pub const CONTEXT_QSH: &str = "context-qsh";

/// A JWS algorithm this crate implements (RFC 7518 section 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Algorithm {
    HS256,
    HS384,
    HS512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
}

#[derive(Clone, Copy)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn digest(self, data: &[u8]) -> Vec<u8> {
        self.rsa().digest(&[data])
    }
    fn rsa(self) -> crate::primitives::rsa::Hash {
        match self {
            Hash::Sha256 => crate::primitives::rsa::Hash::Sha256,
            Hash::Sha384 => crate::primitives::rsa::Hash::Sha384,
            Hash::Sha512 => crate::primitives::rsa::Hash::Sha512,
        }
    }
    fn hmac(self, key: &[u8], data: &[u8]) -> Vec<u8> {
        crate::primitives::mac::sign(self.rsa(), key, data)
    }
    fn hmac_verify(self, key: &[u8], data: &[u8], tag: &[u8]) -> bool {
        crate::primitives::mac::verify(self.rsa(), key, data, tag)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Hmac,
    RsaPkcs1,
    RsaPss,
}

impl Algorithm {
    /// Every algorithm, in the order the docs list them.
    pub const ALL: [Algorithm; 9] = [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
    ];

    /// The JWA name (`HS256`).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
        }
    }

    /// Parses a JWA name, exactly (RFC 7518 names are case-sensitive).
    pub fn from_name(name: &str) -> Result<Algorithm> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                Error::UnsupportedAlgorithm(format!(
                    "algorithm {:?} is not supported; use one of HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512",
                    truncate(name, 40)
                ))
            })
    }

    fn parts(self) -> (Family, Hash) {
        match self {
            Algorithm::HS256 => (Family::Hmac, Hash::Sha256),
            Algorithm::HS384 => (Family::Hmac, Hash::Sha384),
            Algorithm::HS512 => (Family::Hmac, Hash::Sha512),
            Algorithm::RS256 => (Family::RsaPkcs1, Hash::Sha256),
            Algorithm::RS384 => (Family::RsaPkcs1, Hash::Sha384),
            Algorithm::RS512 => (Family::RsaPkcs1, Hash::Sha512),
            Algorithm::PS256 => (Family::RsaPss, Hash::Sha256),
            Algorithm::PS384 => (Family::RsaPss, Hash::Sha384),
            Algorithm::PS512 => (Family::RsaPss, Hash::Sha512),
        }
    }

    /// True for the HMAC algorithms.
    pub fn is_hmac(self) -> bool {
        self.parts().0 == Family::Hmac
    }
}

/// The algorithm a key signs with when the caller names none: HS256 for a secret, RS256 for
/// an RSA key.
pub fn default_algorithm(key: &JwtKey<'_>) -> Algorithm {
    match key {
        JwtKey::Secret(_) => Algorithm::HS256,
        JwtKey::Rsa(_) => Algorithm::RS256,
    }
}

/// The caller must name the algorithms it accepts: a token must not choose its own.
pub fn require_algorithms(algorithms: &[Algorithm]) -> Result<()> {
    if algorithms.is_empty() {
        return Err(Error::InvalidInput(
            "options.algorithms is required: list the algorithms you accept, such as ['HS256'] \
             for Connect or ['RS256'] for install callbacks; the token must not choose"
                .into(),
        ));
    }
    Ok(())
}

/// A key for signing or verifying a JWS.
#[derive(Debug, Clone, Copy)]
pub enum JwtKey<'a> {
    /// An HMAC secret (for Connect: the shared secret's UTF-8 bytes).
    Secret(&'a [u8]),
    /// An RSA key (private to sign, private or public to verify).
    Rsa(&'a RsaKey),
}

fn key_mismatch(alg: Algorithm, key: &JwtKey<'_>) -> Error {
    match key {
        JwtKey::Secret(_) => Error::InvalidKey(format!(
            "{} needs an RSA key (PEM text, a JWK, a KeyObject or a CryptoKey), but a shared secret (a string or bytes that are not PEM) was given",
            alg.name()
        )),
        JwtKey::Rsa(_) => Error::InvalidKey(format!(
            "{} needs a shared secret, but an RSA key was given",
            alg.name()
        )),
    }
}

/// The smallest RSA modulus for RS* and PS* (RFC 7518 sections 3.3 and 3.5).
pub const MIN_JWT_RSA_BITS: usize = 2048;

/// An empty HMAC secret is refused on both sides: an app whose secret is unset (`secret ?? ''`)
/// would otherwise sign and accept tokens that anyone can make.
fn non_empty_secret(secret: &[u8]) -> Result<()> {
    if secret.is_empty() {
        return Err(Error::InvalidKey(
            "the HMAC secret is empty: a token signed or checked with an empty secret can be \
             made by anyone; pass the shared secret (for Connect, the sharedSecret the product \
             sent in the installed callback)"
                .into(),
        ));
    }
    Ok(())
}

/// RS* and PS* need a 2048-bit key or larger (RFC 7518 sections 3.3 and 3.5).
fn rsa_key_size(alg: Algorithm, rsa: &RsaKey) -> Result<()> {
    if rsa.bits() < MIN_JWT_RSA_BITS {
        return Err(Error::InvalidKey(format!(
            "{} needs an RSA key of at least {MIN_JWT_RSA_BITS} bits (RFC 7518), but this key \
             has {}; make a new one: openssl genpkey -algorithm RSA -pkeyopt \
             rsa_keygen_bits:2048 -out key.pem",
            alg.name(),
            rsa.bits()
        )));
    }
    Ok(())
}

/// Signs `input` with `alg`. RSA private-key operations run in constant time (see
/// [`crate::rsa`]) and are checked with the public key before the signature is returned.
pub fn sign(alg: Algorithm, key: &JwtKey<'_>, input: &[u8]) -> Result<Vec<u8>> {
    let (family, hash) = alg.parts();
    match (family, key) {
        (Family::Hmac, JwtKey::Secret(secret)) => {
            non_empty_secret(secret)?;
            Ok(hash.hmac(secret, input))
        }
        (Family::RsaPkcs1 | Family::RsaPss, JwtKey::Rsa(rsa)) => {
            let private = rsa.private_key()?;
            rsa_key_size(alg, rsa)?;
            let digest = hash.digest(input);
            let result = if family == Family::RsaPkcs1 {
                private.sign_pkcs1v15(hash.rsa(), &digest)
            } else {
                private.sign_pss(hash.rsa(), &digest)
            };
            result.map_err(|e| Error::SigningFailed(format!("RSA signing failed: {e}")))
        }
        _ => Err(key_mismatch(alg, key)),
    }
}

/// Checks `signature` over `input`; `ERR_JWT_SIGNATURE_INVALID` when it does not match.
pub fn verify_signature(
    alg: Algorithm,
    key: &JwtKey<'_>,
    input: &[u8],
    signature: &[u8],
) -> Result<()> {
    let (family, hash) = alg.parts();
    let ok = match (family, key) {
        (Family::Hmac, JwtKey::Secret(secret)) => {
            non_empty_secret(secret)?;
            hash.hmac_verify(secret, input, signature)
        }
        (Family::RsaPkcs1, JwtKey::Rsa(rsa)) => {
            rsa_key_size(alg, rsa)?;
            rsa.public_key()
                .verify_pkcs1v15(hash.rsa(), &hash.digest(input), signature)
        }
        (Family::RsaPss, JwtKey::Rsa(rsa)) => {
            rsa_key_size(alg, rsa)?;
            rsa.public_key()
                .verify_pss(hash.rsa(), &hash.digest(input), signature)
        }
        _ => return Err(key_mismatch(alg, key)),
    };
    if ok {
        Ok(())
    } else {
        Err(Error::JwtSignatureInvalid(format!(
            "the {} signature does not match: the token was signed with another key or secret, \
             or its header or payload was changed",
            alg.name()
        )))
    }
}

/// A decoded (not verified) compact JWS.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The protected header, a JSON object.
    pub header: Map<String, Value>,
    /// The payload (claims), a JSON object.
    pub payload: Map<String, Value>,
    /// The payload's own JSON text, as the token carries it.
    pub payload_json: String,
    /// The raw signature bytes.
    pub signature: Vec<u8>,
    /// `base64url(header) "." base64url(payload)`: the signed bytes.
    pub signing_input: String,
}

impl Decoded {
    /// The header's `alg`, as written.
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }
}

/// A base64url part decoded and parsed as a JSON object: the object and its JSON text.
fn json_object(part: &str, what: &str) -> Result<(Map<String, Value>, String)> {
    let bytes = b64url_decode(part).ok_or_else(|| {
        Error::JwtMalformed(format!(
            "the token's {what} is not base64url without padding (RFC 7515); was the token cut, \
             or copied with \"+\", \"/\" or \"=\"?"
        ))
    })?;
    // A header or payload with a member twice is refused (RFC 7515 section 5.2, RFC 8725
    // section 3.12: parsers disagree on which one wins).
    match json::object_from_slice(&bytes) {
        // The parser only accepts UTF-8, so the text is the bytes as they are.
        Ok(m) => Ok((m, String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) => Err(Error::JwtMalformed(format!(
            "the token's {what} is not a valid JSON object: {e}"
        ))),
    }
}

/// Splits and decodes a compact JWS without verifying it.
pub fn decode(token: &str) -> Result<Decoded> {
    let token = token.trim();
    let token = token
        .strip_prefix("JWT ")
        .or_else(|| token.strip_prefix("Bearer "))
        .unwrap_or(token)
        .trim();
    if token.len() > MAX_TOKEN_LEN {
        return Err(Error::JwtMalformed(format!(
            "the token is {} bytes long; tokens over {MAX_TOKEN_LEN} bytes are refused",
            token.len()
        )));
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Error::JwtMalformed(
            "a JWT has three base64url parts separated by \".\" (header.payload.signature); this one does not"
                .into(),
        ));
    };
    let (header, _) = json_object(h, "header")?;
    let (payload, payload_json) = json_object(p, "payload")?;
    let signature = b64url_decode(s).ok_or_else(|| {
        Error::JwtMalformed("the token's signature is not base64url without padding".into())
    })?;
    Ok(Decoded {
        header,
        payload,
        payload_json,
        signature,
        signing_input: token[..h.len() + 1 + p.len()].to_owned(),
    })
}

/// Encodes and signs a JWS. `header` holds extra header members (such as `kid`); `alg` and
/// `typ` are set here.
pub fn encode(
    alg: Algorithm,
    key: &JwtKey<'_>,
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
) -> Result<String> {
    let mut claims_json = String::new();
    json::write_object(&mut claims_json, claims);
    encode_json(alg, key, header, claims_json.as_bytes())
}

/// As [`encode`], with the claims already serialised as a JSON object (such as the text of
/// JavaScript's `JSON.stringify`, which the payload then carries byte for byte).
pub fn encode_json(
    alg: Algorithm,
    key: &JwtKey<'_>,
    header: &Map<String, Value>,
    claims_json: &[u8],
) -> Result<String> {
    let mut token = signing_input_json(alg, header, claims_json);
    let sig = sign(alg, key, token.as_bytes())?;
    token.push('.');
    token.push_str(&b64url_encode(&sig));
    Ok(token)
}

/// `base64url(header).base64url(claims)`: what [`encode_json`] signs, for a signer outside
/// (a WebCrypto key that cannot be exported).
pub fn signing_input_json(
    alg: Algorithm,
    header: &Map<String, Value>,
    claims_json: &[u8],
) -> String {
    if header.is_empty() {
        // The usual header, written without building JSON values (a test holds it equal to
        // what the general path below writes for an empty header).
        let head = [r#"{"alg":""#, alg.name(), r#"","typ":"JWT"}"#].concat();
        return [b64url_encode(head.as_bytes()), b64url_encode(claims_json)].join(".");
    }
    // `alg` first, then `typ` (the caller's, if it set one), then the caller's other members in
    // their order.
    let alg_name = Value::String(alg.name().into());
    let jwt = Value::String("JWT".into());
    let members = [
        ("alg", &alg_name),
        ("typ", header.get("typ").unwrap_or(&jwt)),
    ]
    .into_iter()
    .chain(
        header
            .iter()
            .filter(|(k, _)| *k != "alg" && *k != "typ")
            .map(|(k, v)| (k.as_str(), v)),
    );
    let mut header_json = String::new();
    json::write_members(&mut header_json, members);
    let mut token = b64url_encode(header_json.as_bytes());
    token.push('.');
    token.push_str(&b64url_encode(claims_json));
    token
}

/// What the `qsh` claim must be.
#[derive(Debug, Clone, Default)]
pub enum QshCheck {
    /// Do not look at `qsh`.
    #[default]
    None,
    /// A context token: `qsh` must be `context-qsh`.
    Context,
    /// A request-bound token: `qsh` must hash this request.
    Request {
        /// The request method.
        method: String,
        /// The request URL (absolute, or path and query).
        url: String,
        /// Base URL, form body and path form of the request.
        options: QshOptions,
        /// Also accept `context-qsh`.
        allow_context: bool,
    },
}

/// What [`verify`] checks besides the signature.
#[derive(Debug, Clone, Default)]
pub struct Validation {
    /// Algorithms the caller accepts; the token's `alg` must be one of them. Required.
    pub algorithms: Vec<Algorithm>,
    /// Accepted issuers (`iss`); empty accepts any.
    pub issuer: Vec<String>,
    /// Accepted audiences (`aud`, string or array); empty skips the check.
    pub audience: Vec<String>,
    /// Required subject (`sub`).
    pub subject: Option<String>,
    /// Seconds of clock skew tolerated for `exp` and `nbf`.
    pub leeway: i64,
    /// The current time in seconds since the epoch.
    pub now: i64,
    /// Claims that must be present.
    pub required_claims: Vec<String>,
    /// The `qsh` rule.
    pub qsh: QshCheck,
}

/// 3000-01-01T00:00:00Z in seconds: later times are refused, not wrapped.
const MAX_TIME: f64 = 32_503_680_000.0;

fn numeric_claim(payload: &Map<String, Value>, name: &str) -> Result<Option<i64>> {
    match payload.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => {
            let v = n.as_f64().unwrap_or(f64::NAN);
            if !v.is_finite() {
                return Err(Error::JwtClaimInvalid(format!(
                    "claim {name:?} is not a finite number"
                )));
            }
            if v > 1e11 {
                return Err(Error::JwtClaimInvalid(format!(
                    "claim {name:?} is {n}, which looks like milliseconds; JWT times are seconds since the epoch (divide by 1000)"
                )));
            }
            if !(0.0..=MAX_TIME).contains(&v) {
                return Err(Error::JwtClaimInvalid(format!(
                    "claim {name:?} is {n}, outside 1970 to 3000; JWT times are seconds since \
                     the epoch (1970-01-01T00:00:00Z)"
                )));
            }
            // In range, so the conversion is exact for the whole seconds.
            Ok(Some(v.floor() as i64))
        }
        Some(_) => Err(Error::JwtClaimInvalid(format!(
            "claim {name:?} must be a number of seconds since the epoch"
        ))),
    }
}

fn string_or_array(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Verifies a token's signature and claims. Returns the decoded token.
pub fn verify(token: &str, key: &JwtKey<'_>, v: &Validation) -> Result<Decoded> {
    verify_with(token, v, |alg, input, signature| {
        verify_signature(alg, key, input, signature)
    })
}

/// As [`verify`], with the signature checked by `check(alg, signing_input, signature)`: for a
/// key held outside (a WebCrypto key that cannot be exported). The algorithm rules and claims
/// are the same.
pub fn verify_with(
    token: &str,
    v: &Validation,
    check: impl FnOnce(Algorithm, &[u8], &[u8]) -> Result<()>,
) -> Result<Decoded> {
    require_algorithms(&v.algorithms)?;
    let decoded = decode(token)?;
    let alg_name = decoded
        .alg()
        .ok_or_else(|| Error::JwtMalformed("the token header has no \"alg\"".into()))?;
    let alg = v
        .algorithms
        .iter()
        .copied()
        .find(|a| a.name() == alg_name)
        .ok_or_else(|| {
            let allowed: Vec<&str> = v.algorithms.iter().map(|a| a.name()).collect();
            Error::JwtAlgorithmNotAllowed(format!(
                "the token is signed with {:?} but only {} is allowed",
                truncate(alg_name, 40),
                allowed.join(", ")
            ))
        })?;
    if let Some(crit) = decoded.header.get("crit") {
        return Err(Error::JwtMalformed(format!(
            "the token header lists critical extensions {crit} that this verifier does not understand (RFC 7515 section 4.1.11)"
        )));
    }
    check(alg, decoded.signing_input.as_bytes(), &decoded.signature)?;
    check_claims(&decoded.payload, v)?;
    Ok(decoded)
}

/// Checks the registered claims and `qsh` of a payload whose signature has been verified.
pub fn check_claims(payload: &Map<String, Value>, v: &Validation) -> Result<()> {
    for name in &v.required_claims {
        if !payload.contains_key(name) {
            return Err(Error::JwtClaimMissing(format!(
                "the token has no {name:?} claim, which is required"
            )));
        }
    }
    let exp = numeric_claim(payload, "exp")?;
    let nbf = numeric_claim(payload, "nbf")?;
    let iat = numeric_claim(payload, "iat")?;
    if let Some(exp) = exp {
        if exp <= v.now.saturating_sub(v.leeway) {
            return Err(Error::JwtExpired(format!(
                "the token expired at {exp} ({} s ago, leeway {} s); make a new token, and check the clock if it was just made",
                v.now - exp,
                v.leeway
            )));
        }
    }
    if let Some(iat) = iat {
        if iat > v.now.saturating_add(v.leeway) {
            return Err(Error::JwtClaimInvalid(format!(
                "the token was issued at {iat}, {} s in the future (leeway {} s): the issuer's \
                 clock is ahead, or the token was forged; check the clocks of both sides, or \
                 allow a leeway",
                iat - v.now,
                v.leeway
            )));
        }
    }
    if let Some(nbf) = nbf {
        if nbf > v.now.saturating_add(v.leeway) {
            return Err(Error::JwtNotYetValid(format!(
                "the token is not valid before {nbf} ({} s from now, leeway {} s); check the clocks of both sides",
                nbf - v.now,
                v.leeway
            )));
        }
    }
    if !v.issuer.is_empty() {
        let iss = payload.get("iss").and_then(Value::as_str).ok_or_else(|| {
            Error::JwtClaimMissing("the token has no \"iss\" (issuer) claim".into())
        })?;
        if !v.issuer.iter().any(|i| i == iss) {
            return Err(Error::JwtClaimInvalid(format!(
                "iss is {:?} but {:?} was expected",
                truncate(iss, 200),
                v.issuer.join("\" or \"")
            )));
        }
    }
    if let Some(sub) = &v.subject {
        if payload.get("sub").and_then(Value::as_str) != Some(sub.as_str()) {
            return Err(Error::JwtClaimInvalid(format!(
                "sub is {} but {sub:?} was expected",
                payload
                    .get("sub")
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "missing".into())
            )));
        }
    }
    if !v.audience.is_empty() {
        let aud = payload.get("aud").map(string_or_array).unwrap_or_default();
        if aud.is_empty() {
            return Err(Error::JwtClaimMissing(format!(
                "the token has no \"aud\" (audience) claim; {:?} was expected",
                v.audience.join("\" or \"")
            )));
        }
        if !aud.iter().any(|a| v.audience.iter().any(|w| w == a)) {
            return Err(Error::JwtClaimInvalid(format!(
                "aud is {:?} but {:?} was expected",
                aud,
                v.audience.join("\" or \"")
            )));
        }
    }
    check_qsh(payload, &v.qsh)
}

fn check_qsh(payload: &Map<String, Value>, check: &QshCheck) -> Result<()> {
    if matches!(check, QshCheck::None) {
        return Ok(());
    }
    let actual = match payload.get("qsh") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(Error::JwtClaimInvalid("the qsh claim must be a string".into())),
        None => {
            return Err(Error::QshMissing(
                "the token has no qsh claim; Connect tokens must carry the query string hash of the request (or context-qsh for context tokens)"
                    .into(),
            ))
        }
    };
    match check {
        QshCheck::None => Ok(()),
        QshCheck::Context => {
            if actual == CONTEXT_QSH {
                Ok(())
            } else {
                Err(Error::QshMismatch {
                    expected: CONTEXT_QSH.into(),
                    actual: actual.into(),
                    canonical_request: String::new(),
                })
            }
        }
        QshCheck::Request {
            method,
            url,
            options,
            allow_context,
        } => {
            if actual == CONTEXT_QSH {
                return if *allow_context {
                    Ok(())
                } else {
                    Err(Error::QshContextNotAllowed(
                        "the token is a context token (qsh \"context-qsh\") but this endpoint needs a token bound to the request; sign the request itself"
                            .into(),
                    ))
                };
            }
            let primary = QshOptions {
                body: None,
                ..options.clone()
            };
            let first = canonical_request(method, url, &primary)?;
            if hash_canonical(&first) == actual {
                return Ok(());
            }
            // A verifier accepts the form-body and decoded-path variants too (docs/spec/QSH.md).
            let mut variants = Vec::new();
            if options.body.is_some() {
                variants.push(options.clone());
            }
            if options.path_form == PathForm::Wire && url.contains('%') {
                variants.push(QshOptions {
                    path_form: PathForm::Decoded,
                    body: None,
                    ..options.clone()
                });
                if options.body.is_some() {
                    variants.push(QshOptions {
                        path_form: PathForm::Decoded,
                        ..options.clone()
                    });
                }
            }
            for o in &variants {
                if hash_canonical(&canonical_request(method, url, o)?) == actual {
                    return Ok(());
                }
            }
            Err(Error::QshMismatch {
                expected: hash_canonical(&first),
                actual: actual.into(),
                canonical_request: first,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_header_is_what_the_writer_writes() {
        // The header of a token without extra members is the writer's text of the same members
        // in the same order as a token with one (then removed).
        let mut extra = Map::new();
        extra.insert("kid".into(), Value::String("k".into()));
        for alg in Algorithm::ALL {
            let plain = signing_input_json(alg, &Map::new(), b"{}");
            let with_kid = signing_input_json(alg, &extra, b"{}");
            let mut h = Map::new();
            for (k, v) in &decode(&format!("{with_kid}.AA")).unwrap().header {
                if k != "kid" {
                    h.insert(k.clone(), v.clone());
                }
            }
            let mut written = String::new();
            json::write_object(&mut written, &h);
            let head = plain.split('.').next().unwrap();
            assert_eq!(
                b64url_decode(head).unwrap(),
                written.as_bytes(),
                "{}",
                alg.name()
            );
        }
        for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            let key = JwtKey::Secret(b"secret");
            let plain = encode_json(alg, &key, &Map::new(), b"{}").unwrap();
            assert!(plain.starts_with(&signing_input_json(alg, &Map::new(), b"{}")));
            // A caller's `typ` keeps the second place; other members follow in their order.
            let mut custom = Map::new();
            custom.insert("kid".into(), Value::String("k".into()));
            custom.insert("typ".into(), Value::String("JOSE".into()));
            custom.insert("alg".into(), Value::String("none".into()));
            let t = encode_json(alg, &key, &custom, b"{}").unwrap();
            let head = b64url_decode(t.split('.').next().unwrap()).unwrap();
            assert_eq!(
                String::from_utf8(head).unwrap(),
                format!(
                    "{{\"alg\":\"{}\",\"typ\":\"JOSE\",\"kid\":\"k\"}}",
                    alg.name()
                )
            );
            assert!(verify_signature(
                alg,
                &key,
                plain.rsplit_once('.').unwrap().0.as_bytes(),
                &b64url_decode(plain.rsplit('.').next().unwrap()).unwrap()
            )
            .is_ok());
        }
    }
}
