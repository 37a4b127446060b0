//! `explain(input)`: why a server refused a request.

use wasm_bindgen::prelude::*;

use super::convert::*;
use crate::error::Error;
use crate::explain::{self, Explanation, OAuthRefusal, QshProblem};
use crate::json::{json, Value};

fn to_js(e: &Explanation) -> JsResult<JsValue> {
    let diff: Vec<Value> = e
        .diff
        .iter()
        .map(|d| json!({ "part": d.part, "client": d.client, "server": d.server }))
        .collect();
    from_json(&json!({
        "scheme": e.scheme,
        "cause": e.cause,
        "causes": e.causes,
        "summary": e.summary,
        "fix": e.fix,
        "client": e.client,
        "server": e.server,
        "diff": diff,
        "tried": e.tried,
    }))
}

fn detect(message: &str) -> &'static str {
    let m = message.trim_start();
    let lower = m.to_ascii_lowercase();
    if lower.contains("oauth_problem") {
        "oauth"
    } else if lower.contains("x-seraph")
        || m.split(';').next().is_some_and(|c| {
            !c.is_empty() && c.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
        }) && m.contains(';')
    {
        "trusted-apps"
    } else {
        "qsh"
    }
}

/// Explains a refused request: `{ scheme, cause, causes, summary, fix, client, server, diff, tried }`.
#[wasm_bindgen(js_name = explain)]
pub fn explain_js(input: JsValue) -> JsResult<JsValue> {
    if !input.is_object() {
        return Err(type_error("explain takes an object: { message, method, url, baseUrl?, body?, token?, authorization?, baseString?, signedUrl? }"));
    }
    let message = opt_string(&input, "message")?.unwrap_or_default();
    let scheme = match opt_string(&input, "scheme")? {
        Some(s) => s,
        None => detect(&message).to_owned(),
    };
    let method = opt_string(&input, "method")?.unwrap_or_else(|| "GET".into());
    let url = opt_string(&input, "url")?.unwrap_or_default();
    let body = form_params(&prop(&input, "body")?, "body")?;
    let e = match scheme.as_str() {
        "qsh" => {
            let (mut expected, mut actual) = explain::parse_qsh_message(&message);
            if let Some(token) = opt_string(&input, "token")? {
                let d = crate::jwt::decode(&token).js()?;
                if let Some(q) = d.payload.get("qsh").and_then(|v| v.as_str()) {
                    if expected.as_deref() == Some(q) && actual.is_none() {
                        // A message with only one hash: the token's is the actual one.
                        actual = Some(q.to_owned());
                        expected = None;
                    } else {
                        actual = Some(q.to_owned());
                    }
                }
            }
            if url.is_empty() {
                return Err(type_error("url is required: the URL the request was sent to"));
            }
            explain::explain_qsh(&QshProblem {
                expected,
                actual,
                method,
                url,
                base_url: opt_string(&input, "baseUrl")?,
                body,
            })
        }
        "oauth" => explain::explain_oauth(&OAuthRefusal {
            response: message,
            client_base_string: opt_string(&input, "baseString")?,
            method,
            url,
            body: body.unwrap_or_default(),
            authorization: opt_string(&input, "authorization")?,
        }),
        "trusted-apps" => {
            let signed = opt_string(&input, "signedUrl")?.or_else(|| (!url.is_empty()).then(|| url.clone()));
            explain::explain_trusted_apps(&message, signed.as_deref())
        }
        other => Err(Error::InvalidInput(format!(
            "scheme {other:?} is not known; use 'qsh', 'oauth' or 'trusted-apps' (or leave it out to detect it from the message)"
        ))),
    }
    .js()?;
    to_js(&e)
}
