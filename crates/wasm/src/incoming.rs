//! What Atlassian sends: Connect requests and install callbacks (`verifyConnectRequest`, whose
//! key resolvers the facade awaits between `__incomingPeek` and `__verifyConnectRequest`),
//! Forge invocation tokens, ASAP.

use wasm_bindgen::prelude::*;

use super::boundary::*;
use atlassian_sign::asap::{self, AsapClaims, AsapValidation};
use atlassian_sign::encoding::is_form_content_type;
use atlassian_sign::error::Error;
use atlassian_sign::forge;
use atlassian_sign::incoming::{self, IncomingKind, IncomingOptions};
use atlassian_sign::json::{self, json, Map, Value};
use atlassian_sign::jwt::{Algorithm, JwtKey, CONTEXT_QSH};

/// The URL of Atlassian's public key for a signed install callback's `kid`.
#[wasm_bindgen(js_name = __installKeyUrl)]
pub fn install_key_url(kid: &str) -> Out {
    incoming::install_key_url(kid).or_fail()
}

fn token(r: &Input) -> Out<(String, String)> {
    let url = r.req_str("url", "request.url is required")?;
    let token =
        incoming::token_from_request(r.header("authorization").as_deref(), &url).or_fail()?;
    Ok((token, url))
}

/// `tokenFromText(text)`: `{ token, url }` from a pasted token, Authorization line or URL.
#[wasm_bindgen(js_name = __tokenFromText)]
pub fn token_from_text(pasted: &str) -> String {
    let (token, url) = incoming::token_from_text(pasted);
    super::boundary::text(&json!({ "token": token, "url": url }))
}

/// What the facade needs to resolve the key: `{ token, kid }` for an install callback (the
/// key id, already checked for the install-keys URL), `{ token, iss }` for a request.
#[wasm_bindgen(js_name = __incomingPeek)]
pub fn incoming_peek(request: &str, lifecycle: bool) -> Out {
    let (token, _) = token(&Input::parse(request, "request.")?)?;
    if lifecycle {
        let kid = incoming::unverified_kid(&token).or_fail()?;
        incoming::install_key_url(&kid).or_fail()?;
        Ok(text(&json!({ "token": token, "kid": kid })))
    } else {
        let iss = incoming::unverified_issuer(&token).or_fail()?;
        Ok(text(&json!({ "token": token, "iss": iss })))
    }
}

/// Verifies the request with the key the facade resolved (`options.key`: the install key PEM,
/// or the shared secret). `{ claims, clientKey, kind, context, token }`.
#[wasm_bindgen(js_name = __verifyConnectRequest)]
pub fn verify_connect_request(request: &str, options: &str) -> Out {
    let r = Input::parse(request, "request.")?;
    let o = Input::parse(options, "options.")?;
    let (token, url) = token(&r)?;
    let method = r.str("method")?.unwrap_or_else(|| "GET".into());
    let base_url = o.req_str(
        "baseUrl",
        "options.baseUrl is required (the baseUrl of your app descriptor)",
    )?;
    let lifecycle = o.bool("lifecycle")?.unwrap_or(false);
    let body = r.body("body")?;
    let (form_body, body_client_key) = if lifecycle {
        let text = match &body {
            Body::Text(t) => t.as_str(),
            _ => "",
        };
        (None, incoming::lifecycle_client_key(text).or_fail()?)
    } else {
        let form = match r.header("content-type") {
            Some(ct) if !is_form_content_type(&ct) && !ct.is_empty() => None,
            _ => body.params(),
        };
        (form, None)
    };
    let opts = IncomingOptions {
        kind: if lifecycle {
            IncomingKind::Lifecycle
        } else {
            IncomingKind::Request
        },
        base_url,
        body_client_key,
        form_body,
        allow_context_qsh: o.bool("allowContextQsh")?.unwrap_or(false),
        leeway: o.num("leeway")?.unwrap_or(3.0) as i64,
        now: o.now()?,
    };
    let key = o.req_str("key", "the key was not resolved")?;
    let (claims, client_key) = if lifecycle {
        let rsa = cached_rsa_key(&key).or_fail()?;
        let claims = incoming::verify_incoming(&token, &JwtKey::Rsa(&rsa), &method, &url, &opts)
            .or_fail()?;
        (claims, opts.body_client_key.clone().unwrap_or_default())
    } else {
        let iss = incoming::unverified_issuer(&token).or_fail()?;
        if key.is_empty() {
            return Err(fail(Error::InvalidKey(format!(
                "no shared secret for clientKey {iss:?} (the secret is empty); is the app \
                 installed there?"
            ))));
        }
        let claims = incoming::verify_incoming(
            &token,
            &JwtKey::Secret(key.as_bytes()),
            &method,
            &url,
            &opts,
        )
        .or_fail()?;
        (claims, iss)
    };
    Ok(text(&json!({
        "claims": claims,
        "clientKey": client_key,
        "kind": if lifecycle { "lifecycle" } else { "request" },
        "context": claims.get("qsh").and_then(Value::as_str) == Some(CONTEXT_QSH),
        "token": token,
    })))
}

/// Verifies a Forge invocation token against a JWKS (JSON text): `{ claims, app, context,
/// principal }`.
#[wasm_bindgen(js_name = __verifyForgeInvocationToken)]
pub fn verify_forge_invocation_token(token: &str, jwks: &str, options: &str) -> Out {
    let o = Input::parse(options, "options.")?;
    let jwks = json::from_str(jwks)
        .map_err(|e| fail(Error::InvalidKey(format!("the JWKS is not JSON: {e}"))))?;
    let app_id = o.req_str("appId", "options.appId is required")?;
    let leeway = o.num("leeway")?.unwrap_or(3.0) as i64;
    let claims = forge::verify_fit(token, &jwks, &app_id, leeway, o.now()?).or_fail()?;
    let pick = |k: &str| claims.get(k).cloned().unwrap_or(Value::Null);
    Ok(text(&json!({
        "claims": claims,
        "app": pick("app"),
        "context": pick("context"),
        "principal": pick("principal"),
    })))
}

/// Signs an ASAP token.
#[wasm_bindgen(js_name = __signAsap)]
pub fn sign_asap(options: &str) -> Out {
    let o = Input::parse(options, "")?;
    let key_text = o.req_str(
        "privateKey",
        "privateKey is required (PEM or data:application/pkcs8;kid=...;base64,...)",
    )?;
    let (key, uri_kid) = asap::parse_private_key(&key_text).or_fail()?;
    let issuer = o.req_str("issuer", "issuer is required")?;
    let kid = o.str("kid")?.or(uri_kid).ok_or_else(|| {
        type_error(
            "kid is required (\"<issuer>/<key name>\"), or a data: URI private key that carries it",
        )
    })?;
    let additional = match o.value("claims") {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(type_error("claims must be an object")),
    };
    let alg =
        Algorithm::from_name(&o.str("algorithm")?.unwrap_or_else(|| "RS256".into())).or_fail()?;
    let claims = AsapClaims {
        issuer,
        kid,
        audience: o.strings("audience")?,
        subject: o.str("subject")?,
        expires_in: o.num("expiresIn")?.unwrap_or(60.0) as i64,
        now: o.now()?,
        additional,
    };
    asap::sign(&claims, &key, alg).or_fail()
}

/// The `kid` of an ASAP token (a `Bearer ` prefix allowed), for the facade's key resolver.
#[wasm_bindgen(js_name = __asapKid)]
pub fn asap_kid(token: &str) -> Out {
    let t = token.trim();
    asap::token_kid(t.strip_prefix("Bearer ").unwrap_or(t)).or_fail()
}

/// Verifies an ASAP token with an RSA public key (text or JWK JSON): the claims.
#[wasm_bindgen(js_name = __verifyAsap)]
pub fn verify_asap(
    token: &str,
    key_text: Option<String>,
    key_jwk: Option<String>,
    options: &str,
) -> Out {
    let o = Input::parse(options, "options.")?;
    let KeyArg::Rsa(rsa) = KeyArg::from_parts(key_text, key_jwk, None)? else {
        return Err(fail(Error::InvalidKey(
            "ASAP tokens are verified with an RSA public key (PEM or JWK), never a shared secret"
                .into(),
        )));
    };
    let v = AsapValidation {
        audience: o.strings("audience")?,
        issuers: o.strings("issuers")?,
        leeway: o.num("leeway")?.unwrap_or(3.0) as i64,
        now: o.now()?,
    };
    Ok(text(&Value::Object(
        asap::verify(token, &rsa, &v).or_fail()?,
    )))
}
