//! Trusted applications (legacy Seraph v2/v3) bindings.

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::*;
use crate::error::Error;
use crate::json::{json, Map, Value};
use crate::trusted_apps;

/// The `X-Seraph-Trusted-App-*` headers for a request: `{ headers, timestamp }`.
#[wasm_bindgen(js_name = signTrustedApps)]
pub fn sign_trusted_apps(options: JsValue) -> JsResult<JsValue> {
    if !options.is_object() {
        return Err(type_error(
            "signTrustedApps takes { version, appId, privateKey, username, url, timestamp? }",
        ));
    }
    let version = opt_number(&options, "version")?.unwrap_or(3.0);
    if version != 2.0 && version != 3.0 {
        return Err(js_error(Error::InvalidInput(
            "version must be 2 or 3".into(),
        )));
    }
    let key_text = opt_string(&options, "privateKey")?
        .ok_or_else(|| type_error("privateKey is required (PEM)"))?;
    let key = cached_rsa_key(&key_text).js()?;
    let app_id = opt_string(&options, "appId")?.ok_or_else(|| type_error("appId is required"))?;
    let username =
        opt_string(&options, "username")?.ok_or_else(|| type_error("username is required"))?;
    let url = opt_string(&options, "url")?.ok_or_else(|| {
        type_error("url is required: the full URL with its query, as the server rebuilds it")
    })?;
    let timestamp = match opt_number(&options, "timestamp")? {
        Some(t) => t as i64,
        None => js_sys::Date::now() as i64,
    };
    let headers =
        trusted_apps::sign(version as u8, &app_id, &key, &username, &url, timestamp).js()?;
    let obj: Map<String, Value> = headers.into_iter().map(|(k, v)| (k, v.into())).collect();
    let warnings: Vec<String> = crate::keys::short_key_warning(&key).into_iter().collect();
    from_json(&json!({ "headers": obj, "timestamp": timestamp, "warnings": warnings }))
}

/// Verifies trusted-apps headers: `{ appId, username, timestamp, version }`.
#[wasm_bindgen(js_name = verifyTrustedApps)]
pub fn verify_trusted_apps(options: JsValue) -> JsResult<JsValue> {
    if !options.is_object() {
        return Err(type_error(
            "verifyTrustedApps takes { headers, url, publicKey | certificate, now?, windowMs? }",
        ));
    }
    let headers = prop(&options, "headers")?;
    if !headers.is_object() {
        return Err(type_error("headers must be an object or a Headers"));
    }
    let url = opt_string(&options, "url")?
        .ok_or_else(|| type_error("url is required: the URL the server rebuilt"))?;
    let key = match (
        opt_string(&options, "publicKey")?,
        opt_string(&options, "certificate")?,
    ) {
        (Some(pem), _) => cached_rsa_key(&pem).js()?,
        (None, Some(cert)) => {
            std::rc::Rc::new(trusted_apps::parse_app_trust_certificate(&cert).js()?.key)
        }
        (None, None) => {
            return Err(type_error(
                "publicKey (PEM) or certificate (the appTrustCertificate text) is required",
            ))
        }
    };
    let get: Option<Function> = Reflect::get(&headers, &"get".into())
        .ok()
        .and_then(|g| g.dyn_into().ok());
    let lookup = |name: &str| -> Option<String> {
        if let Some(g) = &get {
            return g
                .call1(&headers, &JsValue::from_str(name))
                .ok()
                .and_then(|v| v.as_string());
        }
        let keys = js_sys::Object::keys(headers.unchecked_ref::<js_sys::Object>());
        keys.iter()
            .find(|k| k.as_string().is_some_and(|k| k.eq_ignore_ascii_case(name)))
            .and_then(|k| Reflect::get(&headers, &k).ok())
            .and_then(|v| v.as_string())
    };
    let now = match opt_number(&options, "now")? {
        Some(n) => n as i64,
        None => js_sys::Date::now() as i64,
    };
    let window = opt_number(&options, "windowMs")?.unwrap_or(600_000.0) as i64;
    let allow_v2 = opt_bool(&options, "allowV2")?.unwrap_or(false);
    let v = trusted_apps::verify(&lookup, &key, &url, now, window, allow_v2).map_err(|e| {
        let code = match &e {
            Error::TrustedAppsRejected { seraph_code, .. } => Some(*seraph_code),
            _ => None,
        };
        let err = js_error(e);
        if let Some(c) = code {
            let _ = Reflect::set(&err, &"seraphCode".into(), &c.into());
        }
        err
    })?;
    from_json(&json!({
        "appId": v.app_id, "username": v.username, "timestamp": v.timestamp_ms, "version": v.version,
        "warnings": v.warnings,
    }))
}

/// Parses `<base>/admin/appTrustCertificate`: `{ appId, publicKey, version, magic }`.
#[wasm_bindgen(js_name = parseAppTrustCertificate)]
pub fn parse_app_trust_certificate(text: JsValue) -> JsResult<JsValue> {
    let c = trusted_apps::parse_app_trust_certificate(&req_string(&text, "text")?).js()?;
    from_json(&json!({
        "appId": c.app_id, "publicKey": c.public_key_pem, "version": c.version, "magic": c.magic,
    }))
}
