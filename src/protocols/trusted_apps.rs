//! Seraph trusted applications, protocol versions 2 and 3 (legacy Atlassian Server/Data
//! Center application trust, before Application Links 5.2). See docs/spec/OTHER-SCHEMES.md.
//!
//! v3 signs `timestamp "\n" url "\n" username` with SHA1withRSA and sends the certificate in
//! clear; v2 encrypts the certificate with RC4 under a random 16-byte key that travels
//! RSA-"encrypted" with the private key (a raw RSA private-key operation, no padding).

use crate::error::{Error, Result};
use crate::primitives::encoding::{b64_decode, b64_encode};
use crate::primitives::keys::{parse_rsa_key, public_key_spki_pem, RsaKey};
use crate::primitives::url::truncate;

/// Java's `String.valueOf(0xBADC0FEE)`.
pub const MAGIC: &str = "-1159983122";
/// Header names.
pub const HEADER_ID: &str = "X-Seraph-Trusted-App-ID";
/// Protocol version header.
pub const HEADER_VERSION: &str = "X-Seraph-Trusted-App-Version";
/// Certificate header.
pub const HEADER_CERT: &str = "X-Seraph-Trusted-App-Cert";
/// v2: the RSA-wrapped RC4 key.
pub const HEADER_KEY: &str = "X-Seraph-Trusted-App-Key";
/// v2: the RSA-wrapped magic number.
pub const HEADER_MAGIC: &str = "X-Seraph-Trusted-App-Magic";
/// The signature header.
pub const HEADER_SIGNATURE: &str = "X-Seraph-Trusted-App-Signature";

fn rejected(seraph: &'static str, msg: String) -> Error {
    Error::TrustedAppsRejected {
        seraph_code: seraph,
        message: msg,
    }
}

/// RC4 (the v2 certificate cipher; legacy, kept only because the protocol requires it).
fn rc4(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut s: [u8; 256] = core::array::from_fn(|i| i as u8);
    let mut j: u8 = 0;
    for i in 0..256 {
        j = j.wrapping_add(s[i]).wrapping_add(key[i % key.len()]);
        s.swap(i, j as usize);
    }
    let (mut i, mut j) = (0u8, 0u8);
    data.iter()
        .map(|&b| {
            i = i.wrapping_add(1);
            j = j.wrapping_add(s[i as usize]);
            s.swap(i as usize, j as usize);
            b ^ s[(s[i as usize].wrapping_add(s[j as usize])) as usize]
        })
        .collect()
}

fn sha1_sign(key: &RsaKey, data: &str) -> Result<String> {
    let digest = crate::primitives::rsa::Hash::Sha1.digest(&[data.as_bytes()]);
    let sig = key
        .private_key()?
        .sign_pkcs1v15(crate::primitives::rsa::Hash::Sha1, digest.as_slice())
        .map_err(|e| Error::SigningFailed(format!("RSA signing failed: {e}")))?;
    Ok(b64_encode(&sig))
}

fn raw_private(key: &RsaKey, m: &[u8]) -> Result<Vec<u8>> {
    key.private_key()?
        .raw_private(m)
        .map_err(|e| Error::SigningFailed(format!("raw RSA failed: {e}")))
}

fn raw_public(key: &RsaKey, c: &[u8]) -> Result<Vec<u8>> {
    let public = key.public_key();
    if c.len() > public.size() {
        return Err(rejected(
            "BAD_MAGIC",
            "a wrapped value is longer than the RSA modulus".into(),
        ));
    }
    let m = public.raw_public(c).ok_or_else(|| {
        rejected(
            "BAD_MAGIC",
            "a wrapped value is not below the RSA modulus".into(),
        )
    })?;
    let skip = m.iter().take_while(|&&b| b == 0).count();
    Ok(m[skip..].to_vec())
}

/// The trusted-apps request headers, in the order they are sent.
pub fn sign(
    version: u8,
    app_id: &str,
    key: &RsaKey,
    username: &str,
    url: &str,
    timestamp_ms: i64,
) -> Result<Vec<(String, String)>> {
    if app_id.is_empty() {
        return Err(Error::InvalidInput(
            "appId is required (the trusted application's id)".into(),
        ));
    }
    if username.contains('\n') || url.contains('\n') {
        return Err(Error::InvalidInput(
            "username and url cannot contain line breaks".into(),
        ));
    }
    let ts = timestamp_ms.to_string();
    let cert_plain = format!("{ts}\n{username}\n{MAGIC}");
    let mut headers = vec![
        (HEADER_ID.to_owned(), app_id.to_owned()),
        (HEADER_VERSION.to_owned(), version.to_string()),
    ];
    match version {
        3 => {
            headers.push((HEADER_CERT.to_owned(), b64_encode(cert_plain.as_bytes())));
            headers.push((
                HEADER_SIGNATURE.to_owned(),
                sha1_sign(key, &format!("{ts}\n{url}\n{username}"))?,
            ));
        }
        2 => {
            let mut rc4_key = [0u8; 16];
            loop {
                getrandom::fill(&mut rc4_key)
                    .map_err(|e| Error::SigningFailed(format!("no randomness: {e}")))?;
                // A leading zero would be lost through raw RSA.
                if rc4_key[0] != 0 {
                    break;
                }
            }
            headers.push((
                HEADER_CERT.to_owned(),
                b64_encode(&rc4(&rc4_key, cert_plain.as_bytes())),
            ));
            headers.push((
                HEADER_KEY.to_owned(),
                b64_encode(&raw_private(key, &rc4_key)?),
            ));
            headers.push((
                HEADER_MAGIC.to_owned(),
                b64_encode(&raw_private(key, MAGIC.as_bytes())?),
            ));
            headers.push((
                HEADER_SIGNATURE.to_owned(),
                sha1_sign(key, &format!("{ts}\n{url}"))?,
            ));
        }
        v => {
            return Err(Error::InvalidInput(format!(
                "trusted-apps protocol version {v} is not supported; use 2 or 3"
            )))
        }
    }
    Ok(headers)
}

/// A verified trusted-apps request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The caller's application id.
    pub app_id: String,
    /// The user the caller acts as.
    pub username: String,
    /// The certificate's timestamp (ms).
    pub timestamp_ms: i64,
    /// Protocol version (2 or 3).
    pub version: u8,
    /// What the caller should know: an RSA key under 2048 bits.
    pub warnings: Vec<String>,
}

/// Verifies trusted-apps headers for the URL the server rebuilt. Version 2 (also what a request
/// without a version header is) is refused unless `allow_v2`: it signs only the timestamp and
/// the URL, and its username travels in an RC4 "certificate" that anyone holding the public key
/// can re-encrypt, so a captured request for one user can be replayed as another.
pub fn verify(
    header: &dyn Fn(&str) -> Option<String>,
    key: &RsaKey,
    url: &str,
    now_ms: i64,
    window_ms: i64,
    allow_v2: bool,
) -> Result<Verified> {
    if window_ms < 0 {
        return Err(Error::InvalidInput(format!(
            "the timestamp window is {window_ms} ms; give a window of 0 ms or more (Jira's default is 600000)"
        )));
    }
    let need = |name: &str, code: &'static str| {
        header(name).ok_or_else(|| rejected(code, format!("the {name} header is missing")))
    };
    let app_id = need(HEADER_ID, "APP_ID_NOT_FOUND")?;
    let version: u8 = match header(HEADER_VERSION).as_deref().map(str::trim) {
        Some("3") => 3,
        Some("2") | None => 2,
        Some(v) => {
            return Err(rejected(
                "BAD_PROTOCOL_VERSION",
                format!("protocol version {:?} is not 2 or 3", truncate(v, 10)),
            ))
        }
    };
    if version == 2 && !allow_v2 {
        return Err(rejected(
            "BAD_PROTOCOL_VERSION",
            "the request uses trusted-apps protocol version 2 (or sends no version header, \
             which means 2), refused by default: v2 signs only the timestamp and the URL, so \
             anyone holding the public key can change the username; upgrade the caller to v3, \
             or pass allowV2 if you accept that risk"
                .into(),
        ));
    }
    let cert_b64 = need(HEADER_CERT, "MISSING_CERT")?;
    let cert_bytes = b64_decode(cert_b64.trim())
        .ok_or_else(|| rejected("MISSING_CERT", "the certificate is not base64".into()))?;
    let cert = if version == 3 {
        cert_bytes
    } else {
        let wrapped_key =
            b64_decode(need(HEADER_KEY, "SECRET_KEY_NOT_FOUND")?.trim()).ok_or_else(|| {
                rejected(
                    "SECRET_KEY_NOT_FOUND",
                    "the key header is not base64".into(),
                )
            })?;
        let rc4_key = raw_public(key, &wrapped_key)?;
        if rc4_key.is_empty() || rc4_key.len() > 32 {
            return Err(rejected(
                "SECRET_KEY_NOT_FOUND",
                "the wrapped key does not unwrap with this public key".into(),
            ));
        }
        let magic =
            b64_decode(need(HEADER_MAGIC, "MAGIC_NUMBER_NOT_FOUND")?.trim()).ok_or_else(|| {
                rejected(
                    "MAGIC_NUMBER_NOT_FOUND",
                    "the magic header is not base64".into(),
                )
            })?;
        if raw_public(key, &magic)? != MAGIC.as_bytes() {
            return Err(rejected("BAD_MAGIC", "the magic number does not unwrap with this public key: the caller's key differs from the one configured".into()));
        }
        rc4(&rc4_key, &cert_bytes)
    };
    let cert = String::from_utf8(cert).map_err(|_| {
        rejected(
            "BAD_MAGIC",
            "the certificate does not decrypt: the key differs".into(),
        )
    })?;
    let mut lines = cert.split('\n');
    let (Some(ts), Some(username), Some(magic), None) =
        (lines.next(), lines.next(), lines.next(), lines.next())
    else {
        return Err(rejected(
            "BAD_MAGIC",
            "the certificate is not timestamp, username and magic on three lines".into(),
        ));
    };
    if magic != MAGIC {
        return Err(rejected(
            "BAD_MAGIC",
            "the certificate's magic number is wrong".into(),
        ));
    }
    let timestamp_ms: i64 = ts.parse().map_err(|_| {
        rejected(
            "BAD_MAGIC",
            "the certificate's timestamp is not a number".into(),
        )
    })?;
    // Newer clients send now + 15 minutes.
    // Saturating: `now` and the window come from the caller and may be anything.
    let earliest = now_ms.saturating_sub(window_ms);
    let latest = now_ms.saturating_add(900_000).saturating_add(window_ms);
    if timestamp_ms < earliest || timestamp_ms > latest {
        return Err(rejected("OLD_CERT", format!(
            "the certificate's timestamp {timestamp_ms} is outside the window around {now_ms}; synchronise the clocks"
        )));
    }
    let signed = if version == 3 {
        format!("{ts}\n{url}\n{username}")
    } else {
        format!("{ts}\n{url}")
    };
    let sig = b64_decode(need(HEADER_SIGNATURE, "BAD_SIGNATURE")?.trim())
        .ok_or_else(|| rejected("BAD_SIGNATURE", "the signature is not base64".into()))?;
    let digest = crate::primitives::rsa::Hash::Sha1.digest(&[signed.as_bytes()]);
    if !key.public_key().verify_pkcs1v15(
        crate::primitives::rsa::Hash::Sha1,
        digest.as_slice(),
        &sig,
    ) {
        return Err(rejected(
            "BAD_SIGNATURE",
            format!("Bad signature for URL: {url}"),
        ));
    }
    Ok(Verified {
        app_id,
        username: username.to_owned(),
        timestamp_ms,
        version,
        warnings: crate::primitives::keys::short_key_warning(key)
            .into_iter()
            .collect(),
    })
}

/// A parsed `<base>/admin/appTrustCertificate` response.
#[derive(Debug, Clone)]
pub struct AppTrustCertificate {
    /// The application id.
    pub app_id: String,
    /// The public key.
    pub key: RsaKey,
    /// The public key as SPKI PEM.
    pub public_key_pem: String,
    /// The protocol version, if given.
    pub version: Option<String>,
    /// The magic, if given.
    pub magic: Option<String>,
}

/// Parses `appTrustCertificate`: non-empty lines of application id, base64 SPKI public key,
/// optional protocol version, optional magic.
pub fn parse_app_trust_certificate(text: &str) -> Result<AppTrustCertificate> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let (Some(app_id), Some(key_b64)) = (lines.first(), lines.get(1)) else {
        return Err(Error::InvalidInput(
            "appTrustCertificate has an application id line and a base64 public key line; this text has fewer lines".into(),
        ));
    };
    let key = parse_rsa_key(key_b64)?;
    let public_key_pem = public_key_spki_pem(key.public_key())?;
    Ok(AppTrustCertificate {
        app_id: (*app_id).to_owned(),
        public_key_pem,
        key,
        version: lines.get(2).map(|s| (*s).to_owned()),
        magic: lines.get(3).map(|s| (*s).to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rc4_known_answer() {
        // RFC 6229 is for long keys; the classic "Key"/"Plaintext" vector.
        assert_eq!(
            crate::primitives::encoding::hex_lower(&rc4(b"Key", b"Plaintext")),
            "bbf316e8d940af0ad3"
        );
    }
}
