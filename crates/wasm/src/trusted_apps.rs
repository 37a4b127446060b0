//! Trusted applications (legacy Seraph v2/v3): `signTrustedApps`, `verifyTrustedApps`,
//! `parseAppTrustCertificate`.

use wasm_bindgen::prelude::*;

use super::boundary::*;
use atlassian_sign::error::Error;
use atlassian_sign::json::{json, Map, Value};
use atlassian_sign::keys::short_key_warning;
use atlassian_sign::trusted_apps;

/// The `X-Seraph-Trusted-App-*` headers for a request: `{ headers, timestamp, warnings }`.
/// `timestamp` is milliseconds (the facade sends the clock when the caller gave none).
#[wasm_bindgen(js_name = __signTrustedApps)]
pub fn sign_trusted_apps(options: &str) -> Out {
    let o = Input::parse(options, "")?;
    let version = o.num("version")?.unwrap_or(3.0);
    if version != 2.0 && version != 3.0 {
        return Err(fail(Error::InvalidInput("version must be 2 or 3".into())));
    }
    let key =
        cached_rsa_key(&o.req_str("privateKey", "privateKey is required (PEM)")?).or_fail()?;
    let app_id = o.req_str("appId", "appId is required")?;
    let username = o.req_str("username", "username is required")?;
    let url = o.req_str(
        "url",
        "url is required: the full URL with its query, as the server rebuilds it",
    )?;
    let timestamp = o.num("timestamp")?.unwrap_or_default() as i64;
    let headers =
        trusted_apps::sign(version as u8, &app_id, &key, &username, &url, timestamp).or_fail()?;
    let obj: Map<String, Value> = headers.into_iter().map(|(k, v)| (k, v.into())).collect();
    let warnings: Vec<String> = short_key_warning(&key).into_iter().collect();
    Ok(text(
        &json!({ "headers": obj, "timestamp": timestamp, "warnings": warnings }),
    ))
}

/// Verifies trusted-apps headers (the facade sends them with lowercase names):
/// `{ appId, username, timestamp, version, warnings }`.
#[wasm_bindgen(js_name = __verifyTrustedApps)]
pub fn verify_trusted_apps(options: &str) -> Out {
    let o = Input::parse(options, "")?;
    let url = o.req_str("url", "url is required: the URL the server rebuilt")?;
    let key = match (o.str("publicKey")?, o.str("certificate")?) {
        (Some(pem), _) => cached_rsa_key(&pem).or_fail()?,
        (None, Some(cert)) => std::rc::Rc::new(
            trusted_apps::parse_app_trust_certificate(&cert)
                .or_fail()?
                .key,
        ),
        (None, None) => {
            return Err(type_error(
                "publicKey (PEM) or certificate (the appTrustCertificate text) is required",
            ))
        }
    };
    let lookup = |name: &str| o.header(&name.to_ascii_lowercase());
    let now = o.num("now")?.unwrap_or_default() as i64;
    let window = o.num("windowMs")?.unwrap_or(600_000.0) as i64;
    let allow_v2 = o.bool("allowV2")?.unwrap_or(false);
    let v = trusted_apps::verify(&lookup, &key, &url, now, window, allow_v2).or_fail()?;
    Ok(text(&json!({
        "appId": v.app_id, "username": v.username, "timestamp": v.timestamp_ms, "version": v.version,
        "warnings": v.warnings,
    })))
}

/// Parses `<base>/admin/appTrustCertificate`: `{ appId, publicKey, version, magic }`.
#[wasm_bindgen(js_name = __parseAppTrustCertificate)]
pub fn parse_app_trust_certificate(certificate: &str) -> Out {
    let c = trusted_apps::parse_app_trust_certificate(certificate).or_fail()?;
    Ok(text(&json!({
        "appId": c.app_id, "publicKey": c.public_key_pem, "version": c.version, "magic": c.magic,
    })))
}
