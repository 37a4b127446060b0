//! OAuth 1.0a: `signOAuthSync`, the prepare and finish halves of `signOAuth` (whose RSA
//! signature the facade makes with WebCrypto when the platform has it), `oauthSignature`,
//! `oauthBaseString`, `parseOAuthHeader`, `verifyOAuth`, the Atlassian three-legged flow and
//! the response parsers.
//!
//! Shapes the facade sends (JSON): request `{ method?, url, signedUrl?, contentType?, headers,
//! body: { kind, text?, pairs?, error? }, authorization? }`; credentials `{ consumerKey,
//! privateKey?, consumerSecret?, token?, tokenSecret?, signatureMethod?, callback?, verifier?,
//! realm?, nonce?, timestamp?, includeVersion?, now }`. A SignedRequest is `{ authorization,
//! baseString, signature, params, url, method, headers, body?, warnings }`.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::boundary::*;
use atlassian_sign::encoding::{encode_form, is_form_content_type, looks_like_json, parse_form};
use atlassian_sign::error::Error;
use atlassian_sign::json::{json, Map, Value};
use atlassian_sign::keys::RsaKey;
use atlassian_sign::oauth1::{
    self, Credentials, Prepared, Request, SignatureMethod, SignedRequest, VerifyOptions,
    VerifyOutcome,
};

/// A request, with what the caller should send when the body was signed.
struct ReadRequest {
    request: Request,
    /// The form body to send (the caller's string as given, or the object encoded).
    body: Option<String>,
    /// The Content-Type to send with that body.
    content_type: Option<String>,
}

const BODY_SHAPE: &str = "request.body must be a form string (a=1&b=2), an object of strings or \
     URLSearchParams; for any other body pass its contentType (such bodies are not signed)";

/// Form parameters and the body text that carries them.
type FormBody = (Vec<(String, String)>, String);

/// The form parameters of the body the facade read, and the text to send.
fn form_body(body: &Body) -> Out<Option<FormBody>> {
    match body {
        Body::None => Ok(None),
        Body::Text(text) => Ok(Some((parse_form(text), text.clone()))),
        Body::Pairs(params) => Ok(Some((params.clone(), encode_form(params)))),
        Body::Other(message) if message.is_empty() => Err(type_error(BODY_SHAPE)),
        Body::Other(message) => Err(type_error(message)),
    }
}

/// Reads the request. The body is a parameter source only when it is form-encoded:
/// `contentType` (or the Content-Type header) is a form type, or no content type is given and
/// the body is form text (not JSON text), an object or URLSearchParams. A JSON body, or any
/// body with another content type, is never signed (RFC 5849 section 3.4.1.3.1).
fn read_request(r: &Input) -> Out<ReadRequest> {
    let method = r.str("method")?.unwrap_or_else(|| "GET".into());
    let url = r.req_str(
        "url",
        "request.url is required: the full URL the request is sent to",
    )?;
    let content_type = match r.str("contentType")? {
        Some(ct) => Some(ct),
        None => r.header("content-type"),
    };
    let body = r.body("body")?;
    let form = match content_type.as_deref() {
        Some(ct) if is_form_content_type(ct) => form_body(&body)?,
        Some(_) => None,
        None => match &body {
            Body::Text(t) if looks_like_json(t) => None,
            _ => form_body(&body)?,
        },
    };
    let mut request = Request::new(&method, &url);
    request.signed_url = r.str("signedUrl")?;
    let (body, content_type) = match form {
        Some((params, text)) => {
            request.form_params = params;
            let ct =
                content_type.unwrap_or_else(|| atlassian_sign::encoding::FORM_CONTENT_TYPE.into());
            (Some(text), Some(ct))
        }
        None => (None, None),
    };
    Ok(ReadRequest {
        request,
        body,
        content_type,
    })
}

fn timestamp(c: &Input) -> Out<Option<u64>> {
    let bad = || type_error("timestamp must be whole seconds since the epoch (a number or digits)");
    match c.value("timestamp") {
        None => Ok(None),
        Some(Value::String(s))
            if !s.is_empty() && s.len() < 16 && s.bytes().all(|b| b.is_ascii_digit()) =>
        {
            s.parse().map(Some).map_err(|_| bad())
        }
        Some(v) => match v.as_f64() {
            Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n < 1e15 => {
                Ok(Some(n as u64))
            }
            _ => Err(bad()),
        },
    }
}

fn non_negative_now(c: &Input) -> Out<u64> {
    u64::try_from(c.now()?).map_err(|_| type_error("now must not be before 1970"))
}

/// The credentials; the key stays alive as long as the `Credentials` borrow.
struct ReadCredentials {
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
    key: Option<Rc<RsaKey>>,
    now: u64,
}

impl ReadCredentials {
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
            private_key: self.key.as_deref(),
        }
    }
}

fn read_credentials(c: &Input) -> Out<ReadCredentials> {
    let method = match c.str("signatureMethod")? {
        Some(name) => SignatureMethod::from_name(&name).or_fail()?,
        None => SignatureMethod::RsaSha1,
    };
    // The key is read only for the RSA methods: an HMAC consumer's unused field is not parsed.
    // `__heldKey`: signOAuth holds a WebCrypto key that cannot be exported, and signs with it.
    let held = c.bool("__heldKey")?.unwrap_or(false);
    let key = if method.is_rsa() && !held {
        let key = rsa_key(c, "privateKey", "privateKey")?.ok_or_else(|| {
            fail(Error::InvalidKey(format!(
                "{method} needs the consumer's RSA private key: pass privateKey (BEGIN PRIVATE \
                 KEY, make one with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
                 -out private.pem), or choose signatureMethod 'HMAC-SHA1' with consumerSecret"
            )))
        })?;
        oauth1::require_private_key(method, &key).or_fail()?;
        Some(key)
    } else {
        None
    };
    Ok(ReadCredentials {
        consumer_key: c.str("consumerKey")?.unwrap_or_default(),
        consumer_secret: c.str("consumerSecret")?.unwrap_or_default(),
        token: c.str("token")?,
        token_secret: c.str("tokenSecret")?.unwrap_or_default(),
        method,
        callback: c.str("callback")?,
        verifier: c.str("verifier")?,
        realm: c.str("realm")?,
        nonce: c.str("nonce")?,
        timestamp: timestamp(c)?,
        include_version: c.bool("includeVersion")?.unwrap_or(true),
        key,
        now: non_negative_now(c)?,
    })
}

fn pairs_object(pairs: &[(String, String)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(n, v)| (n.clone(), Value::String(v.clone())))
        .collect()
}

fn signed_text(signed: SignedRequest, req: &ReadRequest) -> Out {
    let mut headers = Map::new();
    headers.insert("Authorization".into(), signed.authorization.clone().into());
    if let Some(ct) = &req.content_type {
        headers.insert("Content-Type".into(), ct.clone().into());
    }
    let method = atlassian_sign::request::normalize_method(&req.request.method).or_fail()?;
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
    Ok(text(&out))
}

/// `signOAuthSync(request, credentials)`: a SignedRequest, signed in Rust.
#[wasm_bindgen(js_name = __signOAuthSync)]
pub fn sign_oauth_sync(request: &str, credentials: &str) -> Out {
    let req = read_request(&Input::parse(request, "request.")?)?;
    let creds = read_credentials(&Input::parse(credentials, "credentials.")?)?;
    let signed = oauth1::sign(&req.request, &creds.credentials(), creds.now).or_fail()?;
    signed_text(signed, &req)
}

/// The first half of `signOAuth`: the prepared request as JSON, with `webcrypto` naming the
/// hash when the facade may sign the base string with WebCrypto (RSA methods), or the
/// signature already made in Rust (HMAC, PLAINTEXT).
#[wasm_bindgen(js_name = __oauthPrepare)]
pub fn oauth_prepare(request: &str, credentials: &str) -> Out {
    let req = read_request(&Input::parse(request, "request.")?)?;
    let creds = read_credentials(&Input::parse(credentials, "credentials.")?)?;
    let c = creds.credentials();
    let prepared = oauth1::prepare(&req.request, &c, creds.now).or_fail()?;
    let hash = match prepared.signature_method {
        SignatureMethod::RsaSha1 => Some("SHA-1"),
        SignatureMethod::RsaSha256 => Some("SHA-256"),
        _ => None,
    };
    let signature = match hash {
        Some(_) => None,
        None => Some(prepared.compute_signature(&c).or_fail()?),
    };
    Ok(text(&json!({
        "prepared": prepared_json(&prepared),
        "webcrypto": hash,
        "signature": signature,
        "request": request_json(&req),
    })))
}

fn prepared_json(p: &Prepared) -> Value {
    let params: Vec<Value> = p.oauth_params.iter().map(|(n, v)| json!([n, v])).collect();
    json!({
        "signatureMethod": p.signature_method.name(),
        "baseString": p.base_string,
        "params": params,
        "realm": p.realm,
        "url": p.url,
        "warnings": p.warnings,
    })
}

fn request_json(r: &ReadRequest) -> Value {
    json!({ "method": r.request.method, "body": r.body, "contentType": r.content_type })
}

/// The second half of `signOAuth`: the SignedRequest for the prepared request and the
/// signature (from WebCrypto, or from `__oauthSignRsa` when WebCrypto is not there).
#[wasm_bindgen(js_name = __oauthFinish)]
pub fn oauth_finish(prepared: &str, signature: &str) -> Out {
    let all = Input::parse(prepared, "")?;
    let p = all.object("prepared", "")?;
    let r = all.object("request", "")?;
    let params = match p.value("params") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|pair| match pair {
                Value::Array(nv) if nv.len() == 2 => {
                    Some((nv[0].as_str()?.to_owned(), nv[1].as_str()?.to_owned()))
                }
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let prepared = Prepared {
        signature_method: SignatureMethod::from_name(
            &p.str("signatureMethod")?.unwrap_or_default(),
        )
        .or_fail()?,
        base_string: p.str("baseString")?.unwrap_or_default(),
        oauth_params: params,
        realm: p.str("realm")?,
        url: p.str("url")?.unwrap_or_default(),
        warnings: p.strings("warnings")?,
    };
    let req = ReadRequest {
        request: Request::new(&r.str("method")?.unwrap_or_default(), &prepared.url),
        body: r.str("body")?,
        content_type: r.str("contentType")?,
    };
    signed_text(oauth1::finish(prepared, signature), &req)
}

/// The RSA signature of a prepared request in Rust (when WebCrypto is missing or refuses the
/// key): the same bytes, PKCS#1 v1.5 being deterministic.
#[wasm_bindgen(js_name = __oauthSignRsa)]
pub fn oauth_sign_rsa(prepared: &str, credentials: &str) -> Out {
    let all = Input::parse(prepared, "")?;
    let p = all.object("prepared", "")?;
    let creds = read_credentials(&Input::parse(credentials, "credentials.")?)?;
    let method =
        SignatureMethod::from_name(&p.str("signatureMethod")?.unwrap_or_default()).or_fail()?;
    let c = creds.credentials();
    oauth1::compute_signature(
        method,
        &p.str("baseString")?.unwrap_or_default(),
        &c.signature_key().or_fail()?,
    )
    .or_fail()
}

/// `oauthSignature(baseString, credentials)`: the signature of a base string as it is.
#[wasm_bindgen(js_name = __oauthSignature)]
pub fn oauth_signature(base_string: &str, credentials: &str) -> Out {
    let creds = read_credentials(&Input::parse(credentials, "credentials.")?)?;
    let c = creds.credentials();
    oauth1::compute_signature(creds.method, base_string, &c.signature_key().or_fail()?).or_fail()
}

/// `oauthBaseString(request, oauthParams)`: `params` is `[[name, value], ...]` or null when
/// the facade passes an `OAuth ...` header as `header`.
#[wasm_bindgen(js_name = __oauthBaseString)]
pub fn oauth_base_string(request: &str, params: Option<String>, header: Option<String>) -> Out {
    let req = read_request(&Input::parse(request, "request.")?)?;
    let params = match (header, params) {
        (Some(h), _) => oauth1::parse_authorization_header(&h).or_fail()?,
        (None, Some(p)) => pairs_from_json(&p)?,
        (None, None) => Vec::new(),
    };
    let url = atlassian_sign::request::Url::parse(
        req.request
            .signed_url
            .as_deref()
            .unwrap_or(&req.request.url),
    )
    .or_fail()?;
    oauth1::base_string(&req.request.method, &url, &req.request.form_params, &params).or_fail()
}

fn pairs_from_json(text: &str) -> Out<Vec<(String, String)>> {
    const SHAPE: &str = "oauthParams must be an object of strings, an array of [name, value] \
                         pairs, or an 'OAuth ...' Authorization header";
    let v = atlassian_sign::json::from_str(text).map_err(|_| type_error(SHAPE))?;
    let Value::Array(a) = v else {
        return Err(type_error(SHAPE));
    };
    a.iter()
        .map(|pair| match pair {
            Value::Array(nv) if nv.len() == 2 => match (&nv[0], &nv[1]) {
                (Value::String(n), Value::String(v)) => Ok((n.clone(), v.clone())),
                _ => Err(type_error(SHAPE)),
            },
            _ => Err(type_error(SHAPE)),
        })
        .collect()
}

/// `parseOAuthHeader(header)`: an object of decoded values; a repeated name is an error.
#[wasm_bindgen(js_name = __parseOAuthHeader)]
pub fn parse_oauth_header(header: &str) -> Out {
    let pairs = oauth1::parse_authorization_header(header).or_fail()?;
    let mut out = Map::new();
    for (n, v) in pairs {
        if out.contains_key(&n) {
            return Err(fail(Error::OAuthInvalidRequest(format!(
                "the OAuth header has {n} twice; a server answers parameter_rejected"
            ))));
        }
        out.insert(n, Value::String(v));
    }
    Ok(text(&Value::Object(out)))
}

fn outcome_text(outcome: &VerifyOutcome, realm: Option<&str>) -> String {
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
            return text(&Value::Object(m));
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
        // A problem added to the core later: its name, status, body and header still go out.
        _ => {}
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
    text(&Value::Object(m))
}

/// `verifyOAuth(request, options)`: `{ ok, status, problem?, ... }`; problems with the request
/// are results, not exceptions. The replay check is the facade's: when the result is ok it
/// carries `replay: { nonce, timestamp, consumerKey }` for `nonceSeen`, and a nonce seen
/// before turns into `__oauthNonceUsed`.
#[wasm_bindgen(js_name = __verifyOAuth)]
pub fn verify_oauth(request: &str, options: &str) -> Out {
    let r = Input::parse(request, "request.")?;
    let req = read_request(&r)?;
    let o = Input::parse(options, "options.")?;
    let authorization = match r.str("authorization")? {
        Some(a) => Some(a),
        None => r.header("authorization"),
    };
    let public_key = rsa_key(&o, "publicKey", "publicKey")?;
    let consumer_secret = o.str("consumerSecret")?;
    let token_secret = o.str("tokenSecret")?.unwrap_or_default();
    let window = match o.num("windowSeconds")? {
        None => oauth1::DEFAULT_WINDOW_SECONDS,
        Some(w) if (0.0..=31_536_000.0).contains(&w) => w.floor() as u64,
        Some(_) => {
            return Err(type_error(
                "windowSeconds must be seconds from 0 to 31536000",
            ))
        }
    };
    let names = o.strings("signatureMethods")?;
    let methods = if names.is_empty() {
        None
    } else {
        Some(
            names
                .iter()
                .map(|n| SignatureMethod::from_name(n))
                .collect::<atlassian_sign::error::Result<Vec<_>>>()
                .or_fail()?,
        )
    };
    let realm = o.str("realm")?;
    let mut opts = VerifyOptions::new(non_negative_now(&o)?);
    opts.public_key = public_key.as_deref();
    opts.consumer_secret = consumer_secret.as_deref();
    opts.token_secret = &token_secret;
    opts.window_seconds = window;
    opts.accepted_methods = methods.as_deref();
    let outcome = oauth1::verify(&req.request, authorization.as_deref(), &opts).or_fail()?;
    let out = outcome_text(&outcome, realm.as_deref());
    if let VerifyOutcome::Ok { params, .. } = &outcome {
        // What nonceSeen is asked about, after the signature matched.
        let get = |n: &str| {
            params
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let replay = json!({
            "nonce": get("oauth_nonce"),
            "timestamp": get("oauth_timestamp"),
            "consumerKey": get("oauth_consumer_key"),
        });
        return Ok(format!("{{\"result\":{out},\"replay\":{}}}", text(&replay)));
    }
    Ok(format!("{{\"result\":{out}}}"))
}

/// The `nonce_used` result for a nonce `nonceSeen` reported.
#[wasm_bindgen(js_name = __oauthNonceUsed)]
pub fn oauth_nonce_used(nonce: String, realm: Option<String>) -> String {
    outcome_text(&VerifyOutcome::NonceUsed { nonce }, realm.as_deref())
}

/// The request-token request (`oauthRequestToken(baseUrl, credentials)`).
#[wasm_bindgen(js_name = __oauthRequestToken)]
pub fn oauth_request_token(base_url: &str, credentials: &str) -> Out {
    let mut creds = read_credentials(&Input::parse(credentials, "credentials.")?)?;
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
    let req = flow_request(oauth1::request_token_url(base_url));
    let signed = oauth1::sign(&req.request, &creds.credentials(), creds.now).or_fail()?;
    signed_text(signed, &req)
}

fn flow_request(url: String) -> ReadRequest {
    ReadRequest {
        request: Request::new("POST", &url),
        body: None,
        content_type: None,
    }
}

/// The page the user approves the request token on.
#[wasm_bindgen(js_name = __oauthAuthorizeUrl)]
pub fn oauth_authorize_url(base_url: &str, request_token: &str) -> Out {
    if request_token.is_empty() {
        return Err(fail(Error::InvalidInput(
            "requestToken is empty; pass the oauth_token of the request-token response".into(),
        )));
    }
    Ok(oauth1::authorize_url(base_url, request_token))
}

/// The access-token request (`oauthAccessToken(baseUrl, credentials)`).
#[wasm_bindgen(js_name = __oauthAccessToken)]
pub fn oauth_access_token(base_url: &str, credentials: &str) -> Out {
    let mut creds = read_credentials(&Input::parse(credentials, "credentials.")?)?;
    if creds.token.as_deref().unwrap_or_default().is_empty() {
        return Err(fail(Error::InvalidInput(
            "token is required: the request token (oauth_token) from the request-token step".into(),
        )));
    }
    if creds.verifier.as_deref().unwrap_or_default().is_empty() {
        return Err(fail(Error::InvalidInput(
            "verifier is required: the oauth_verifier the user was shown (or the callback received)"
                .into(),
        )));
    }
    creds.callback = None;
    let req = flow_request(oauth1::access_token_url(base_url));
    let signed = oauth1::sign(&req.request, &creds.credentials(), creds.now).or_fail()?;
    signed_text(signed, &req)
}

/// `parseOAuthTokenResponse(body)`.
#[wasm_bindgen(js_name = __parseOAuthTokenResponse)]
pub fn parse_oauth_token_response(body: &str) -> Out {
    let t = oauth1::parse_token_response(body).or_fail()?;
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
    Ok(text(&Value::Object(m)))
}

/// `parseOAuthProblem(bodyOrHeader)`.
#[wasm_bindgen(js_name = __parseOAuthProblem)]
pub fn parse_oauth_problem(body_or_header: &str) -> Out {
    let p = oauth1::parse_problem(body_or_header).or_fail()?;
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
    Ok(text(&Value::Object(m)))
}
