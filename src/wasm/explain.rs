//! `explain(input)`: why a server refused a request.

use wasm_bindgen::prelude::*;

use super::boundary::*;
use crate::error::Error;
use crate::explain::{self, Explanation, OAuthRefusal, QshProblem};
use crate::json::{json, Value};

fn explanation_text(e: &Explanation) -> String {
    let diff: Vec<Value> = e
        .diff
        .iter()
        .map(|d| json!({ "part": d.part, "client": d.client, "server": d.server }))
        .collect();
    text(&json!({
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

/// Explains a refused request: `{ scheme, cause, causes, summary, fix, client, server, diff,
/// tried }`. The facade sends the input as JSON with the body read as a form.
#[wasm_bindgen(js_name = __explain)]
pub fn explain_input(input: &str) -> Out {
    let i = Input::parse(input, "")?;
    let message = i.str("message")?.unwrap_or_default();
    let scheme = match i.str("scheme")? {
        Some(s) => s,
        None => explain::detect_scheme(&message).to_owned(),
    };
    let method = i.str("method")?.unwrap_or_else(|| "GET".into());
    let url = i.str("url")?.unwrap_or_default();
    let body = match i.body("body")? {
        Body::Other(_) => {
            return Err(type_error(
                "body must be a form string (a=1&b=2) or an object of strings",
            ))
        }
        b => b.params(),
    };
    let e = match scheme.as_str() {
        "qsh" => {
            let (mut expected, mut actual) = explain::parse_qsh_message(&message);
            if let Some(token) = i.str("token")? {
                let d = crate::jwt::decode(&token).or_fail()?;
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
                return Err(type_error(
                    "url is required: the URL the request was sent to",
                ));
            }
            explain::explain_qsh(&QshProblem {
                expected,
                actual,
                method,
                url,
                base_url: i.str("baseUrl")?,
                body,
            })
        }
        "oauth" => explain::explain_oauth(&OAuthRefusal {
            response: message,
            client_base_string: i.str("baseString")?,
            method,
            url,
            body: body.unwrap_or_default(),
            authorization: i.str("authorization")?,
        }),
        "trusted-apps" => {
            let signed = i
                .str("signedUrl")?
                .or_else(|| (!url.is_empty()).then(|| url.clone()));
            explain::explain_trusted_apps(&message, signed.as_deref())
        }
        other => Err(Error::InvalidInput(format!(
            "scheme {other:?} is not known; use 'qsh', 'oauth' or 'trusted-apps' (or leave it \
             out to detect it from the message)"
        ))),
    }
    .or_fail()?;
    Ok(explanation_text(&e))
}
