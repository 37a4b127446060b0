//! JS value conversion and error mapping.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::Error;
use crate::json::{self, Value};
use crate::keys::{parse_rsa_key, rsa_key_from_jwk, RsaKey};

/// A core error as a JS `Error` with `code`.
pub fn js_error(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("AtlassianSignError");
    let _ = Reflect::set(&err, &"code".into(), &e.code().into());
    if let Error::QshMismatch {
        expected,
        actual,
        canonical_request,
    } = &e
    {
        let _ = Reflect::set(&err, &"expected".into(), &expected.into());
        let _ = Reflect::set(&err, &"actual".into(), &actual.into());
        let _ = Reflect::set(&err, &"canonicalRequest".into(), &canonical_request.into());
    }
    err.into()
}

/// A `TypeError` for an argument of the wrong type.
pub fn type_error(msg: &str) -> JsValue {
    let err = js_sys::TypeError::new(msg);
    let _ = Reflect::set(&err, &"code".into(), &"ERR_INVALID_INPUT".into());
    err.into()
}

pub type JsResult<T> = Result<T, JsValue>;

pub trait OrJs<T> {
    fn js(self) -> JsResult<T>;
}

impl<T> OrJs<T> for crate::error::Result<T> {
    fn js(self) -> JsResult<T> {
        self.map_err(js_error)
    }
}

pub fn is_nullish(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// A required string argument.
pub fn req_string(v: &JsValue, what: &str) -> JsResult<String> {
    v.as_string()
        .ok_or_else(|| type_error(&format!("{what} must be a string")))
}

/// A property of an options object (undefined when `obj` is nullish).
pub fn prop(obj: &JsValue, key: &str) -> JsResult<JsValue> {
    if is_nullish(obj) {
        return Ok(JsValue::UNDEFINED);
    }
    if !obj.is_object() {
        return Err(type_error("options must be an object"));
    }
    Reflect::get(obj, &JsValue::from_str(key))
}

pub fn opt_string(obj: &JsValue, key: &str) -> JsResult<Option<String>> {
    let v = prop(obj, key)?;
    if is_nullish(&v) {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| type_error(&format!("{key} must be a string")))
}

pub fn opt_number(obj: &JsValue, key: &str) -> JsResult<Option<f64>> {
    let v = prop(obj, key)?;
    if is_nullish(&v) {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n.is_finite() => Ok(Some(n)),
        _ => Err(type_error(&format!("{key} must be a finite number"))),
    }
}

pub fn opt_bool(obj: &JsValue, key: &str) -> JsResult<Option<bool>> {
    let v = prop(obj, key)?;
    if is_nullish(&v) {
        return Ok(None);
    }
    v.as_bool()
        .map(Some)
        .ok_or_else(|| type_error(&format!("{key} must be a boolean")))
}

/// A string or an array of strings (empty when absent).
pub fn string_list(obj: &JsValue, key: &str) -> JsResult<Vec<String>> {
    let v = prop(obj, key)?;
    if is_nullish(&v) {
        return Ok(Vec::new());
    }
    if let Some(s) = v.as_string() {
        return Ok(vec![s]);
    }
    if Array::is_array(&v) {
        let arr: Array = v.unchecked_into();
        return arr
            .iter()
            .map(|x| {
                x.as_string().ok_or_else(|| {
                    type_error(&format!("{key} must be a string or an array of strings"))
                })
            })
            .collect();
    }
    Err(type_error(&format!(
        "{key} must be a string or an array of strings"
    )))
}

/// The current time in seconds: `now` (seconds, or a Date) or the clock.
pub fn now_seconds(obj: &JsValue) -> JsResult<i64> {
    let v = prop(obj, "now")?;
    if is_nullish(&v) {
        return Ok((js_sys::Date::now() / 1000.0).floor() as i64);
    }
    if let Some(d) = v.dyn_ref::<js_sys::Date>() {
        let ms = d.get_time();
        if ms.is_finite() {
            return Ok((ms / 1000.0).floor() as i64);
        }
        return Err(type_error("now is an invalid Date"));
    }
    match v.as_f64() {
        Some(n) if n.is_finite() && n.abs() < 1e13 => Ok(n.floor() as i64),
        _ => Err(type_error(
            "now must be seconds since the epoch (a number) or a Date",
        )),
    }
}

/// A JS value as JSON (through `JSON.stringify`).
pub fn to_json(v: &JsValue, what: &str) -> JsResult<Value> {
    let s = JSON::stringify(v).map_err(|_| {
        type_error(&format!(
            "{what} cannot be converted to JSON (BigInt or a cycle?)"
        ))
    })?;
    let s: String = s
        .as_string()
        .ok_or_else(|| type_error(&format!("{what} cannot be converted to JSON")))?;
    json::from_str(&s).map_err(|e| type_error(&format!("{what} is not valid JSON: {e}")))
}

/// A JSON value as a JS value.
pub fn from_json(v: &Value) -> JsResult<JsValue> {
    JSON::parse(&json::to_string(v))
}

/// Form parameters from a string (`a=1&b=2`) or an object (`{a: '1', b: ['2', '3']}`).
pub fn form_params(v: &JsValue, what: &str) -> JsResult<Option<Vec<(String, String)>>> {
    if is_nullish(v) {
        return Ok(None);
    }
    if let Some(s) = v.as_string() {
        return Ok(Some(crate::encoding::parse_form(&s)));
    }
    if !v.is_object() || Array::is_array(v) {
        return Err(type_error(&format!(
            "{what} must be a form string (a=1&b=2) or an object of strings"
        )));
    }
    let mut out = Vec::new();
    let entries = js_sys::Object::entries(v.unchecked_ref());
    for entry in entries.iter() {
        let pair: Array = entry.unchecked_into();
        let name = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        let mut push = |x: JsValue| -> JsResult<()> {
            if let Some(s) = x.as_string() {
                out.push((name.clone(), s));
            } else if let Some(n) = x.as_f64() {
                out.push((name.clone(), js_number_string(n)));
            } else if let Some(b) = x.as_bool() {
                out.push((name.clone(), b.to_string()));
            } else {
                return Err(type_error(&format!(
                    "{what}.{name} must be a string, number, boolean or an array of them"
                )));
            }
            Ok(())
        };
        if Array::is_array(&value) {
            let arr: Array = value.unchecked_into();
            for x in arr.iter() {
                push(x)?;
            }
        } else {
            push(value)?;
        }
    }
    Ok(Some(out))
}

/// `String(n)` as JavaScript writes a number.
pub fn js_number_string(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

/// A key argument: secret string, PEM / base64 DER / JWK JSON string, or a JWK object.
pub enum KeyArg {
    Secret(Vec<u8>),
    Rsa(Rc<RsaKey>),
}

thread_local! {
    // Keys are parsed once: the 8 most recently used keys stay parsed, found by the SHA-256 of
    // their text; the text itself is not kept.
    static KEY_CACHE: RefCell<Vec<([u8; 32], Rc<RsaKey>)>> = const { RefCell::new(Vec::new()) };
}

/// Parses (or takes from the cache) an RSA key from text.
pub fn cached_rsa_key(text: &str) -> crate::error::Result<Rc<RsaKey>> {
    let id: [u8; 32] = {
        use sha2::Digest;
        sha2::Sha256::digest(text.as_bytes()).into()
    };
    let hit = KEY_CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let pos = c.iter().position(|(d, _)| *d == id)?;
        let entry = c.remove(pos);
        let key = entry.1.clone();
        c.push(entry);
        Some(key)
    });
    if let Some(k) = hit {
        return Ok(k);
    }
    let key = Rc::new(parse_rsa_key(text)?);
    KEY_CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= 8 {
            c.remove(0);
        }
        c.push((id, key.clone()));
    });
    Ok(key)
}

fn looks_like_rsa_text(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with("-----BEGIN") || (t.starts_with('{') && t.contains("\"kty\""))
}

/// Reads a key argument. Strings that look like PEM or a JWK are RSA keys; other strings are
/// HMAC secrets (their UTF-8 bytes).
pub fn key_arg(v: &JsValue) -> JsResult<KeyArg> {
    if let Some(s) = v.as_string() {
        return key_from_text(s);
    }
    if let Some(bytes) = v.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(KeyArg::Secret(bytes.to_vec()));
    }
    if v.is_object() && !Array::is_array(v) {
        let jwk = to_json(v, "key")?;
        if jwk.get("kty").and_then(Value::as_str) == Some("oct") {
            let k = jwk.get("k").and_then(Value::as_str).unwrap_or_default();
            let secret = crate::encoding::b64url_decode(k).ok_or_else(|| {
                js_error(Error::InvalidKey(
                    "the oct JWK's \"k\" is not base64url".into(),
                ))
            })?;
            return Ok(KeyArg::Secret(secret));
        }
        let text = jwk.to_string();
        if let Ok(k) = cached_rsa_key(&text) {
            return Ok(KeyArg::Rsa(k));
        }
        return rsa_key_from_jwk(&jwk).js().map(|k| KeyArg::Rsa(Rc::new(k)));
    }
    Err(type_error(
        "key must be a shared secret string, a PEM string, or a JWK object",
    ))
}

/// A key given as a string: PEM or JWK text is an RSA key, any other text an HMAC secret.
pub fn key_from_text(s: String) -> JsResult<KeyArg> {
    if looks_like_rsa_text(&s) {
        return cached_rsa_key(&s).js().map(KeyArg::Rsa);
    }
    Ok(KeyArg::Secret(s.into_bytes()))
}

/// Runs `f` with the key as the JWT module takes it.
pub fn with_key<T>(
    key: &KeyArg,
    f: impl FnOnce(&crate::jwt::JwtKey<'_>) -> crate::error::Result<T>,
) -> JsResult<T> {
    match key {
        KeyArg::Secret(s) => f(&crate::jwt::JwtKey::Secret(s)),
        KeyArg::Rsa(k) => f(&crate::jwt::JwtKey::Rsa(k)),
    }
    .js()
}
