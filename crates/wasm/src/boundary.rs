//! The one way across the JS/wasm boundary.
//!
//! The JavaScript facade (`pkg-template/src/`) checks argument types, resolves callbacks and
//! Promises, reads clocks and headers, and calls an export once with flat primitive arguments:
//! strings, numbers, booleans, bytes, and for an options bag one JSON text. Every export
//! returns a string (JSON text when the result is an object). A failure is thrown as JSON text
//! `{ name, code, message, ... }`, which the facade turns into an `Error` with that `code`. No
//! export reads a JavaScript object, so no export calls back into JavaScript.

use std::cell::RefCell;
use std::rc::Rc;

use atlassian_sign::error::Error;
use atlassian_sign::json::{self, json, Map, Value};
use atlassian_sign::jwt::JwtKey;
use atlassian_sign::keys::{self, RsaKey};

/// What every export returns: the result text, or the failure as JSON text.
pub type Out<T = String> = Result<T, String>;

/// A core error as the JSON text the facade turns into an `AtlassianSignError`.
pub fn fail(e: Error) -> String {
    let mut m = Map::new();
    m.insert("name".into(), "AtlassianSignError".into());
    m.insert("code".into(), e.code().into());
    m.insert("message".into(), e.to_string().into());
    match &e {
        Error::QshMismatch {
            expected,
            actual,
            canonical_request,
        } => {
            m.insert("expected".into(), expected.clone().into());
            m.insert("actual".into(), actual.clone().into());
            m.insert("canonicalRequest".into(), canonical_request.clone().into());
        }
        Error::TrustedAppsRejected { seraph_code, .. } => {
            m.insert("seraphCode".into(), (*seraph_code).into());
        }
        _ => {}
    }
    json::to_string(&Value::Object(m))
}

/// An argument of the wrong type: a `TypeError` with code `ERR_INVALID_INPUT`.
pub fn type_error(message: &str) -> String {
    json::to_string(
        &json!({ "name": "TypeError", "code": "ERR_INVALID_INPUT", "message": message }),
    )
}

/// `?` on core results inside an export.
pub trait OrFail<T> {
    /// The error as the facade's JSON text.
    fn or_fail(self) -> Out<T>;
}

impl<T> OrFail<T> for atlassian_sign::error::Result<T> {
    fn or_fail(self) -> Out<T> {
        self.map_err(fail)
    }
}

/// JSON text of a result object.
pub fn text(v: &Value) -> String {
    json::to_string(v)
}

/// An options bag the facade sent as JSON text, read with the checks (and messages) of a
/// JavaScript options reader: a present value of the wrong type is a `TypeError`.
pub struct Input {
    map: Map<String, Value>,
    /// Prefix for messages (`request.`, `options.` or empty).
    prefix: &'static str,
}

impl Input {
    /// Parses the facade's JSON text (an object).
    pub fn parse(text: &str, prefix: &'static str) -> Out<Input> {
        match json::from_str(text) {
            Ok(Value::Object(map)) => Ok(Input { map, prefix }),
            Ok(_) => Err(type_error(&format!("{prefix}options must be an object"))),
            Err(e) => Err(type_error(&format!("{prefix}options are not JSON: {e}"))),
        }
    }

    /// A nested object as an input (absent: empty).
    pub fn object(&self, key: &str, prefix: &'static str) -> Out<Input> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(Input {
                map: Map::new(),
                prefix,
            }),
            Some(Value::Object(m)) => Ok(Input {
                map: m.clone(),
                prefix,
            }),
            Some(_) => Err(type_error(&format!(
                "{}{key} must be an object",
                self.prefix
            ))),
        }
    }

    /// The raw value (absent and `null` are `None`).
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// An optional string.
    pub fn str(&self, key: &str) -> Out<Option<String>> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(type_error(&format!(
                "{}{key} must be a string",
                self.prefix
            ))),
        }
    }

    /// A required string, with the message to show when it is missing.
    pub fn req_str(&self, key: &str, missing: &str) -> Out<String> {
        self.str(key)?.ok_or_else(|| type_error(missing))
    }

    /// An optional finite number.
    pub fn num(&self, key: &str) -> Out<Option<f64>> {
        match self.value(key) {
            None => Ok(None),
            Some(v) => match v.as_f64() {
                Some(n) if n.is_finite() => Ok(Some(n)),
                _ => Err(type_error(&format!(
                    "{}{key} must be a finite number",
                    self.prefix
                ))),
            },
        }
    }

    /// An optional boolean.
    pub fn bool(&self, key: &str) -> Out<Option<bool>> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(type_error(&format!(
                "{}{key} must be a boolean",
                self.prefix
            ))),
        }
    }

    /// A string or an array of strings (empty when absent).
    pub fn strings(&self, key: &str) -> Out<Vec<String>> {
        let bad = || {
            type_error(&format!(
                "{}{key} must be a string or an array of strings",
                self.prefix
            ))
        };
        match self.value(key) {
            None => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s.clone()]),
            Some(Value::Array(a)) => a
                .iter()
                .map(|x| x.as_str().map(str::to_owned).ok_or_else(bad))
                .collect(),
            Some(_) => Err(bad()),
        }
    }

    /// `now` in whole seconds: the facade always sends it (the caller's, or the clock).
    pub fn now(&self) -> Out<i64> {
        match self.num("now")? {
            Some(n) if n.abs() < 1e13 => Ok(n.floor() as i64),
            _ => Err(type_error(
                "now must be seconds since the epoch (a number) or a Date",
            )),
        }
    }

    /// A header from the `headers` object the facade normalised (lowercase names, strings).
    pub fn header(&self, name: &str) -> Option<String> {
        self.map
            .get("headers")
            .and_then(|h| h.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
}

/// A request body as the facade's one body reader (`readBody`) sent it.
pub enum Body {
    /// No body.
    None,
    /// Text (a string body, or URLSearchParams as text).
    Text(String),
    /// Name/value pairs of an object body (values already strings).
    Pairs(Vec<(String, String)>),
    /// Something that is not a form (bytes, a stream, a nested object): the message to show
    /// if it is needed as a form.
    Other(String),
}

impl Body {
    /// The body's form parameters, when it can be one.
    pub fn params(&self) -> Option<Vec<(String, String)>> {
        match self {
            Body::Text(t) => Some(atlassian_sign::encoding::parse_form(t)),
            Body::Pairs(p) => Some(p.clone()),
            Body::None | Body::Other(_) => None,
        }
    }
}

impl Input {
    /// The body under `key`: `{ kind: 'none' | 'text' | 'pairs' | 'other', text?, pairs?, error? }`.
    pub fn body(&self, key: &str) -> Out<Body> {
        let b = self.object(key, "body.")?;
        Ok(match b.str("kind")?.as_deref() {
            None | Some("none") => Body::None,
            Some("text") => Body::Text(b.str("text")?.unwrap_or_default()),
            Some("pairs") => Body::Pairs(
                b.strings("pairs")?
                    .chunks(2)
                    .filter(|c| c.len() == 2)
                    .map(|c| (c[0].clone(), c[1].clone()))
                    .collect(),
            ),
            Some(_) => Body::Other(b.str("error")?.unwrap_or_default()),
        })
    }
}

thread_local! {
    // Keys are parsed once: the 8 most recently used keys stay parsed, found by the SHA-256 of
    // their text; the text itself is not kept.
    static KEY_CACHE: RefCell<Vec<([u8; 32], Rc<RsaKey>)>> = const { RefCell::new(Vec::new()) };
}

/// Parses (or takes from the cache) an RSA key from text (PEM, base64 DER or JWK JSON).
pub fn cached_rsa_key(text: &str) -> atlassian_sign::error::Result<Rc<RsaKey>> {
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
    let key = Rc::new(keys::parse_rsa_key(text)?);
    KEY_CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= 8 {
            c.remove(0);
        }
        c.push((id, key.clone()));
    });
    Ok(key)
}

/// A key as the JWT module takes it, owned.
pub enum KeyArg {
    /// An HMAC secret.
    Secret(Vec<u8>),
    /// An RSA key from the cache.
    Rsa(Rc<RsaKey>),
}

impl KeyArg {
    /// A key the facade sent as text (secret, PEM, base64 DER or JWK JSON), JWK JSON of an
    /// object, or bytes (a secret). The core decides what text is (`keys::classify`).
    pub fn from_parts(
        text: Option<String>,
        jwk: Option<String>,
        bytes: Option<Vec<u8>>,
    ) -> Out<KeyArg> {
        if let Some(b) = bytes {
            return Ok(KeyArg::Secret(b));
        }
        if let Some(j) = jwk {
            let v = json::from_str(&j).map_err(|e| type_error(&format!("key is not JSON: {e}")))?;
            return match keys::secret_from_jwk(&v).or_fail()? {
                Some(secret) => Ok(KeyArg::Secret(secret)),
                None => cached_rsa_key(&j).or_fail().map(KeyArg::Rsa),
            };
        }
        match text {
            Some(t) => KeyArg::from_text(t),
            None => Err(type_error(
                "key must be a shared secret (string or bytes), a PEM string, or a JWK object",
            )),
        }
    }

    /// Text: PEM or JWK text is an RSA key, any other text an HMAC secret (`keys::classify`).
    pub fn from_text(t: String) -> Out<KeyArg> {
        match keys::classify(&t) {
            keys::KeyText::Rsa => cached_rsa_key(&t).or_fail().map(KeyArg::Rsa),
            keys::KeyText::Secret => Ok(KeyArg::Secret(t.into_bytes())),
        }
    }

    /// The key as the JWT module takes it.
    pub fn jwt_key(&self) -> JwtKey<'_> {
        match self {
            KeyArg::Secret(s) => JwtKey::Secret(s),
            KeyArg::Rsa(k) => JwtKey::Rsa(k),
        }
    }

    /// Runs `f` with the key as the JWT module takes it.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&JwtKey<'_>) -> atlassian_sign::error::Result<T>,
    ) -> Out<T> {
        f(&self.jwt_key()).or_fail()
    }
}

/// An RSA key from an options field: text (PEM, base64 DER, JWK JSON) or a JWK object.
pub fn rsa_key(input: &Input, key: &str, what: &str) -> Out<Option<Rc<RsaKey>>> {
    match input.value(key) {
        None => Ok(None),
        Some(Value::String(s)) => cached_rsa_key(s).or_fail().map(Some),
        Some(v @ Value::Object(_)) => cached_rsa_key(&json::to_string(v)).or_fail().map(Some),
        Some(_) => Err(type_error(&format!(
            "{what} must be a PEM string (BEGIN PRIVATE KEY / BEGIN PUBLIC KEY) or a JWK object"
        ))),
    }
}
