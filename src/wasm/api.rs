//! The exported functions (names are the JavaScript API contract, see README).

use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::*;
use crate::connect::{
    connect_token as core_connect_token, ConnectTokenInput, Product, DEFAULT_EXPIRES_IN,
};
use crate::encoding::b64url_encode;
use crate::error::Error;
use crate::jwt::{self, Algorithm, JwtKey, QshCheck, Validation};
use crate::keys;
use crate::qsh::{self, PathForm, QshOptions};

fn qsh_options(options: &JsValue) -> JsResult<QshOptions> {
    let path_form = match opt_string(options, "pathForm")?.as_deref() {
        None | Some("wire") => PathForm::Wire,
        Some("decoded") => PathForm::Decoded,
        Some(other) => {
            return Err(js_error(Error::InvalidInput(format!(
                "pathForm {other:?} is not known; use 'wire' (default) or 'decoded'"
            ))))
        }
    };
    Ok(QshOptions {
        base_url: opt_string(options, "baseUrl")?,
        body: form_params(&prop(options, "body")?, "body")?,
        path_form,
    })
}

/// `METHOD&URI&QUERY` for a request (options: baseUrl, body, pathForm).
#[wasm_bindgen(js_name = createCanonicalRequest)]
pub fn create_canonical_request(
    method: JsValue,
    url: JsValue,
    options: JsValue,
) -> JsResult<String> {
    let method = req_string(&method, "method")?;
    let url = req_string(&url, "url")?;
    qsh::canonical_request(&method, &url, &qsh_options(&options)?).js()
}

/// The query string hash of a request (options: baseUrl, body, pathForm).
#[wasm_bindgen(js_name = createQsh)]
pub fn create_qsh(method: JsValue, url: JsValue, options: JsValue) -> JsResult<String> {
    let method = req_string(&method, "method")?;
    let url = req_string(&url, "url")?;
    qsh::qsh(&method, &url, &qsh_options(&options)?).js()
}

fn with_key<T>(key: &KeyArg, f: impl FnOnce(&JwtKey<'_>) -> crate::Result<T>) -> JsResult<T> {
    match key {
        KeyArg::Secret(s) => f(&JwtKey::Secret(s)),
        KeyArg::Rsa(k) => f(&JwtKey::Rsa(k)),
    }
    .js()
}

fn object(v: Value, what: &str) -> JsResult<Map<String, Value>> {
    match v {
        Value::Object(m) => Ok(m),
        _ => Err(type_error(&format!("{what} must be an object"))),
    }
}

/// Signs a JWT (options: algorithm, kid, header).
#[wasm_bindgen(js_name = encodeJwt)]
pub fn encode_jwt(claims: JsValue, key: JsValue, options: JsValue) -> JsResult<String> {
    if !claims.is_object() {
        return Err(type_error("claims must be an object"));
    }
    let claims = object(to_json(&claims, "claims")?, "claims")?;
    let key = key_arg(&key)?;
    let alg = match opt_string(&options, "algorithm")? {
        Some(name) => Algorithm::from_name(&name).js()?,
        None => match key {
            KeyArg::Secret(_) => Algorithm::HS256,
            KeyArg::Rsa(_) => Algorithm::RS256,
        },
    };
    let mut header = match prop(&options, "header")? {
        h if is_nullish(&h) => Map::new(),
        h => object(to_json(&h, "header")?, "header")?,
    };
    if let Some(kid) = opt_string(&options, "kid")? {
        header.insert("kid".into(), kid.into());
    }
    if alg.is_hmac() {
        if let KeyArg::Secret(s) = &key {
            if s.is_empty() {
                return Err(js_error(Error::InvalidKey(
                    "the HMAC secret is empty".into(),
                )));
            }
        }
    }
    with_key(&key, |k| jwt::encode(alg, k, &header, &claims))
}

fn decoded_to_js(d: &jwt::Decoded) -> JsResult<JsValue> {
    let v = serde_json::json!({
        "header": d.header,
        "payload": d.payload,
        "signature": b64url_encode(&d.signature),
    });
    from_json(&v)
}

/// Decodes a JWT without verifying it: `{ header, payload, signature }`.
#[wasm_bindgen(js_name = decodeJwt)]
pub fn decode_jwt(token: JsValue) -> JsResult<JsValue> {
    let token = req_string(&token, "token")?;
    decoded_to_js(&jwt::decode(&token).js()?)
}

fn algorithms(options: &JsValue) -> JsResult<Vec<Algorithm>> {
    let names = string_list(options, "algorithms")?;
    if names.is_empty() {
        return Err(js_error(Error::InvalidInput(
            "options.algorithms is required: list the algorithms you accept, such as ['HS256'] for Connect or ['RS256'] for install callbacks; the token must not choose"
                .into(),
        )));
    }
    names.iter().map(|n| Algorithm::from_name(n).js()).collect()
}

fn qsh_check(options: &JsValue) -> JsResult<QshCheck> {
    let q = prop(options, "qsh")?;
    if is_nullish(&q) {
        return Ok(QshCheck::None);
    }
    if let Some(s) = q.as_string() {
        if s == jwt::CONTEXT_QSH {
            return Ok(QshCheck::Context);
        }
        return Err(type_error(
            "qsh must be 'context-qsh' or { method, url, baseUrl?, body? }",
        ));
    }
    if !q.is_object() {
        return Err(type_error(
            "qsh must be 'context-qsh' or { method, url, baseUrl?, body? }",
        ));
    }
    let method = opt_string(&q, "method")?.ok_or_else(|| type_error("qsh.method is required"))?;
    let url = opt_string(&q, "url")?.ok_or_else(|| type_error("qsh.url is required"))?;
    Ok(QshCheck::Request {
        method,
        url,
        options: qsh_options(&q)?,
        allow_context: opt_bool(&q, "allowContextQsh")?.unwrap_or(false),
    })
}

/// Verifies a JWT and returns its payload (options: algorithms (required), issuer,
/// audience, subject, leeway, now, requiredClaims, qsh).
#[wasm_bindgen(js_name = verifyJwt)]
pub fn verify_jwt(token: JsValue, key: JsValue, options: JsValue) -> JsResult<JsValue> {
    let token = req_string(&token, "token")?;
    if is_nullish(&options) {
        return Err(js_error(Error::InvalidInput(
            "verifyJwt needs options with algorithms, such as { algorithms: ['HS256'] }".into(),
        )));
    }
    let key = key_arg(&key)?;
    let leeway = opt_number(&options, "leeway")?.unwrap_or(0.0);
    if !(0.0..=86400.0).contains(&leeway) {
        return Err(type_error("leeway must be seconds from 0 to 86400"));
    }
    let v = Validation {
        algorithms: algorithms(&options)?,
        issuer: string_list(&options, "issuer")?,
        audience: string_list(&options, "audience")?,
        subject: opt_string(&options, "subject")?,
        leeway: leeway as i64,
        now: now_seconds(&options)?,
        required_claims: string_list(&options, "requiredClaims")?,
        qsh: qsh_check(&options)?,
    };
    let decoded = with_key(&key, |k| jwt::verify(&token, k, &v))?;
    from_json(&Value::Object(decoded.payload))
}

/// Makes a Connect token for an app's call to Jira, Confluence, Bitbucket or Zephyr.
#[wasm_bindgen(js_name = connectToken)]
pub fn connect_token(input: JsValue) -> JsResult<JsValue> {
    if !input.is_object() {
        return Err(type_error(
            "connectToken takes an object: { product, method, url, baseUrl, appKey, secret, ... }",
        ));
    }
    let product = opt_string(&input, "product")?.unwrap_or_else(|| "jira".into());
    let secret = match prop(&input, "secret")? {
        s if is_nullish(&s) => {
            return Err(js_error(Error::InvalidInput(
                "secret is required (the sharedSecret from the installed callback, or the Zephyr secret key)".into(),
            )))
        }
        s => s.as_string().ok_or_else(|| type_error("secret must be a string"))?,
    };
    let expires_in = opt_number(&input, "expiresIn")?.unwrap_or(DEFAULT_EXPIRES_IN as f64);
    let core_input = ConnectTokenInput {
        product: Product::from_name(&product).js()?,
        method: opt_string(&input, "method")?.unwrap_or_else(|| "GET".into()),
        url: opt_string(&input, "url")?.ok_or_else(|| type_error("url is required"))?,
        base_url: opt_string(&input, "baseUrl")?,
        app_key: opt_string(&input, "appKey")?,
        access_key: opt_string(&input, "accessKey")?,
        secret,
        client_key: opt_string(&input, "clientKey")?,
        account_id: opt_string(&input, "accountId")?,
        expires_in: expires_in.floor() as i64,
        now: now_seconds(&input)?,
        body: form_params(&prop(&input, "body")?, "body")?,
    };
    let t = core_connect_token(&core_input).js()?;
    let headers: Map<String, Value> = t
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    from_json(&serde_json::json!({
        "token": t.token,
        "authorization": t.authorization,
        "headers": headers,
        "qsh": t.qsh,
        "canonicalRequest": t.canonical_request,
        "claims": t.claims,
        "url": t.url,
    }))
}

/// Generates an RSA key pair: `{ privateKey (PKCS#8 PEM), publicKey (SPKI PEM), publicKeyPkcs1, jwk }`.
#[wasm_bindgen(js_name = generateKeyPair)]
pub fn generate_key_pair(bits: JsValue) -> JsResult<JsValue> {
    let bits = if is_nullish(&bits) {
        2048
    } else {
        match bits.as_f64() {
            Some(b) if b.fract() == 0.0 && (0.0..=16384.0).contains(&b) => b as usize,
            _ => return Err(type_error("bits must be 2048, 3072 or 4096")),
        }
    };
    let private = keys::generate_rsa_key(bits).js()?;
    let public = private.to_public_key();
    from_json(&serde_json::json!({
        "privateKey": keys::private_key_pkcs8_pem(&private).js()?,
        "publicKey": keys::public_key_spki_pem(&public).js()?,
        "publicKeyPkcs1": keys::public_key_pkcs1_pem(&public).js()?,
        "jwk": keys::public_key_jwk(&public),
    }))
}

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
    from_json(&serde_json::json!({
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
/// signature. For callers that must reproduce another library's header bytes exactly.
#[wasm_bindgen(js_name = jwsSign)]
pub fn jws_sign(signing_input: JsValue, key: JsValue, algorithm: JsValue) -> JsResult<String> {
    let input = req_string(&signing_input, "signingInput")?;
    let alg = Algorithm::from_name(&req_string(&algorithm, "algorithm")?).js()?;
    let key = key_arg(&key)?;
    with_key(&key, |k| jwt::sign(alg, k, input.as_bytes())).map(|s| b64url_encode(&s))
}

/// Checks a JWS signature (bytes, or base64url text) over a signing input; true when it
/// matches. HMAC tags are compared in constant time.
#[wasm_bindgen(js_name = jwsVerify)]
pub fn jws_verify(
    signing_input: JsValue,
    signature: JsValue,
    key: JsValue,
    algorithm: JsValue,
) -> JsResult<bool> {
    let input = req_string(&signing_input, "signingInput")?;
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
    match with_key(&key, |k| {
        jwt::verify_signature(alg, k, input.as_bytes(), &sig)
    }) {
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
