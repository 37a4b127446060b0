//! RSA keys from PEM (PKCS#1 RFC 8017 appendix A.1, PKCS#8 RFC 5208, SPKI RFC 5280 section
//! 4.1.2.7, X.509 certificates), bare base64 DER (as Jira's Application Link form takes it),
//! and JWK (RFC 7517 / RFC 7518 section 6.3). The one key parser of the crate.

use zeroize::Zeroize;

use crate::primitives::json::{self, Value};

use crate::primitives::rsa::certificate_spki;
use crate::primitives::rsa::PrivateParts;
pub use crate::primitives::rsa::{PrivateKey, PublicKey};

use crate::error::{Error, Result};
use crate::primitives::encoding::{b64_decode, b64_encode, b64url_decode, b64url_encode};

/// What a PEM block or DER blob turned out to hold, named as a person would name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFormat {
    /// `-----BEGIN PRIVATE KEY-----`
    Pkcs8Private,
    /// `-----BEGIN RSA PRIVATE KEY-----`
    Pkcs1Private,
    /// `-----BEGIN PUBLIC KEY-----`
    SpkiPublic,
    /// `-----BEGIN RSA PUBLIC KEY-----`
    Pkcs1Public,
    /// `-----BEGIN CERTIFICATE-----`
    Certificate,
    /// A JSON Web Key.
    Jwk,
}

impl KeyFormat {
    /// A short description for messages.
    pub fn describe(self) -> &'static str {
        match self {
            KeyFormat::Pkcs8Private => "a PKCS#8 private key (BEGIN PRIVATE KEY)",
            KeyFormat::Pkcs1Private => "a PKCS#1 private key (BEGIN RSA PRIVATE KEY)",
            KeyFormat::SpkiPublic => "an SPKI public key (BEGIN PUBLIC KEY)",
            KeyFormat::Pkcs1Public => "a PKCS#1 public key (BEGIN RSA PUBLIC KEY)",
            KeyFormat::Certificate => "an X.509 certificate (BEGIN CERTIFICATE)",
            KeyFormat::Jwk => "a JWK",
        }
    }
}

/// A parsed RSA key: private (which also gives the public half) or public only.
#[derive(Debug, Clone)]
pub enum RsaKey {
    /// A private key and the format it came in.
    Private(Box<PrivateKey>, KeyFormat),
    /// A public key and the format it came in.
    Public(Box<PublicKey>, KeyFormat),
}

impl RsaKey {
    /// The public half.
    pub fn public_key(&self) -> &PublicKey {
        match self {
            RsaKey::Private(k, _) => k.as_public_key(),
            RsaKey::Public(k, _) => k,
        }
    }

    /// The private key, or `ERR_INVALID_KEY` explaining that a private key is needed.
    pub fn private_key(&self) -> Result<&PrivateKey> {
        match self {
            RsaKey::Private(k, _) => Ok(k),
            RsaKey::Public(_, f) => Err(Error::InvalidKey(format!(
                "signing needs the RSA private key, but {} was given; pass the private key \
                 (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY) and keep the public key for the server",
                f.describe()
            ))),
        }
    }

    /// The size of the modulus in bits.
    pub fn bits(&self) -> usize {
        match self {
            RsaKey::Private(k, _) => k.bits(),
            RsaKey::Public(k, _) => k.bits(),
        }
    }

    /// The format the key was read from.
    pub fn format(&self) -> KeyFormat {
        match self {
            RsaKey::Private(_, f) | RsaKey::Public(_, f) => *f,
        }
    }
}

const ENCRYPTED_HELP: &str = "the private key is encrypted with a passphrase; decrypt it first: \
     openssl pkcs8 -topk8 -nocrypt -in encrypted.pem -out key.pem";

/// Reads an RSA key from PEM text, bare base64 DER, or JWK JSON text.
pub fn parse_rsa_key(text: &str) -> Result<RsaKey> {
    let trimmed = text.trim();
    if trimmed.starts_with('{') {
        let v: Value = json::from_str(trimmed).map_err(|e| {
            Error::InvalidKey(format!(
                "the key looks like a JWK but is not valid JSON: {e}"
            ))
        })?;
        return rsa_key_from_jwk(&v);
    }
    if trimmed.contains("-----BEGIN") {
        let (label, mut der, encrypted_header) = first_pem_block(trimmed)?;
        if encrypted_header || label == "ENCRYPTED PRIVATE KEY" {
            return Err(Error::InvalidKey(ENCRYPTED_HELP.into()));
        }
        let key = match label.as_str() {
            "PRIVATE KEY" => pkcs8_private(&der),
            "RSA PRIVATE KEY" => pkcs1_private(&der),
            "PUBLIC KEY" => spki_public(&der),
            "RSA PUBLIC KEY" => pkcs1_public(&der),
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => certificate_public(&der),
            other => Err(Error::InvalidKey(format!(
                "a PEM block labelled {other:?} is not an RSA key; pass BEGIN PRIVATE KEY, \
                 BEGIN RSA PRIVATE KEY, BEGIN PUBLIC KEY or BEGIN CERTIFICATE"
            ))),
        };
        der.zeroize();
        return key;
    }
    // Bare base64 DER, as Jira's Application Link form shows and takes public keys.
    if let Some(mut der) = b64_decode(trimmed).filter(|d| !d.is_empty()) {
        let key = pkcs8_private(&der)
            .or_else(|_| spki_public(&der))
            .or_else(|_| pkcs1_private(&der))
            .or_else(|_| pkcs1_public(&der))
            .or_else(|_| certificate_public(&der))
            .map_err(|_| {
                Error::InvalidKey(
                    "the base64 text is not a DER RSA key (PKCS#8, PKCS#1, SPKI or certificate); \
                     pass a PEM file such as one made by: openssl genpkey -algorithm RSA \
                     -pkeyopt rsa_keygen_bits:2048 -out key.pem"
                        .into(),
                )
            });
        der.zeroize();
        return key;
    }
    Err(Error::InvalidKey(
        "the key is not PEM, base64 DER or a JWK; an RSA key starts with \
         -----BEGIN PRIVATE KEY----- (make one with: openssl genpkey -algorithm RSA \
         -pkeyopt rsa_keygen_bits:2048 -out key.pem)"
            .into(),
    ))
}

/// Splits the first PEM block into (label, DER, has an encryption header).
fn first_pem_block(text: &str) -> Result<(String, Vec<u8>, bool)> {
    let begin = text
        .find("-----BEGIN ")
        .ok_or_else(|| Error::InvalidKey("no -----BEGIN line".into()))?;
    let after = &text[begin + 11..];
    let label_end = after
        .find("-----")
        .ok_or_else(|| Error::InvalidKey("the -----BEGIN line is not closed with -----".into()))?;
    let label = after[..label_end].trim().to_owned();
    let body_and_rest = &after[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let end = body_and_rest.find(&end_marker).ok_or_else(|| {
        Error::InvalidKey(format!(
            "the PEM block BEGIN {label} has no matching {end_marker} line; paste the whole file"
        ))
    })?;
    let body = &body_and_rest[..end];
    let mut encrypted = false;
    let mut b64 = String::with_capacity(body.len());
    for line in body.lines() {
        let line = line.trim();
        if line.contains(':') {
            // RFC 1421 headers (Proc-Type: 4,ENCRYPTED, DEK-Info: ...).
            if line.starts_with("Proc-Type") && line.contains("ENCRYPTED") {
                encrypted = true;
            }
            continue;
        }
        b64.push_str(line);
    }
    let der = b64_decode(&b64).ok_or_else(|| {
        Error::InvalidKey(format!(
            "the body of the BEGIN {label} block is not valid base64; was the key cut or re-wrapped?"
        ))
    })?;
    Ok((label, der, encrypted))
}

fn der_error(what: KeyFormat, e: impl core::fmt::Display) -> Error {
    Error::InvalidKey(format!(
        "{} could not be read ({e}); check that it is an RSA key and complete",
        what.describe()
    ))
}

fn pkcs8_private(der: &[u8]) -> Result<RsaKey> {
    PrivateKey::from_pkcs8_der(der)
        .map(|k| RsaKey::Private(Box::new(k), KeyFormat::Pkcs8Private))
        .map_err(|e| der_error(KeyFormat::Pkcs8Private, e))
}

fn pkcs1_private(der: &[u8]) -> Result<RsaKey> {
    PrivateKey::from_pkcs1_der(der)
        .map(|k| RsaKey::Private(Box::new(k), KeyFormat::Pkcs1Private))
        .map_err(|e| der_error(KeyFormat::Pkcs1Private, e))
}

fn spki_public(der: &[u8]) -> Result<RsaKey> {
    PublicKey::from_spki_der(der)
        .map(|k| RsaKey::Public(Box::new(k), KeyFormat::SpkiPublic))
        .map_err(|e| der_error(KeyFormat::SpkiPublic, e))
}

fn pkcs1_public(der: &[u8]) -> Result<RsaKey> {
    PublicKey::from_pkcs1_der(der)
        .map(|k| RsaKey::Public(Box::new(k), KeyFormat::Pkcs1Public))
        .map_err(|e| der_error(KeyFormat::Pkcs1Public, e))
}

fn certificate_public(der: &[u8]) -> Result<RsaKey> {
    let spki = certificate_spki(der)
        .ok_or_else(|| der_error(KeyFormat::Certificate, "not a DER X.509 certificate"))?;
    PublicKey::from_spki_der(&spki)
        .map(|k| RsaKey::Public(Box::new(k), KeyFormat::Certificate))
        .map_err(|e| der_error(KeyFormat::Certificate, e))
}

fn jwk_uint(jwk: &Value, name: &str) -> Result<Option<Vec<u8>>> {
    match jwk.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            let bytes = b64url_decode(s).ok_or_else(|| {
                Error::InvalidKey(format!(
                    "JWK member {name:?} is not base64url without padding"
                ))
            })?;
            if bytes.is_empty() || bytes.len() > 2048 {
                return Err(Error::InvalidKey(format!(
                    "JWK member {name:?} has an unusable length"
                )));
            }
            Ok(Some(bytes))
        }
        Some(_) => Err(Error::InvalidKey(format!(
            "JWK member {name:?} must be a base64url string"
        ))),
    }
}

/// Reads an RSA key from a JWK (`kty: "RSA"`); private when it has `d`.
pub fn rsa_key_from_jwk(jwk: &Value) -> Result<RsaKey> {
    if !jwk.is_object() {
        return Err(Error::InvalidKey("a JWK must be a JSON object".into()));
    }
    match jwk.get("kty").and_then(Value::as_str) {
        Some("RSA") => {}
        Some(other) => {
            return Err(Error::InvalidKey(format!(
                "JWK kty {other:?} is not supported here; an RSA key (kty \"RSA\") is needed"
            )))
        }
        None => return Err(Error::InvalidKey("the JWK has no \"kty\" member".into())),
    }
    let n = jwk_uint(jwk, "n")?
        .ok_or_else(|| Error::InvalidKey("the RSA JWK has no modulus \"n\"".into()))?;
    let e = jwk_uint(jwk, "e")?
        .ok_or_else(|| Error::InvalidKey("the RSA JWK has no exponent \"e\"".into()))?;
    match jwk_uint(jwk, "d")? {
        None => PublicKey::new(&n, &e)
            .map(|k| RsaKey::Public(Box::new(k), KeyFormat::Jwk))
            .map_err(|err| der_error(KeyFormat::Jwk, err)),
        Some(d) => {
            if jwk.get("oth").is_some_and(|v| !v.is_null()) {
                return Err(Error::InvalidKey(
                    "the JWK is a multi-prime RSA key (\"oth\"), which is not supported; use a \
                     two-prime key"
                        .into(),
                ));
            }
            let (p, q) = (jwk_uint(jwk, "p")?, jwk_uint(jwk, "q")?);
            // With both primes, qi is checked (or computed when absent); dp and dq are always
            // recomputed from d. Without them the key signs without the CRT.
            let (p, q, qi) = match (p, q) {
                (Some(p), Some(q)) => (Some(p), Some(q), jwk_uint(jwk, "qi")?),
                _ => (None, None, None),
            };
            let key = PrivateKey::from_parts(&PrivateParts {
                n: &n,
                e: &e,
                d: &d,
                p: p.as_deref(),
                q: q.as_deref(),
                qinv: qi.as_deref(),
            })
            .map(|k| RsaKey::Private(Box::new(k), KeyFormat::Jwk))
            .map_err(|err| der_error(KeyFormat::Jwk, err));
            for mut secret in [Some(d), p, q, qi].into_iter().flatten() {
                secret.zeroize();
            }
            key
        }
    }
}

fn pem_wrap(label: &str, der: &[u8]) -> String {
    let b64 = b64_encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        // base64 output is ASCII, so every chunk is valid UTF-8.
        out.push_str(core::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The public key as SPKI PEM (`BEGIN PUBLIC KEY`), the form Jira's Application Link takes.
pub fn public_key_spki_pem(key: &PublicKey) -> Result<String> {
    Ok(pem_wrap("PUBLIC KEY", &key.to_spki_der()))
}

/// The public key as PKCS#1 PEM (`BEGIN RSA PUBLIC KEY`).
pub fn public_key_pkcs1_pem(key: &PublicKey) -> Result<String> {
    Ok(pem_wrap("RSA PUBLIC KEY", &key.to_pkcs1_der()))
}

/// The private key as PKCS#8 PEM (`BEGIN PRIVATE KEY`). Needs the primes p and q (a JWK
/// with only n, e and d cannot be written as PKCS#8).
pub fn private_key_pkcs8_pem(key: &PrivateKey) -> Result<String> {
    let der = key.to_pkcs8_der().ok_or_else(|| {
        Error::InvalidKey(
            "the private key has no primes p and q (a JWK with only n, e and d), so it cannot be \
             written as PKCS#8; export the full key"
                .into(),
        )
    })?;
    Ok(pem_wrap("PRIVATE KEY", &der))
}

/// The public key as a JWK (`{"kty":"RSA","n":...,"e":...}`).
pub fn public_key_jwk(key: &PublicKey) -> Value {
    crate::primitives::json::json!({
        "kty": "RSA",
        "n": b64url_encode(&key.n_bytes()),
        "e": b64url_encode(&key.e_bytes()),
    })
}

/// The warning a result carries when OAuth 1.0a or trusted applications use an RSA key under
/// 2048 bits: accepted there, because old Atlassian guides generated 1024-bit keys, but weak.
pub fn short_key_warning(key: &RsaKey) -> Option<String> {
    (key.bits() < 2048).then(|| {
        format!(
            "the RSA key has {} bits: accepted for OAuth 1.0a and trusted applications, whose \
             old guides made 1024-bit keys, but under the 2048 bits recommended since 2013; \
             make a 2048-bit key (openssl genpkey -algorithm RSA -pkeyopt \
             rsa_keygen_bits:2048) and update the Application Link",
            key.bits()
        )
    })
}

/// What a key given as text is: PEM or JWK JSON text is an RSA key; any other text is an HMAC
/// secret (its UTF-8 bytes). Base64 DER is read as a key only where a key is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyText {
    /// PEM (`-----BEGIN ...`) or a JWK (`{ ... "kty" ... }`).
    Rsa,
    /// Anything else.
    Secret,
}

/// Classifies key text (the one rule the bindings and the page share).
pub fn classify(text: &str) -> KeyText {
    let t = text.trim_start();
    if t.starts_with("-----BEGIN") || (t.starts_with('{') && t.contains("\"kty\"")) {
        KeyText::Rsa
    } else {
        KeyText::Secret
    }
}

/// The secret of an oct JWK (`{"kty":"oct","k":...}`), `None` for any other JWK.
pub fn secret_from_jwk(jwk: &Value) -> Result<Option<Vec<u8>>> {
    if jwk.get("kty").and_then(Value::as_str) != Some("oct") {
        return Ok(None);
    }
    let k = jwk.get("k").and_then(Value::as_str).unwrap_or_default();
    b64url_decode(k)
        .map(Some)
        .ok_or_else(|| Error::InvalidKey("the oct JWK's \"k\" is not base64url".into()))
}
