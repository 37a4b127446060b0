//! Bindings for what Atlassian sends: Connect requests and install callbacks, Forge
//! invocation tokens, ASAP.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::convert::*;
use crate::asap::{self, AsapClaims, AsapValidation};
use crate::error::Error;
use crate::forge;
use crate::incoming::{self, IncomingKind, IncomingOptions};
use crate::json::{self, json, Map, Value};
use crate::jwt::{Algorithm, JwtKey};

/// Calls `f(arg)` if `v` is a function (awaiting a returned Promise), else returns `v`.
async fn resolve(v: JsValue, arg: &str, what: &str) -> JsResult<JsValue> {
    let Some(f) = v.dyn_ref::<Function>() else {
        return Ok(v);
    };
    let out = f.call1(&JsValue::UNDEFINED, &JsValue::from_str(arg))?;
    if out.is_instance_of::<Promise>() {
        JsFuture::from(out.unchecked_into::<Promise>()).await
    } else if is_nullish(&out) {
        Err(js_error(Error::InvalidKey(format!(
            "the {what} resolver returned nothing for {arg:?}"
        ))))
    } else {
        Ok(out)
    }
}

fn header(headers: &JsValue, name: &str) -> JsResult<Option<String>> {
    if is_nullish(headers) {
        return Ok(None);
    }
    // A fetch Headers object.
    if let Ok(get) = Reflect::get(headers, &"get".into()) {
        if let Some(get) = get.dyn_ref::<Function>() {
            let v = get.call1(headers, &JsValue::from_str(name))?;
            return Ok(v.as_string());
        }
    }
    // A plain object (node:http lowercases header names).
    let keys = js_sys::Object::keys(headers.unchecked_ref::<js_sys::Object>());
    for k in keys.iter() {
        if k.as_string().is_some_and(|k| k.eq_ignore_ascii_case(name)) {
            let v = Reflect::get(headers, &k)?;
            if let Some(s) = v.as_string() {
                return Ok(Some(s));
            }
            if js_sys::Array::is_array(&v) {
                return Ok(js_sys::Array::from(&v).get(0).as_string());
            }
        }
    }
    Ok(None)
}

/// The URL of Atlassian's public key for a signed install callback's `kid`.
#[wasm_bindgen(js_name = installKeyUrl)]
pub fn install_key_url(kid: JsValue) -> JsResult<String> {
    incoming::install_key_url(&req_string(&kid, "kid")?).js()
}

/// Verifies a request an Atlassian product sent to the app. Returns a Promise of
/// `{ claims, clientKey, kind, token }`.
#[wasm_bindgen(js_name = verifyConnectRequest)]
pub async fn verify_connect_request(request: JsValue, options: JsValue) -> JsResult<JsValue> {
    if !request.is_object() {
        return Err(type_error(
            "request must be an object: { method, url, headers, body }",
        ));
    }
    if !options.is_object() {
        return Err(type_error(
            "options must be an object: { baseUrl, sharedSecret | installKey, lifecycle? }",
        ));
    }
    let method = opt_string(&request, "method")?.unwrap_or_else(|| "GET".into());
    let url = opt_string(&request, "url")?.ok_or_else(|| type_error("request.url is required"))?;
    let base_url = opt_string(&options, "baseUrl")?.ok_or_else(|| {
        type_error("options.baseUrl is required (the baseUrl of your app descriptor)")
    })?;
    let lifecycle = opt_bool(&options, "lifecycle")?.unwrap_or(false);
    let token = incoming::token_from_request(
        header(&prop(&request, "headers")?, "authorization")?.as_deref(),
        &url,
    )
    .js()?;
    let body = prop(&request, "body")?;
    let content_type = header(&prop(&request, "headers")?, "content-type")?.unwrap_or_default();
    let (form_body, body_client_key) = if lifecycle {
        let json = match body.as_string() {
            Some(s) => json::from_str(&s).map_err(|e| {
                js_error(Error::InvalidInput(format!(
                    "the lifecycle callback body is not JSON: {e}"
                )))
            })?,
            None if body.is_object() => to_json(&body, "request.body")?,
            None => Value::Null,
        };
        (
            None,
            json.get("clientKey")
                .and_then(Value::as_str)
                .map(str::to_owned),
        )
    } else if content_type.is_empty()
        || content_type.starts_with("application/x-www-form-urlencoded")
    {
        (form_params(&body, "request.body").unwrap_or(None), None)
    } else {
        (None, None)
    };
    let o = IncomingOptions {
        kind: if lifecycle {
            IncomingKind::Lifecycle
        } else {
            IncomingKind::Request
        },
        base_url,
        body_client_key,
        form_body,
        allow_context_qsh: opt_bool(&options, "allowContextQsh")?.unwrap_or(false),
        leeway: opt_number(&options, "leeway")?.unwrap_or(3.0) as i64,
        now: now_seconds(&options)?,
    };
    let (claims, client_key) = if lifecycle {
        let kid = incoming::unverified_kid(&token).js()?;
        incoming::install_key_url(&kid).js()?;
        let key = resolve(prop(&options, "installKey")?, &kid, "installKey").await?;
        let pem = key.as_string().ok_or_else(|| {
            type_error(
                "options.installKey must be a PEM string or a function (kid) => PEM | Promise<PEM>",
            )
        })?;
        let rsa = cached_rsa_key(&pem).js()?;
        let claims =
            incoming::verify_incoming(&token, &JwtKey::Rsa(&rsa), &method, &url, &o).js()?;
        let ck = o.body_client_key.clone().unwrap_or_default();
        (claims, ck)
    } else {
        let iss = incoming::unverified_issuer(&token).js()?;
        let secret = resolve(prop(&options, "sharedSecret")?, &iss, "sharedSecret").await?;
        let secret = secret.as_string().ok_or_else(|| {
            type_error("options.sharedSecret must be a string or a function (clientKey) => secret | Promise<secret>")
        })?;
        if secret.is_empty() {
            return Err(js_error(Error::InvalidKey(format!(
                "no shared secret for clientKey {iss:?}; is the app installed there?"
            ))));
        }
        let claims = incoming::verify_incoming(
            &token,
            &JwtKey::Secret(secret.as_bytes()),
            &method,
            &url,
            &o,
        )
        .js()?;
        (claims, iss)
    };
    from_json(&json!({
        "claims": claims,
        "clientKey": client_key,
        "kind": if lifecycle { "lifecycle" } else { "request" },
        "context": claims.get("qsh").and_then(Value::as_str) == Some(crate::jwt::CONTEXT_QSH),
        "token": token,
    }))
}

/// Verifies a Forge invocation token against a JWKS: `{ claims, app, context, principal }`.
#[wasm_bindgen(js_name = verifyForgeInvocationToken)]
pub fn verify_forge_invocation_token(token: JsValue, options: JsValue) -> JsResult<JsValue> {
    let token = req_string(&token, "token")?;
    let jwks = prop(&options, "jwks")?;
    let jwks = match jwks.as_string() {
        Some(s) => json::from_str(&s)
            .map_err(|e| js_error(Error::InvalidKey(format!("the JWKS is not JSON: {e}"))))?,
        None if jwks.is_object() => to_json(&jwks, "jwks")?,
        None => {
            return Err(type_error(
                "options.jwks is required: the JSON of the Forge jwks.json",
            ))
        }
    };
    let app_id =
        opt_string(&options, "appId")?.ok_or_else(|| type_error("options.appId is required"))?;
    let leeway = opt_number(&options, "leeway")?.unwrap_or(3.0) as i64;
    let claims = forge::verify_fit(&token, &jwks, &app_id, leeway, now_seconds(&options)?).js()?;
    let pick = |k: &str| claims.get(k).cloned().unwrap_or(Value::Null);
    from_json(&json!({
        "claims": claims,
        "app": pick("app"),
        "context": pick("context"),
        "principal": pick("principal"),
    }))
}

/// Signs an ASAP token.
#[wasm_bindgen(js_name = signAsap)]
pub fn sign_asap(options: JsValue) -> JsResult<String> {
    if !options.is_object() {
        return Err(type_error(
            "signAsap takes { issuer, kid, audience, privateKey, ... }",
        ));
    }
    let key_text = opt_string(&options, "privateKey")?.ok_or_else(|| {
        type_error("privateKey is required (PEM or data:application/pkcs8;kid=...;base64,...)")
    })?;
    let (key, uri_kid) = asap::parse_private_key(&key_text).js()?;
    let issuer = opt_string(&options, "issuer")?.ok_or_else(|| type_error("issuer is required"))?;
    let kid = opt_string(&options, "kid")?.or(uri_kid).ok_or_else(|| {
        type_error(
            "kid is required (\"<issuer>/<key name>\"), or a data: URI private key that carries it",
        )
    })?;
    let additional = match prop(&options, "claims")? {
        c if is_nullish(&c) => Map::new(),
        c => match to_json(&c, "claims")? {
            Value::Object(m) => m,
            _ => return Err(type_error("claims must be an object")),
        },
    };
    let alg =
        Algorithm::from_name(&opt_string(&options, "algorithm")?.unwrap_or_else(|| "RS256".into()))
            .js()?;
    let claims = AsapClaims {
        issuer,
        kid,
        audience: string_list(&options, "audience")?,
        subject: opt_string(&options, "subject")?,
        expires_in: opt_number(&options, "expiresIn")?.unwrap_or(60.0) as i64,
        now: now_seconds(&options)?,
        additional,
    };
    asap::sign(&claims, &key, alg).js()
}

/// Verifies an ASAP token. `key` is a public key (PEM / JWK) or a resolver `(kid) => PEM |
/// Promise<PEM>`. Returns a Promise of the claims.
#[wasm_bindgen(js_name = verifyAsap)]
pub async fn verify_asap(token: JsValue, key: JsValue, options: JsValue) -> JsResult<JsValue> {
    let token = req_string(&token, "token")?;
    let kid = asap::token_kid(token.trim().strip_prefix("Bearer ").unwrap_or(token.trim())).js()?;
    let key = resolve(key, &kid, "key").await?;
    let KeyArg::Rsa(rsa) = key_arg(&key)? else {
        return Err(js_error(Error::InvalidKey(
            "ASAP tokens are verified with an RSA public key (PEM or JWK), never a shared secret"
                .into(),
        )));
    };
    let v = AsapValidation {
        audience: string_list(&options, "audience")?,
        issuers: string_list(&options, "issuers")?,
        leeway: opt_number(&options, "leeway")?.unwrap_or(3.0) as i64,
        now: now_seconds(&options)?,
    };
    from_json(&Value::Object(asap::verify(&token, &rsa, &v).js()?))
}
