//! The exported functions (names are the JavaScript API contract, see README).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::*;
use crate::encoding::b64url_encode;
use crate::error::Error;
use crate::json::json;
use crate::jwt::{self, Algorithm};
use crate::keys;
use crate::qsh;

/// The public half of a key in every form: `{ publicKey, publicKeyPkcs1, jwk, bits, format }`.
#[wasm_bindgen(js_name = exportPublicKey)]
pub fn export_public_key(key: JsValue) -> JsResult<JsValue> {
    // Any text is read as a key here (PEM, base64 DER, JWK JSON): no secret is meant.
    let arg = match key.as_string() {
        Some(text) => KeyArg::Rsa(cached_rsa_key(&text).js()?),
        None => key_arg(&key)?,
    };
    let KeyArg::Rsa(k) = arg else {
        return Err(js_error(Error::InvalidKey(
            "an RSA key (PEM or JWK) is needed, not a shared secret".into(),
        )));
    };
    let public = k.public_key();
    from_json(&json!({
        "publicKey": keys::public_key_spki_pem(public).js()?,
        "publicKeyPkcs1": keys::public_key_pkcs1_pem(public).js()?,
        "jwk": keys::public_key_jwk(public),
        "bits": k.bits(),
        "format": k.format().describe(),
        "private": matches!(*k, keys::RsaKey::Private(..)),
    }))
}

/// Every error code this package throws.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    Error::CODES.iter().map(|s| s.to_string()).collect()
}

/// Signs a JWS signing input (`base64url(header).base64url(payload)`) as it is: the base64url
/// signature. For callers that must reproduce another library's header bytes exactly. The
/// input is text (signed as its UTF-8 bytes) or a Uint8Array (signed as those bytes).
#[wasm_bindgen(js_name = jwsSign)]
pub fn jws_sign(signing_input: JsValue, key: JsValue, algorithm: JsValue) -> JsResult<String> {
    let input = match signing_input.dyn_ref::<js_sys::Uint8Array>() {
        Some(bytes) => bytes.to_vec(),
        None => signing_input
            .as_string()
            .ok_or_else(|| type_error("signingInput must be a string or a Uint8Array"))?
            .into_bytes(),
    };
    let alg = Algorithm::from_name(&req_string(&algorithm, "algorithm")?).js()?;
    let key = key_arg(&key)?;
    with_key(&key, |k| jwt::sign(alg, k, &input)).map(|s| b64url_encode(&s))
}

/// Checks a JWS signature (bytes, or base64url text) over a signing input (text, as its UTF-8
/// bytes, or a Uint8Array); true when it matches. HMAC tags are compared in constant time.
#[wasm_bindgen(js_name = jwsVerify)]
pub fn jws_verify(
    signing_input: JsValue,
    signature: JsValue,
    key: JsValue,
    algorithm: JsValue,
) -> JsResult<bool> {
    let input = match signing_input.dyn_ref::<js_sys::Uint8Array>() {
        Some(bytes) => bytes.to_vec(),
        None => signing_input
            .as_string()
            .ok_or_else(|| type_error("signingInput must be a string or a Uint8Array"))?
            .into_bytes(),
    };
    let alg = Algorithm::from_name(&req_string(&algorithm, "algorithm")?).js()?;
    let sig = if let Some(bytes) = signature.dyn_ref::<js_sys::Uint8Array>() {
        bytes.to_vec()
    } else {
        let s = req_string(&signature, "signature")?;
        match crate::encoding::b64url_decode(&s) {
            Some(b) => b,
            None => return Ok(false),
        }
    };
    let key = key_arg(&key)?;
    match with_key(&key, |k| jwt::verify_signature(alg, k, &input, &sig)) {
        Ok(()) => Ok(true),
        Err(e)
            if js_sys::Reflect::get(&e, &"code".into())
                .ok()
                .and_then(|c| c.as_string())
                .as_deref()
                == Some("ERR_JWT_SIGNATURE_INVALID") =>
        {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// The qsh of a canonical request string (lowercase hex SHA-256 of its UTF-8 bytes).
#[wasm_bindgen(js_name = hashCanonicalRequest)]
pub fn hash_canonical_request(canonical: JsValue) -> JsResult<String> {
    Ok(qsh::hash_canonical(&req_string(
        &canonical,
        "canonicalRequest",
    )?))
}
