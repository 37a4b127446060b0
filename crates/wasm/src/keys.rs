//! Keys: `exportPublicKey`, what key text is (`keyKind`), and the PKCS#8 DER WebCrypto imports.

use wasm_bindgen::prelude::*;

use super::boundary::*;
use atlassian_sign::error::Error;
use atlassian_sign::json::json;
use atlassian_sign::keys::{self, KeyText, RsaKey};

/// The public half of a key in every form: `{ publicKey, publicKeyPkcs1, jwk, bits, format,
/// private }`. `text` is PEM, base64 DER or JWK JSON; `jwk` is the JSON of a JWK object.
#[wasm_bindgen(js_name = __exportPublicKey)]
pub fn export_public_key(key_text: Option<String>, jwk: Option<String>) -> Out {
    // Any text is read as a key here: no secret is meant.
    let k = match (key_text, jwk) {
        (Some(t), _) | (None, Some(t)) => cached_rsa_key(&t).or_fail()?,
        (None, None) => {
            return Err(fail(Error::InvalidKey(
                "an RSA key (PEM or JWK) is needed, not a shared secret".into(),
            )))
        }
    };
    let public = k.public_key();
    Ok(text(&json!({
        "publicKey": keys::public_key_spki_pem(public).or_fail()?,
        "publicKeyPkcs1": keys::public_key_pkcs1_pem(public).or_fail()?,
        "jwk": keys::public_key_jwk(public),
        "bits": k.bits(),
        "format": k.format().describe(),
        "private": matches!(*k, RsaKey::Private(..)),
    })))
}

/// `"rsa"` or `"secret"`: what key text is taken as (PEM or JWK text is an RSA key).
#[wasm_bindgen(js_name = __keyKind)]
pub fn key_kind(text: &str) -> String {
    match keys::classify(text) {
        KeyText::Rsa => "rsa".into(),
        KeyText::Secret => "secret".into(),
    }
}

/// A private key as JWK JSON (every member, for WebCrypto's `importKey('jwk', ...)`), from the
/// parsed key whatever form it came in: no DER or PEM round trip.
#[wasm_bindgen(js_name = __privateJwk)]
pub fn private_jwk(key_text: &str) -> Out {
    use zeroize::Zeroize;
    let key = cached_rsa_key(key_text).or_fail()?;
    let private = key.private_key().or_fail()?;
    let mut ints = private.jwk_integers().ok_or_else(|| {
        fail(Error::InvalidKey(
            "the private key has no two primes".into(),
        ))
    })?;
    let mut m = atlassian_sign::json::Map::new();
    m.insert("kty".into(), "RSA".into());
    for (name, bytes) in ints.iter_mut() {
        m.insert(
            (*name).into(),
            atlassian_sign::encoding::b64url_encode(bytes).into(),
        );
        bytes.zeroize();
    }
    Ok(text(&atlassian_sign::json::Value::Object(m)))
}
