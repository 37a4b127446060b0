//! OAuth 1.0a bindings: `signOAuth` (RSA through WebCrypto when the platform has it),
//! `signOAuthSync` (pure Rust everywhere), `oauthBaseString`, `verifyOAuth`, the Atlassian
//! three-legged flow builders and the response parsers.
//!
//! JS shapes (see `pkg-template/index.d.ts`):
//! - request: `{ method?, url, body?, contentType?, headers?, signedUrl?, authorization? }`;
//!   the body is a parameter source only when it is form-encoded (see [`read_request`]);
//! - credentials: `{ consumerKey, privateKey?, consumerSecret?, token?, tokenSecret?,
//!   signatureMethod?, callback?, verifier?, realm?, nonce?, timestamp?, includeVersion?, now? }`;
//! - SignedRequest: `{ authorization, baseString, signature, params, url, method, headers, body? }`
//!   where `params` is an object of the protocol parameters sent, in header order,
//!   `oauth_signature` last (they are unique: the core refuses a repeated one).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::convert::*;
use crate::encoding::{b64_decode, b64_encode, parse_form, percent_encode_into};
use crate::error::Error;
use crate::json::{json, Map, Value};
use crate::keys::{self, RsaKey};
use crate::oauth1::{
    self, Credentials, Prepared, Request, SignatureMethod, SignedRequest, VerifyOptions,
    VerifyOutcome,
};

const FORM: &str = "application/x-www-form-urlencoded";

// ---------------------------------------------------------------------------------------------
// Reading the request
// ---------------------------------------------------------------------------------------------

/// A request as read from JS, with what the caller should send when the body was signed.
struct JsRequest {
    request: Request,
    /// The form body to send (the caller's string as given, or the object encoded).
    body: Option<String>,
    /// The Content-Type to send with that body.
    content_type: Option<String>,
}

/// A header of `request.headers` (a fetch `Headers`, a `Map`, or a plain object in any case).
fn header(headers: &JsValue, name: &str) -> JsResult<Option<String>> {
    if is_nullish(headers) {
        return Ok(None);
    }
    if !headers.is_object() {
        return Err(type_error(
            "request.headers must be an object, a Headers or a Map",
        ));
    }
    let get = Reflect::get(headers, &"get".into())?;
    if let Some(get) = get.dyn_ref::<Function>() {
        let v = get.call1(headers, &JsValue::from_str(name))?;
        if v.as_string().is_some() || is_nullish(&v) {
            return Ok(v.as_string());
        }
    }
    let keys = Object::keys(headers.unchecked_ref::<Object>());
    for k in keys.iter() {
        if k.as_string().is_some_and(|k| k.eq_ignore_ascii_case(name)) {
            let v = Reflect::get(headers, &k)?;
            if let Some(s) = v.as_string() {
                return Ok(Some(s));
            }
            if Array::is_array(&v) {
                return Ok(Array::from(&v).get(0).as_string());
            }
        }
    }
    Ok(None)
}

/// True for `application/x-www-form-urlencoded`, parameters (`; charset=UTF-8`) allowed.
fn is_form(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case(FORM))
}

fn looks_like_json(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with('{') || t.starts_with('[')
}

/// `name=value&...` with every name and value percent-encoded (RFC 3986), so the server
/// decodes exactly the parameters that were signed.
fn encode_form(params: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (n, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(n, &mut out);
        out.push('=');
        percent_encode_into(v, &mut out);
    }
    out
}

fn is_plain_object(v: &JsValue) -> bool {
    if !v.is_object() || Array::is_array(v) || v.is_function() {
        return false;
    }
    let proto = Object::get_prototype_of(v);
    proto.is_null() || Object::get_prototype_of(&proto).is_null()
}

fn is_url_search_params(v: &JsValue) -> bool {
    Reflect::get(v, &"constructor".into())
        .ok()
        .and_then(|c| Reflect::get(&c, &"name".into()).ok())
        .and_then(|n| n.as_string())
        .is_some_and(|n| n == "URLSearchParams")
}

/// Decoded form parameters and the body text that carries them.
type FormBody = (Vec<(String, String)>, String);

/// The form parameters of a body, and the text to send.
fn form_body(body: &JsValue) -> JsResult<Option<FormBody>> {
    if is_nullish(body) {
        return Ok(None);
    }
    if let Some(s) = body.as_string() {
        return Ok(Some((parse_form(&s), s)));
    }
    if is_url_search_params(body) {
        let text: String = body.unchecked_ref::<Object>().to_string().into();
        return Ok(Some((parse_form(&text), text)));
    }
    if is_plain_object(body) {
        let params = form_params(body, "request.body")?.unwrap_or_default();
        let text = encode_form(&params);
        return Ok(Some((params, text)));
    }
    Err(type_error(
        "request.body must be a form string (a=1&b=2), an object of strings or URLSearchParams; \
         for any other body pass its contentType (such bodies are not signed)",
    ))
}

/// Reads `{ method?, url, body?, contentType?, headers?, signedUrl? }`.
///
/// The body is a parameter source only when it is form-encoded: `contentType` (or the
/// request's Content-Type header) is `application/x-www-form-urlencoded`, or no content type
/// is given and the body is a form string (not JSON text), a plain object or URLSearchParams.
/// A JSON body, or any body with another content type, is never signed (RFC 5849 section
/// 3.4.1.3.1).
fn read_request(v: &JsValue) -> JsResult<JsRequest> {
    if !v.is_object() {
        return Err(type_error(
            "request must be an object: { method, url, body?, contentType?, signedUrl? }",
        ));
    }
    let method = opt_string(v, "method")?.unwrap_or_else(|| "GET".into());
    let url = opt_string(v, "url")?.ok_or_else(|| {
        type_error("request.url is required: the full URL the request is sent to")
    })?;
    let signed_url = opt_string(v, "signedUrl")?;
    let content_type = match opt_string(v, "contentType")? {
        Some(ct) => Some(ct),
        None => header(&prop(v, "headers")?, "content-type")?,
    };
    let body = prop(v, "body")?;
    let form = match content_type.as_deref() {
        Some(ct) if is_form(ct) => form_body(&body)?,
        Some(_) => None,
        None => match body.as_string() {
            Some(s) if looks_like_json(&s) => None,
            _ => form_body(&body)?,
        },
    };
    let mut request = Request::new(&method, &url);
    request.signed_url = signed_url;
    let (body, content_type) = match form {
        Some((params, text)) => {
            request.form_params = params;
            let ct = content_type.unwrap_or_else(|| FORM.into());
            (Some(text), Some(ct))
        }
        None => (None, None),
    };
    Ok(JsRequest {
        request,
        body,
        content_type,
    })
}

// ---------------------------------------------------------------------------------------------
// Reading the credentials
// ---------------------------------------------------------------------------------------------

/// An RSA key given as text (PEM, base64 DER, JWK JSON) or a JWK object, with the text it is
/// cached under.
fn rsa_key_arg(v: &JsValue, what: &str) -> JsResult<(String, Rc<RsaKey>)> {
    let text = if let Some(s) = v.as_string() {
        s
    } else if is_plain_object(v) {
        to_json(v, what)?.to_string()
    } else {
        return Err(type_error(&format!(
            "{what} must be a PEM string (BEGIN PRIVATE KEY / BEGIN PUBLIC KEY) or a JWK object"
        )));
    };
    let key = cached_rsa_key(&text).js()?;
    Ok((text, key))
}

/// A private key for signing; a public key gets a message that says how to get it right.
fn private_key_arg(v: &JsValue, method: SignatureMethod) -> JsResult<(String, Rc<RsaKey>)> {
    let (text, key) = rsa_key_arg(v, "privateKey")?;
    if let RsaKey::Public(_, format) = &*key {
        return Err(js_error(Error::InvalidKey(format!(
            "{method} signing needs the consumer's RSA private key, but privateKey is {}; pass \
             the private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY) and give the public \
             key to the server (Jira: Application Links > Incoming Authentication). The public \
             key comes from the private one with: openssl pkey -in private.pem -pubout -out public.pem",
            format.describe()
        ))));
    }
    Ok((text, key))
}

fn timestamp_arg(obj: &JsValue) -> JsResult<Option<u64>> {
    let v = prop(obj, "timestamp")?;
    if is_nullish(&v) {
        return Ok(None);
    }
    let bad = || type_error("timestamp must be whole seconds since the epoch (a number or digits)");
    if let Some(n) = v.as_f64() {
        if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n < 1e15 {
            return Ok(Some(n as u64));
        }
        return Err(bad());
    }
    match v.as_string() {
        Some(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.len() < 16 => {
            s.parse().map(Some).map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}

fn non_negative_now(obj: &JsValue) -> JsResult<u64> {
    let now = now_seconds(obj)?;
    u64::try_from(now).map_err(|_| type_error("now must not be before 1970"))
}

/// The credentials as read from JS; the key stays alive as long as the `Credentials` borrow.
struct JsCredentials {
    consumer_key: String,
    consumer_secret: String,
    token: Option<String>,
    token_secret: String,
    method: SignatureMethod,
    callback: Option<String>,
    verifier: Option<String>,
    realm: Option<String>,
    nonce: Option<String>,
    timestamp: Option<u64>,
    include_version: bool,
    key: Option<(String, Rc<RsaKey>)>,
    now: u64,
}

impl JsCredentials {
    fn credentials(&self) -> Credentials<'_> {
        Credentials {
            consumer_key: self.consumer_key.clone(),
            consumer_secret: self.consumer_secret.clone(),
            token: self.token.clone(),
            token_secret: self.token_secret.clone(),
            signature_method: self.method,
            callback: self.callback.clone(),
            verifier: self.verifier.clone(),
            realm: self.realm.clone(),
            nonce: self.nonce.clone(),
            timestamp: self.timestamp,
            include_version: self.include_version,
            private_key: self.key.as_ref().map(|(_, k)| &**k),
        }
    }
}

const CREDENTIALS_SHAPE: &str = "credentials must be an object: { consumerKey, privateKey \
     (RSA-SHA1) or consumerSecret (HMAC), token?, tokenSecret?, signatureMethod? }";

fn read_credentials(v: &JsValue) -> JsResult<JsCredentials> {
    if !v.is_object() {
        return Err(type_error(CREDENTIALS_SHAPE));
    }
    let method = match opt_string(v, "signatureMethod")? {
        Some(name) => SignatureMethod::from_name(&name).js()?,
        None => SignatureMethod::RsaSha1,
    };
    // The key is read only for the RSA methods: an HMAC consumer's unused field is not parsed.
    let key = if method.is_rsa() {
        let k = prop(v, "privateKey")?;
        if is_nullish(&k) {
            return Err(js_error(Error::InvalidKey(format!(
                "{method} needs the consumer's RSA private key: pass privateKey (BEGIN PRIVATE \
                 KEY, make one with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
                 -out private.pem), or choose signatureMethod 'HMAC-SHA1' with consumerSecret"
            ))));
        }
        Some(private_key_arg(&k, method)?)
    } else {
        None
    };
    Ok(JsCredentials {
        consumer_key: opt_string(v, "consumerKey")?.unwrap_or_default(),
        consumer_secret: opt_string(v, "consumerSecret")?.unwrap_or_default(),
        token: opt_string(v, "token")?,
        token_secret: opt_string(v, "tokenSecret")?.unwrap_or_default(),
        method,
        callback: opt_string(v, "callback")?,
        verifier: opt_string(v, "verifier")?,
        realm: opt_string(v, "realm")?,
        nonce: opt_string(v, "nonce")?,
        timestamp: timestamp_arg(v)?,
        include_version: opt_bool(v, "includeVersion")?.unwrap_or(true),
        key,
        now: non_negative_now(v)?,
    })
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

fn pairs_object(pairs: &[(String, String)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(n, v)| (n.clone(), Value::String(v.clone())))
        .collect()
}

fn signed_to_js(signed: SignedRequest, req: &JsRequest) -> JsResult<JsValue> {
    let mut headers = Map::new();
    headers.insert("Authorization".into(), signed.authorization.clone().into());
    if let Some(ct) = &req.content_type {
        headers.insert("Content-Type".into(), ct.clone().into());
    }
    let method = crate::request::normalize_method(&req.request.method).js()?;
    let mut out = json!({
        "authorization": signed.authorization,
        "baseString": signed.base_string,
        "signature": signed.signature,
        "params": pairs_object(&signed.params),
        "url": signed.url,
        "method": method,
        "headers": headers,
        "warnings": signed.warnings,
    });
    if let (Some(body), Value::Object(m)) = (&req.body, &mut out) {
        m.insert("body".into(), body.clone().into());
    }
    from_json(&out)
}

// ---------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------

/// Signs a request in pure Rust (constant-time RSA). Returns a SignedRequest.
#[wasm_bindgen(js_name = signOAuthSync)]
pub fn sign_oauth_sync(request: JsValue, credentials: JsValue) -> JsResult<JsValue> {
    let req = read_request(&request)?;
    let creds = read_credentials(&credentials)?;
    let signed = oauth1::sign(&req.request, &creds.credentials(), creds.now).js()?;
    signed_to_js(signed, &req)
}

/// Signs a signature base string as it is (credentials: `signatureMethod` and `privateKey`, or
/// `consumerSecret` and `tokenSecret`). Returns the signature: base64, or for PLAINTEXT the key.
#[wasm_bindgen(js_name = oauthSignature)]
pub fn oauth_signature(base_string: JsValue, credentials: JsValue) -> JsResult<String> {
    let base = req_string(&base_string, "baseString")?;
    let creds = read_credentials(&credentials)?;
    let c = creds.credentials();
    oauth1::compute_signature(creds.method, &base, &c.signature_key().js()?).js()
}

thread_local! {
    // WebCrypto keys imported once per (key text, hash): the 8 most recently used. `None`
    // records that the platform refused the key, so it is signed in Rust without retrying.
    static CRYPTO_KEYS: RefCell<Vec<(String, &'static str, Option<JsValue>)>> =
        const { RefCell::new(Vec::new()) };
}

/// `globalThis.crypto.subtle`, when the platform has it (Node 19+, browsers in secure contexts).
fn subtle() -> Option<JsValue> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    if !crypto.is_object() {
        return None;
    }
    let subtle = Reflect::get(&crypto, &"subtle".into()).ok()?;
    subtle.is_object().then_some(subtle)
}

fn algorithm(hash: &str) -> JsResult<JsValue> {
    let algo = Object::new();
    Reflect::set(&algo, &"name".into(), &"RSASSA-PKCS1-v1_5".into())?;
    Reflect::set(&algo, &"hash".into(), &hash.into())?;
    Ok(algo.into())
}

/// Calls `subtle[name](...args)` and awaits the Promise.
async fn call_subtle(subtle: &JsValue, name: &str, args: &Array) -> JsResult<JsValue> {
    let f: Function = Reflect::get(subtle, &name.into())?.dyn_into()?;
    let p: Promise = f.apply(subtle, args)?.dyn_into()?;
    JsFuture::from(p).await
}

/// The key's PKCS#8 DER (what `importKey('pkcs8', ...)` takes), whatever form it came in.
fn pkcs8_der(key: &RsaKey) -> Option<Vec<u8>> {
    let pem = keys::private_key_pkcs8_pem(key.private_key().ok()?).ok()?;
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    b64_decode(&b64)
}

/// The imported CryptoKey for a key text, importing it on first use; `None` when the platform
/// refuses it.
async fn crypto_key(
    subtle: &JsValue,
    text: &str,
    key: &RsaKey,
    hash: &'static str,
) -> Option<JsValue> {
    let hit = CRYPTO_KEYS.with(|c| {
        let mut c = c.borrow_mut();
        let pos = c.iter().position(|(t, h, _)| *h == hash && t == text)?;
        let entry = c.remove(pos);
        let k = entry.2.clone();
        c.push(entry);
        Some(k)
    });
    if let Some(k) = hit {
        return k;
    }
    let imported = async {
        let der = pkcs8_der(key)?;
        let args = Array::of5(
            &"pkcs8".into(),
            &Uint8Array::from(der.as_slice()).into(),
            &algorithm(hash).ok()?,
            &false.into(),
            &Array::of1(&"sign".into()).into(),
        );
        call_subtle(subtle, "importKey", &args).await.ok()
    }
    .await;
    CRYPTO_KEYS.with(|c| {
        let mut c = c.borrow_mut();
        c.retain(|(t, h, _)| !(*h == hash && t == text));
        if c.len() >= 8 {
            c.remove(0);
        }
        c.push((text.to_owned(), hash, imported.clone()));
    });
    imported
}

/// RSASSA-PKCS1-v1_5 through WebCrypto; `None` when it is unavailable or fails (the caller
/// then signs in Rust: the signature bytes are the same, PKCS#1 v1.5 being deterministic).
async fn webcrypto_signature(prepared: &Prepared, text: &str, key: &RsaKey) -> Option<String> {
    let subtle = subtle()?;
    let hash = match prepared.signature_method {
        SignatureMethod::RsaSha1 => "SHA-1",
        SignatureMethod::RsaSha256 => "SHA-256",
        _ => return None,
    };
    let crypto_key = crypto_key(&subtle, text, key, hash).await?;
    let data = Uint8Array::from(prepared.base_string.as_bytes());
    let args = Array::of3(&algorithm(hash).ok()?, &crypto_key, &data.into());
    let sig = call_subtle(&subtle, "sign", &args).await.ok()?;
    if !sig.is_instance_of::<js_sys::ArrayBuffer>() {
        return None;
    }
    let bytes = Uint8Array::new(&sig).to_vec();
    (!bytes.is_empty()).then(|| b64_encode(&bytes))
}

/// Signs a request; RSA goes through WebCrypto when the platform has it (pure Rust
/// otherwise). Returns a Promise of a SignedRequest.
#[wasm_bindgen(js_name = signOAuth)]
pub async fn sign_oauth(request: JsValue, credentials: JsValue) -> JsResult<JsValue> {
    let req = read_request(&request)?;
    let creds = read_credentials(&credentials)?;
    let c = creds.credentials();
    let prepared = oauth1::prepare(&req.request, &c, creds.now).js()?;
    let fast = match &creds.key {
        Some((text, key)) if prepared.signature_method.is_rsa() => {
            webcrypto_signature(&prepared, text, key).await
        }
        _ => None,
    };
    let signature = match fast {
        Some(s) => s,
        None => prepared.compute_signature(&c).js()?,
    };
    signed_to_js(oauth1::finish(prepared, &signature), &req)
}

// ---------------------------------------------------------------------------------------------
// Base string and header parsing
// ---------------------------------------------------------------------------------------------

/// Protocol parameters from an object, an array of `[name, value]` pairs, or an
/// `OAuth ...` header string.
fn oauth_params_arg(v: &JsValue) -> JsResult<Vec<(String, String)>> {
    const SHAPE: &str = "oauthParams must be an object of strings, an array of [name, value] \
                         pairs, or an 'OAuth ...' Authorization header";
    if let Some(s) = v.as_string() {
        return oauth1::parse_authorization_header(&s).js();
    }
    if Array::is_array(v) {
        let mut out = Vec::new();
        for pair in Array::from(v).iter() {
            if !Array::is_array(&pair) {
                return Err(type_error(SHAPE));
            }
            let pair = Array::from(&pair);
            match (
                pair.length(),
                pair.get(0).as_string(),
                pair.get(1).as_string(),
            ) {
                (2, Some(n), Some(val)) => out.push((n, val)),
                _ => return Err(type_error(SHAPE)),
            }
        }
        return Ok(out);
    }
    if is_plain_object(v) {
        let mut out = Vec::new();
        for entry in Object::entries(v.unchecked_ref()).iter() {
            let entry = Array::from(&entry);
            let (Some(n), Some(val)) = (entry.get(0).as_string(), entry.get(1).as_string()) else {
                return Err(type_error(SHAPE));
            };
            out.push((n, val));
        }
        return Ok(out);
    }
    Err(type_error(SHAPE))
}

/// The signature base string of a request with the given protocol parameters
/// (`oauth_signature` and `realm` among them are left out).
#[wasm_bindgen(js_name = oauthBaseString)]
pub fn oauth_base_string(request: JsValue, oauth_params: JsValue) -> JsResult<String> {
    let req = read_request(&request)?;
    let params = oauth_params_arg(&oauth_params)?;
    let url = crate::request::Url::parse(
        req.request
            .signed_url
            .as_deref()
            .unwrap_or(&req.request.url),
    )
    .js()?;
    oauth1::base_string(&req.request.method, &url, &req.request.form_params, &params).js()
}

/// Parses an `OAuth ...` header (Authorization or WWW-Authenticate) into an object of decoded
/// values, `realm` included. A repeated name is an error.
#[wasm_bindgen(js_name = parseOAuthHeader)]
pub fn parse_oauth_header(header: JsValue) -> JsResult<JsValue> {
    let header = req_string(&header, "header")?;
    let pairs = oauth1::parse_authorization_header(&header).js()?;
    let mut out = Map::new();
    for (n, v) in pairs {
        if out.contains_key(&n) {
            return Err(js_error(Error::OAuthInvalidRequest(format!(
                "the OAuth header has {n} twice; a server answers parameter_rejected"
            ))));
        }
        out.insert(n, Value::String(v));
    }
    from_json(&Value::Object(out))
}

// ---------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------

fn methods_arg(options: &JsValue) -> JsResult<Option<Vec<SignatureMethod>>> {
    let names = string_list(options, "signatureMethods")?;
    if names.is_empty() {
        return Ok(None);
    }
    names
        .iter()
        .map(|n| SignatureMethod::from_name(n).js())
        .collect::<JsResult<Vec<_>>>()
        .map(Some)
}

fn outcome_to_js(outcome: &VerifyOutcome, realm: Option<&str>) -> JsResult<JsValue> {
    let mut m = Map::new();
    m.insert("ok".into(), outcome.is_ok().into());
    m.insert("status".into(), outcome.http_status().into());
    match outcome {
        VerifyOutcome::Ok {
            consumer_key,
            token,
            signature_method,
            base_string,
            params,
            warnings,
        } => {
            m.insert("consumerKey".into(), consumer_key.clone().into());
            m.insert("warnings".into(), warnings.clone().into());
            m.insert(
                "token".into(),
                token.clone().map_or(Value::Null, Value::String),
            );
            m.insert("signatureMethod".into(), signature_method.name().into());
            m.insert("baseString".into(), base_string.clone().into());
            m.insert("params".into(), Value::Object(pairs_object(params)));
            return from_json(&Value::Object(m));
        }
        VerifyOutcome::SignatureInvalid {
            base_string,
            signature_method,
            signature,
        } => {
            m.insert("baseString".into(), base_string.clone().into());
            m.insert("signatureMethod".into(), signature_method.name().into());
            m.insert("signature".into(), signature.clone().into());
        }
        VerifyOutcome::TimestampRefused {
            timestamp,
            acceptable,
        } => {
            m.insert("timestamp".into(), (*timestamp).into());
            m.insert(
                "acceptableTimestamps".into(),
                json!([acceptable.0, acceptable.1]),
            );
        }
        VerifyOutcome::NonceUsed { nonce } => {
            m.insert("nonce".into(), nonce.clone().into());
        }
        VerifyOutcome::ParameterAbsent { names } => {
            m.insert("parametersAbsent".into(), json!(names));
        }
        VerifyOutcome::SignatureMethodRejected { method, acceptable } => {
            m.insert("signatureMethod".into(), method.clone().into());
            let names: Vec<&str> = acceptable.iter().map(|a| a.name()).collect();
            m.insert("acceptableSignatureMethods".into(), json!(names));
        }
        VerifyOutcome::VersionRejected { version } => {
            m.insert("version".into(), version.clone().into());
        }
        VerifyOutcome::ParameterRejected { name, reason } => {
            m.insert("parameter".into(), name.clone().into());
            m.insert("reason".into(), reason.clone().into());
        }
    }
    m.insert("problem".into(), outcome.problem().into());
    let body = outcome.problem_body();
    if let Some(p) = body.as_deref().and_then(|b| oauth1::parse_problem(b).ok()) {
        m.insert("advice".into(), p.advice().into());
    }
    m.insert("body".into(), body.map_or(Value::Null, Value::String));
    m.insert(
        "wwwAuthenticate".into(),
        outcome
            .www_authenticate(realm)
            .map_or(Value::Null, Value::String),
    );
    from_json(&Value::Object(m))
}

/// Verifies a signed request as net.oauth does (provider side). Returns
/// `{ ok, status, problem?, ... }`; problems with the request are results, not exceptions.
#[wasm_bindgen(js_name = verifyOAuth)]
pub fn verify_oauth(request: JsValue, options: JsValue) -> JsResult<JsValue> {
    let req = read_request(&request)?;
    if !options.is_object() {
        return Err(type_error(
            "options must be an object: { publicKey | consumerSecret, tokenSecret?, now?, \
             windowSeconds?, nonceSeen?, signatureMethods? }",
        ));
    }
    let authorization = match opt_string(&request, "authorization")? {
        Some(a) => Some(a),
        None => header(&prop(&request, "headers")?, "authorization")?,
    };
    let public_key = {
        let k = prop(&options, "publicKey")?;
        if is_nullish(&k) {
            None
        } else {
            Some(rsa_key_arg(&k, "publicKey")?.1)
        }
    };
    let consumer_secret = opt_string(&options, "consumerSecret")?;
    let token_secret = opt_string(&options, "tokenSecret")?.unwrap_or_default();
    let window = match opt_number(&options, "windowSeconds")? {
        None => oauth1::DEFAULT_WINDOW_SECONDS,
        Some(w) if (0.0..=31_536_000.0).contains(&w) => w.floor() as u64,
        Some(_) => {
            return Err(type_error(
                "windowSeconds must be seconds from 0 to 31536000",
            ))
        }
    };
    let methods = methods_arg(&options)?;
    let realm = opt_string(&options, "realm")?;
    let nonce_seen = match prop(&options, "nonceSeen")? {
        f if is_nullish(&f) => None,
        f => Some(f.dyn_into::<Function>().map_err(|_| {
            type_error("nonceSeen must be a function (nonce, timestamp, consumerKey) => boolean")
        })?),
    };
    // An exception or a non-boolean from nonceSeen stops verification and is thrown.
    let failure: RefCell<Option<JsValue>> = RefCell::new(None);
    let seen = |nonce: &str, timestamp: &str, consumer_key: &str| -> bool {
        let Some(f) = &nonce_seen else { return false };
        let out = f.call3(
            &JsValue::UNDEFINED,
            &nonce.into(),
            &timestamp.into(),
            &consumer_key.into(),
        );
        match out.map(|v| v.as_bool()) {
            Ok(Some(b)) => b,
            Ok(None) => {
                *failure.borrow_mut() = Some(type_error(
                    "nonceSeen must return true (seen before) or false synchronously; it returned \
                     another value (a Promise? check an async nonce store before verifyOAuth)",
                ));
                true
            }
            Err(e) => {
                *failure.borrow_mut() = Some(e);
                true
            }
        }
    };
    let mut opts = VerifyOptions::new(non_negative_now(&options)?);
    opts.public_key = public_key.as_deref();
    opts.consumer_secret = consumer_secret.as_deref();
    opts.token_secret = &token_secret;
    opts.window_seconds = window;
    opts.accepted_methods = methods.as_deref();
    if nonce_seen.is_some() {
        opts.nonce_seen = Some(&seen);
    }
    let outcome = oauth1::verify(&req.request, authorization.as_deref(), &opts).js()?;
    if let Some(e) = failure.borrow_mut().take() {
        return Err(e);
    }
    outcome_to_js(&outcome, realm.as_deref())
}

// ---------------------------------------------------------------------------------------------
// The Atlassian three-legged flow
// ---------------------------------------------------------------------------------------------

fn flow_request(url: String) -> JsRequest {
    JsRequest {
        request: Request::new("POST", &url),
        body: None,
        content_type: None,
    }
}

/// The signed request-token request: `POST {baseUrl}/plugins/servlet/oauth/request-token`
/// with `oauth_callback` (`'oob'` unless `credentials.callback` says otherwise), no token.
#[wasm_bindgen(js_name = oauthRequestToken)]
pub fn oauth_request_token(base_url: JsValue, credentials: JsValue) -> JsResult<JsValue> {
    let base = req_string(&base_url, "baseUrl")?;
    let mut creds = read_credentials(&credentials)?;
    creds.callback = Some(
        creds
            .callback
            .take()
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| "oob".into()),
    );
    creds.token = None;
    creds.token_secret.clear();
    creds.verifier = None;
    let req = flow_request(oauth1::request_token_url(&base));
    let signed = oauth1::sign(&req.request, &creds.credentials(), creds.now).js()?;
    signed_to_js(signed, &req)
}

/// The page the user approves the request token on:
/// `{baseUrl}/plugins/servlet/oauth/authorize?oauth_token=...`.
#[wasm_bindgen(js_name = oauthAuthorizeUrl)]
pub fn oauth_authorize_url(base_url: JsValue, request_token: JsValue) -> JsResult<String> {
    let base = req_string(&base_url, "baseUrl")?;
    let token = req_string(&request_token, "requestToken")?;
    if token.is_empty() {
        return Err(js_error(Error::InvalidInput(
            "requestToken is empty; pass the oauth_token of the request-token response".into(),
        )));
    }
    Ok(oauth1::authorize_url(&base, &token))
}

/// The signed access-token request: `POST {baseUrl}/plugins/servlet/oauth/access-token` with
/// the request token (`credentials.token`, its secret in `tokenSecret`) and
/// `credentials.verifier`.
#[wasm_bindgen(js_name = oauthAccessToken)]
pub fn oauth_access_token(base_url: JsValue, credentials: JsValue) -> JsResult<JsValue> {
    let base = req_string(&base_url, "baseUrl")?;
    let mut creds = read_credentials(&credentials)?;
    if creds.token.as_deref().unwrap_or_default().is_empty() {
        return Err(js_error(Error::InvalidInput(
            "token is required: the request token (oauth_token) from the request-token step".into(),
        )));
    }
    if creds.verifier.as_deref().unwrap_or_default().is_empty() {
        return Err(js_error(Error::InvalidInput(
            "verifier is required: the oauth_verifier the user was shown (or the callback received)"
                .into(),
        )));
    }
    creds.callback = None;
    let req = flow_request(oauth1::access_token_url(&base));
    let signed = oauth1::sign(&req.request, &creds.credentials(), creds.now).js()?;
    signed_to_js(signed, &req)
}

/// Reads a request-token or access-token response body (form-encoded, also when served as
/// text/plain).
#[wasm_bindgen(js_name = parseOAuthTokenResponse)]
pub fn parse_oauth_token_response(body: JsValue) -> JsResult<JsValue> {
    let body = req_string(&body, "body")?;
    let t = oauth1::parse_token_response(&body).js()?;
    let mut m = Map::new();
    m.insert("token".into(), t.token.into());
    m.insert("tokenSecret".into(), t.token_secret.into());
    if let Some(c) = t.callback_confirmed {
        m.insert("callbackConfirmed".into(), c.into());
    }
    if let Some(e) = t.expires_in {
        m.insert("expiresIn".into(), e.into());
    }
    if let Some(h) = t.session_handle {
        m.insert("sessionHandle".into(), h.into());
    }
    if let Some(a) = t.authorization_expires_in {
        m.insert("authorizationExpiresIn".into(), a.into());
    }
    m.insert("params".into(), Value::Object(pairs_object(&t.other)));
    from_json(&Value::Object(m))
}

/// Reads a provider's refusal from its body (`oauth_problem=...`) or its `WWW-Authenticate`
/// header; the echoed base string is decoded once, ready to compare with the client's.
#[wasm_bindgen(js_name = parseOAuthProblem)]
pub fn parse_oauth_problem(body_or_header: JsValue) -> JsResult<JsValue> {
    let text = req_string(&body_or_header, "bodyOrHeader")?;
    let p = oauth1::parse_problem(&text).js()?;
    let mut m = Map::new();
    m.insert("problem".into(), p.problem.clone().into());
    m.insert("advice".into(), p.advice().into());
    m.insert("params".into(), Value::Object(pairs_object(&p.params)));
    if let Some(b) = &p.base_string {
        m.insert("baseString".into(), b.clone().into());
    }
    if let Some((lo, hi)) = p.acceptable_timestamps {
        m.insert("acceptableTimestamps".into(), json!([lo, hi]));
    }
    from_json(&Value::Object(m))
}
