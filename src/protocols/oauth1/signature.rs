//! The signature methods (RFC 5849 section 3.4.2 to 3.4.4, plus HMAC-SHA256 and RSA-SHA256),
//! and signatures over a base string, made and checked.

use core::fmt;

use subtle::ConstantTimeEq;

use crate::error::{Error, Result};
use crate::primitives::encoding::{b64_decode, b64_encode, percent_encode_into};
use crate::primitives::keys::RsaKey;
use crate::primitives::url::truncate;

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

    pub(super) fn exact(name: &str) -> Option<SignatureMethod> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }
}

impl fmt::Display for SignatureMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

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

pub(super) fn key_mismatch(method: SignatureMethod) -> Error {
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

/// RSA signing needs the private key; a public key gets a message that says how to get it right.
pub fn require_private_key(method: SignatureMethod, key: &RsaKey) -> Result<()> {
    if let RsaKey::Public(_, format) = key {
        return Err(Error::InvalidKey(format!(
            "{method} signing needs the consumer's RSA private key, but privateKey is {}; pass \
             the private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY) and give the public \
             key to the server (Jira: Application Links > Incoming Authentication). The public \
             key comes from the private one with: openssl pkey -in private.pem -pubout -out \
             public.pem",
            format.describe()
        )));
    }
    Ok(())
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
