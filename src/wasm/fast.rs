//! The hot calls with flat arguments: one crossing from JavaScript per call.
//!
//! `pkg-template/facade.js` reads and checks the options object in JavaScript (where reading a
//! property is cheap) and calls these with strings, numbers and string arrays; results that are
//! objects come back as JSON text for one `JSON.parse`. Reading the same options from Rust took
//! 20 to 90 calls back into JavaScript per call (one `Reflect.get` and one string copy each).
//! These exports start with `__`: the package does not re-export them.

use wasm_bindgen::prelude::*;

use super::convert::*;
use crate::connect::{connect_token as core_connect_token, ConnectTokenInput, Product};
use crate::encoding::{b64url_encode, parse_form};
use crate::error::Error;
use crate::json::{self, json, Map, Value};
use crate::jwt::{self, Algorithm, QshCheck, Validation};
use crate::qsh::{self, PathForm, QshOptions};

/// A form body from the facade: the raw form text, or name/value pairs flattened
/// (`[name1, value1, name2, value2, ...]`).
fn body(form: Option<String>, pairs: Option<Vec<String>>) -> Option<Vec<(String, String)>> {
    if let Some(text) = form {
        return Some(parse_form(&text));
    }
    pairs.map(|flat| {
        let mut it = flat.into_iter();
        let mut out = Vec::new();
        while let (Some(k), Some(v)) = (it.next(), it.next()) {
            out.push((k, v));
        }
        out
    })
}

fn qsh_opts(
    base_url: Option<String>,
    body_form: Option<String>,
    body_pairs: Option<Vec<String>>,
    decoded: bool,
) -> QshOptions {
    QshOptions {
        base_url,
        body: body(body_form, body_pairs),
        path_form: if decoded {
            PathForm::Decoded
        } else {
            PathForm::Wire
        },
    }
}

/// `createQsh` (`canonical` false) and `createCanonicalRequest` (`canonical` true).
#[wasm_bindgen(js_name = __qsh)]
pub fn qsh_flat(
    method: &str,
    url: &str,
    base_url: Option<String>,
    body_form: Option<String>,
    body_pairs: Option<Vec<String>>,
    decoded: bool,
    canonical: bool,
) -> JsResult<String> {
    let o = qsh_opts(base_url, body_form, body_pairs, decoded);
    if canonical {
        qsh::canonical_request(method, url, &o).js()
    } else {
        qsh::qsh(method, url, &o).js()
    }
}

/// A key from the facade: a string (secret, PEM, base64 DER or JWK text) or another value.
fn key(text: Option<String>, other: &JsValue) -> JsResult<KeyArg> {
    match text {
        Some(s) => key_from_text(s),
        None => key_arg(other),
    }
}

/// `encodeJwt`: the claims arrive as `JSON.stringify` text and are signed byte for byte.
#[wasm_bindgen(js_name = __encodeJwt)]
pub fn encode_jwt_flat(
    claims_json: &str,
    has_escapes: bool,
    key_text: Option<String>,
    key_other: JsValue,
    algorithm: Option<String>,
    kid: Option<String>,
    header_json: Option<String>,
) -> JsResult<String> {
    // JSON.stringify can write what strict parsers refuse (a lone surrogate as `\ud800`): a
    // token whose payload our own verifier, and others, would reject is not made. It writes
    // `\u` escapes only for those and for control characters, so other text needs no parse;
    // the facade looks for `\u` (`has_escapes`), where the search is native.
    if has_escapes {
        if let Err(e) = json::from_str(claims_json) {
            return Err(type_error(&format!("claims is not valid JSON: {e}")));
        }
    }
    let key = key(key_text, &key_other)?;
    let alg = match algorithm {
        Some(name) => Algorithm::from_name(&name).js()?,
        None => match key {
            KeyArg::Secret(_) => Algorithm::HS256,
            KeyArg::Rsa(_) => Algorithm::RS256,
        },
    };
    let mut header = match header_json {
        None => Map::new(),
        Some(text) => match json::from_str(&text) {
            Ok(Value::Object(m)) => m,
            Ok(_) => return Err(type_error("header must be an object")),
            Err(e) => return Err(type_error(&format!("header is not valid JSON: {e}"))),
        },
    };
    if let Some(kid) = kid {
        header.insert("kid".into(), kid.into());
    }
    with_key(&key, |k| {
        jwt::encode_json(alg, k, &header, claims_json.as_bytes())
    })
}

fn json_text(v: &Value) -> JsResult<String> {
    Ok(json::to_string(v))
}

/// `decodeJwt`: `{ header, payload, signature }` as JSON text.
#[wasm_bindgen(js_name = __decodeJwt)]
pub fn decode_jwt_flat(token: &str) -> JsResult<String> {
    let d = jwt::decode(token).js()?;
    json_text(&json!({
        "header": d.header,
        "payload": d.payload,
        "signature": b64url_encode(&d.signature),
    }))
}

/// `verifyJwt`: the payload as JSON text. `qsh_mode`: 0 no check, 1 `context-qsh`,
/// 2 the request given by the `qsh_*` arguments.
#[wasm_bindgen(js_name = __verifyJwt)]
#[allow(clippy::too_many_arguments)]
pub fn verify_jwt_flat(
    token: &str,
    key_text: Option<String>,
    key_other: JsValue,
    algorithms: Vec<String>,
    issuer: Option<Vec<String>>,
    audience: Option<Vec<String>>,
    subject: Option<String>,
    leeway: f64,
    now: f64,
    required_claims: Option<Vec<String>>,
    qsh_mode: u32,
    qsh_method: Option<String>,
    qsh_url: Option<String>,
    qsh_base_url: Option<String>,
    qsh_body_form: Option<String>,
    qsh_body_pairs: Option<Vec<String>>,
    qsh_decoded: bool,
    qsh_allow_context: bool,
) -> JsResult<String> {
    let key = key(key_text, &key_other)?;
    if algorithms.is_empty() {
        return Err(js_error(Error::InvalidInput(
            "options.algorithms is required: list the algorithms you accept, such as ['HS256'] for Connect or ['RS256'] for install callbacks; the token must not choose"
                .into(),
        )));
    }
    let algorithms = algorithms
        .iter()
        .map(|n| Algorithm::from_name(n).js())
        .collect::<JsResult<Vec<_>>>()?;
    let qsh = match qsh_mode {
        1 => QshCheck::Context,
        2 => QshCheck::Request {
            method: qsh_method.unwrap_or_default(),
            url: qsh_url.unwrap_or_default(),
            options: qsh_opts(qsh_base_url, qsh_body_form, qsh_body_pairs, qsh_decoded),
            allow_context: qsh_allow_context,
        },
        _ => QshCheck::None,
    };
    let v = Validation {
        algorithms,
        issuer: issuer.unwrap_or_default(),
        audience: audience.unwrap_or_default(),
        subject,
        leeway: leeway as i64,
        now: now as i64,
        required_claims: required_claims.unwrap_or_default(),
        qsh,
    };
    // The payload's own JSON text (parsed and checked by verify): no second serialisation.
    Ok(with_key(&key, |k| jwt::verify(token, k, &v))?.payload_json)
}

/// `connectToken`: the result object as JSON text.
#[wasm_bindgen(js_name = __connectToken)]
#[allow(clippy::too_many_arguments)]
pub fn connect_token_flat(
    product: &str,
    method: String,
    url: String,
    base_url: Option<String>,
    app_key: Option<String>,
    access_key: Option<String>,
    secret: String,
    client_key: Option<String>,
    account_id: Option<String>,
    expires_in: f64,
    now: f64,
    body_form: Option<String>,
    body_pairs: Option<Vec<String>>,
) -> JsResult<String> {
    let input = ConnectTokenInput {
        product: Product::from_name(product).js()?,
        method,
        url,
        base_url,
        app_key,
        access_key,
        secret,
        client_key,
        account_id,
        expires_in: expires_in.floor() as i64,
        now: now as i64,
        body: body(body_form, body_pairs),
    };
    let t = core_connect_token(&input).js()?;
    let headers: Map<String, Value> = t
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    json_text(&json!({
        "token": t.token,
        "authorization": t.authorization,
        "headers": headers,
        "qsh": t.qsh,
        "canonicalRequest": t.canonical_request,
        "claims": t.claims,
        "url": t.url,
    }))
}
