//! `explain(input)`: why a server refused a request.

use wasm_bindgen::prelude::*;

use super::boundary::*;
use atlassian_sign::error::Error;
use atlassian_sign::json::{json, Value};
use atlassian_sign_explain::{
    self as explain, ExchangeInput, Explanation, Held, OAuthRefusal, QshProblem, ReceivedResponse,
    SentRequest,
};

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
        "verified": e.verified,
    }))
}

/// Explains a refused request: `{ scheme, cause, causes, summary, fix, client, server, diff,
/// tried, verified }`. The facade sends the input as JSON with the body read as a form.
#[wasm_bindgen(js_name = __explain)]
pub fn explain_input(input: &str) -> Out {
    let i = Input::parse(input, "")?;
    if i.value("request").is_some() || i.value("response").is_some() {
        return explain_whole(&i);
    }
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
                let d = atlassian_sign::jwt::decode(&token).or_fail()?;
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

fn headers_of(o: &Input) -> Vec<(String, String)> {
    match o.value("headers") {
        Some(Value::Object(m)) => m
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
            .collect(),
        _ => Vec::new(),
    }
}

/// The whole exchange: `{ request, response, baseUrl, credentials, now, canonicalRequest,
/// baseString, signedUrl }` (the facade normalised headers and bodies to text).
fn explain_whole(i: &Input) -> Out {
    let request = match i.value("request") {
        Some(_) => {
            let r = i.object("request", "request.")?;
            Some(SentRequest {
                method: r.str("method")?.unwrap_or_else(|| "GET".into()),
                url: r.str("url")?.unwrap_or_default(),
                headers: headers_of(&r),
                body: r.str("body")?,
            })
        }
        None => None,
    };
    let response = match i.value("response") {
        Some(_) => {
            let r = i.object("response", "response.")?;
            Some(ReceivedResponse {
                status: r.num("status")?.map(|s| s as u16),
                headers: headers_of(&r),
                body: r.str("body")?,
            })
        }
        None => None,
    };
    let c = i.object("credentials", "credentials.")?;
    let held = Held {
        shared_secret: c.str("sharedSecret")?,
        app_key: c.str("appKey")?,
        client_key: c.str("clientKey")?,
        access_key: c.str("accessKey")?,
        account_id: c.str("accountId")?,
        consumer_key: c.str("consumerKey")?,
        private_key: c.str("privateKey")?,
        public_key: c.str("publicKey")?,
        consumer_secret: c.str("consumerSecret")?,
        token: c.str("token")?,
        token_secret: c.str("tokenSecret")?,
        application_id: c.str("applicationId")?,
        username: c.str("username")?,
    };
    let e = explain::explain_exchange(&ExchangeInput {
        request,
        response,
        base_url: i.str("baseUrl")?,
        held,
        now: i.num("now")?.map(|n| n.floor() as i64),
        canonical_request: i.str("canonicalRequest")?,
        base_string: i.str("baseString")?,
        signed_url: i.str("signedUrl")?,
    })
    .or_fail()?;
    Ok(explanation_text(&e))
}
