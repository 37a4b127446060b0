//! Connect JWTs, qsh and JWS: `createQsh`, `createCanonicalRequest`, `encodeJwt`, `decodeJwt`,
//! `verifyJwt`, `connectToken`, `jwsSign`, `jwsVerify`, `hashCanonicalRequest`, `errorCodes`.
//! These are the hot calls: flat arguments only, no options JSON to parse.

use wasm_bindgen::prelude::*;

use super::boundary::*;
use atlassian_sign::connect::{connect_token, ConnectTokenInput, Product};
use atlassian_sign::encoding::{b64url_decode, b64url_encode, parse_form};
use atlassian_sign::error::Error;
use atlassian_sign::json::{self, json, Map, Value};
use atlassian_sign::jwt::{self, Algorithm, QshCheck, Validation};
use atlassian_sign::qsh::{self, PathForm, QshOptions};

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
) -> Out {
    let o = qsh_opts(base_url, body_form, body_pairs, decoded);
    if canonical {
        qsh::canonical_request(method, url, &o).or_fail()
    } else {
        qsh::qsh(method, url, &o).or_fail()
    }
}

/// JSON.stringify can write what strict parsers refuse (a lone surrogate as `\ud800`): a token
/// whose payload our own verifier, and others, would reject is not made. It writes `\u` escapes
/// only for those and for control characters, so other text needs no parse; the facade looks
/// for `\u` (`has_escapes`), where the search is native.
fn strict_claims(claims_json: &str, has_escapes: bool) -> Result<(), String> {
    if has_escapes {
        if let Err(e) = json::from_str(claims_json) {
            return Err(type_error(&format!("claims is not valid JSON: {e}")));
        }
    }
    Ok(())
}

/// `encodeJwt`: the claims arrive as `JSON.stringify` text and are signed byte for byte.
#[wasm_bindgen(js_name = __encodeJwt)]
#[allow(clippy::too_many_arguments)]
pub fn encode_jwt_flat(
    claims_json: &str,
    has_escapes: bool,
    key_text: Option<String>,
    key_jwk: Option<String>,
    key_bytes: Option<Vec<u8>>,
    algorithm: Option<String>,
    kid: Option<String>,
    header_json: Option<String>,
) -> Out {
    strict_claims(claims_json, has_escapes)?;
    let key = KeyArg::from_parts(key_text, key_jwk, key_bytes)?;
    let header = jwt_header(header_json, kid)?;
    key.with(|k| {
        let alg = match &algorithm {
            Some(name) => Algorithm::from_name(name)?,
            None => jwt::default_algorithm(k),
        };
        jwt::encode_json(alg, k, &header, claims_json.as_bytes())
    })
}

/// The extra header members of `encodeJwt`: the caller's header object, and `kid`.
fn jwt_header(header_json: Option<String>, kid: Option<String>) -> Out<Map<String, Value>> {
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
    Ok(header)
}

/// `decodeJwt`: `{ header, payload, signature }` as JSON text.
#[wasm_bindgen(js_name = __decodeJwt)]
pub fn decode_jwt_flat(token: &str) -> Out {
    let d = jwt::decode(token).or_fail()?;
    Ok(text(&json!({
        "header": d.header,
        "payload": d.payload,
        "signature": b64url_encode(&d.signature),
    })))
}

/// `verifyJwt`: the payload as JSON text. `qsh_mode`: 0 no check, 1 `context-qsh`,
/// 2 the request given by the `qsh_*` arguments.
#[wasm_bindgen(js_name = __verifyJwt)]
#[allow(clippy::too_many_arguments)]
pub fn verify_jwt_flat(
    token: &str,
    key_text: Option<String>,
    key_jwk: Option<String>,
    key_bytes: Option<Vec<u8>>,
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
    webcrypto_alg: Option<String>,
    webcrypto_ok: bool,
) -> Out {
    // A WebCrypto key that cannot be exported: the facade checked the signature with it, for
    // the algorithm `webcrypto_alg`.
    let key = match webcrypto_alg {
        Some(alg) => Err(WebCryptoCheck {
            alg,
            ok: webcrypto_ok,
        }),
        None => Ok(KeyArg::from_parts(key_text, key_jwk, key_bytes)?),
    };
    let algorithms = algorithms
        .iter()
        .map(|n| Algorithm::from_name(n))
        .collect::<atlassian_sign::error::Result<Vec<_>>>()
        .or_fail()?;
    jwt::require_algorithms(&algorithms).or_fail()?;
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
    let verified = match &key {
        Ok(key) => key.with(|k| jwt::verify(token, k, &v))?,
        Err(w) => jwt::verify_with(token, &v, |alg, _, _| w.result(alg)).or_fail()?,
    };
    Ok(verified.payload_json)
}

/// What the facade's WebCrypto check of a token's signature found, for a key it cannot export:
/// the algorithm the key is for, and whether the signature matched.
struct WebCryptoCheck {
    alg: String,
    ok: bool,
}

impl WebCryptoCheck {
    fn result(&self, alg: Algorithm) -> atlassian_sign::error::Result<()> {
        if alg.name() != self.alg {
            return Err(Error::InvalidKey(format!(
                "the token is signed with {} but the CryptoKey is for {}; import the key for {}",
                alg.name(),
                self.alg,
                alg.name()
            )));
        }
        if !self.ok {
            return Err(Error::JwtSignatureInvalid(format!(
                "the {} signature does not match: the token was signed with another key or secret, \
                 or its header or payload was changed",
                alg.name()
            )));
        }
        Ok(())
    }
}

/// `encodeJwtAsync` with a WebCrypto key that cannot be exported: the signing input
/// `base64url(header).base64url(claims)`, which the facade signs through WebCrypto.
#[wasm_bindgen(js_name = __jwtSigningInput)]
pub fn jwt_signing_input(
    claims_json: &str,
    has_escapes: bool,
    algorithm: &str,
    kid: Option<String>,
    header_json: Option<String>,
) -> Out {
    strict_claims(claims_json, has_escapes)?;
    let alg = Algorithm::from_name(algorithm).or_fail()?;
    let header = jwt_header(header_json, kid)?;
    Ok(jwt::signing_input_json(
        alg,
        &header,
        claims_json.as_bytes(),
    ))
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
) -> Out {
    let input = ConnectTokenInput {
        product: Product::from_name(product).or_fail()?,
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
    let t = connect_token(&input).or_fail()?;
    let headers: Map<String, Value> = t
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    Ok(text(&json!({
        "token": t.token,
        "authorization": t.authorization,
        "headers": headers,
        "qsh": t.qsh,
        "canonicalRequest": t.canonical_request,
        "claims": t.claims,
        "url": t.url,
    })))
}

/// `jwsSign`: the base64url signature of a signing input (its bytes, as the facade sends
/// them: a string's UTF-8 or a Uint8Array's bytes).
#[wasm_bindgen(js_name = __jwsSign)]
pub fn jws_sign(
    input: &[u8],
    key_text: Option<String>,
    key_jwk: Option<String>,
    key_bytes: Option<Vec<u8>>,
    algorithm: &str,
) -> Out {
    let alg = Algorithm::from_name(algorithm).or_fail()?;
    let key = KeyArg::from_parts(key_text, key_jwk, key_bytes)?;
    key.with(|k| jwt::sign(alg, k, input))
        .map(|s| b64url_encode(&s))
}

/// `jwsVerify`: `"true"` when the signature (bytes, or base64url text) matches, `"false"`
/// when it does not; a bad key or algorithm is an error.
#[wasm_bindgen(js_name = __jwsVerify)]
pub fn jws_verify(
    input: &[u8],
    signature_bytes: Option<Vec<u8>>,
    signature_text: Option<String>,
    key_text: Option<String>,
    key_jwk: Option<String>,
    key_bytes: Option<Vec<u8>>,
    algorithm: &str,
) -> Out<bool> {
    let alg = Algorithm::from_name(algorithm).or_fail()?;
    let key = KeyArg::from_parts(key_text, key_jwk, key_bytes)?;
    let sig = match (signature_bytes, signature_text) {
        (Some(b), _) => b,
        (None, Some(s)) => match b64url_decode(&s) {
            Some(b) => b,
            None => return Ok(false),
        },
        (None, None) => return Err(type_error("signature must be a string or a Uint8Array")),
    };
    match jwt::verify_signature(alg, &key.jwt_key(), input, &sig) {
        Ok(()) => Ok(true),
        Err(Error::JwtSignatureInvalid(_)) => Ok(false),
        Err(e) => Err(fail(e)),
    }
}

/// The qsh of a canonical request string (lowercase hex SHA-256 of its UTF-8 bytes).
#[wasm_bindgen(js_name = __hashCanonicalRequest)]
pub fn hash_canonical_request(canonical: &str) -> String {
    qsh::hash_canonical(canonical)
}

/// Every error code the core throws, as a JSON array.
#[wasm_bindgen(js_name = __errorCodes)]
pub fn error_codes() -> String {
    let codes: Vec<Value> = Error::CODES.iter().map(|s| Value::from(*s)).collect();
    text(&Value::Array(codes))
}
