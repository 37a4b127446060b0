//! `explain` on the whole exchange: the request as sent, the response as received, the
//! product's base URL, and the credentials the person holds. The scheme comes from the
//! exchange itself; each scheme's hypotheses are tested on the evidence (a token verified with
//! the secret, a signature verified over base-string variants with the key), not matched on
//! keywords. Credentials are used in memory and never appear in an explanation.

use super::connect::{self, Cause, ConnectFacts};
use super::{from_causes, Explanation, OAuthRefusal, QshProblem};
use atlassian_sign::encoding::{is_form_content_type, looks_like_json, parse_form};
use atlassian_sign::error::Result;

/// A header value by name, any case (over a request's or a response's headers).
pub use super::exchange::find_header as header;
/// A request as sent (the type the paste parser fills): full URL with its query, every header,
/// the body text.
pub use super::exchange::HttpRequest as SentRequest;
/// A response as received (the type the paste parser fills). The body may also be the log line
/// of the app that refused it.
pub use super::exchange::HttpResponse as ReceivedResponse;

/// What the person holds; all optional, used to test hypotheses, never echoed.
#[derive(Debug, Clone, Default)]
pub struct Held {
    /// Connect: the installation's shared secret.
    pub shared_secret: Option<String>,
    /// Connect: the app key.
    pub app_key: Option<String>,
    /// Connect: the installation's clientKey.
    pub client_key: Option<String>,
    /// Zephyr: the access key (the `iss` Zephyr expects).
    pub access_key: Option<String>,
    /// Zephyr: the accountId.
    pub account_id: Option<String>,
    /// OAuth 1.0a: the consumer key.
    pub consumer_key: Option<String>,
    /// OAuth 1.0a: the consumer's private key (PEM or JWK text).
    pub private_key: Option<String>,
    /// OAuth 1.0a: the public key the server holds (PEM or JWK text).
    pub public_key: Option<String>,
    /// OAuth 1.0a HMAC: the consumer secret.
    pub consumer_secret: Option<String>,
    /// OAuth 1.0a: the access token the person holds (compared with the one sent, never shown).
    pub token: Option<String>,
    /// OAuth 1.0a HMAC: the token secret.
    pub token_secret: Option<String>,
    /// Trusted applications: the caller's application id.
    pub application_id: Option<String>,
    /// Trusted applications: the user the caller acts as (v2 certificates are encrypted).
    pub username: Option<String>,
}

/// The whole exchange.
#[derive(Debug, Clone, Default)]
pub struct ExchangeInput {
    /// The request as sent.
    pub request: Option<SentRequest>,
    /// The response as received.
    pub response: Option<ReceivedResponse>,
    /// The product's base URL (app -> product) or the app's (product -> app).
    pub base_url: Option<String>,
    /// What the person holds.
    pub held: Held,
    /// The refusing side's clock (seconds), if known; else the response's Date header.
    pub now: Option<i64>,
    /// The canonical request the client computed, if the person has it.
    pub canonical_request: Option<String>,
    /// The OAuth base string the client signed, if the person has it.
    pub base_string: Option<String>,
    /// The URL the client signed, when it differs from the one sent.
    pub signed_url: Option<String>,
}

/// Seconds since the epoch of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), as HTTP's Date
/// header carries it.
pub fn http_date(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, day, month, year, time, zone] = parts.as_slice() else {
        return None;
    };
    if !zone.eq_ignore_ascii_case("GMT") {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let m = MONTHS.iter().position(|x| month.eq_ignore_ascii_case(x))? as i64 + 1;
    let d: i64 = day.parse().ok()?;
    let y: i64 = year.parse().ok()?;
    let hms: Vec<i64> = time
        .split(':')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    let [h, mi, se] = hms.as_slice() else {
        return None;
    };
    // Days from the civil date (proleptic Gregorian), 1970-01-01 = 0.
    let (y2, m2) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * m2 + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + se)
}

fn product_of(url: &str, base_url: Option<&str>) -> &'static str {
    let hay = format!("{url} {}", base_url.unwrap_or_default()).to_ascii_lowercase();
    if hay.contains("bitbucket.org") || hay.contains("api.bitbucket") {
        "bitbucket"
    } else if hay.contains("zephyr") {
        "zephyr"
    } else {
        "jira"
    }
}

/// The form parameters of a request body, when it is a form.
fn form_params(r: &SentRequest) -> Option<Vec<(String, String)>> {
    let body = r.body.as_deref()?;
    let form = match r.header("content-type") {
        Some(ct) => is_form_content_type(ct),
        None => !looks_like_json(body),
    };
    form.then(|| parse_form(body))
}

/// Explains a refused exchange. `UNKNOWN` when nothing holds, with a summary of what was tried
/// and a fix that says what to add.
pub fn explain_exchange(i: &ExchangeInput) -> Result<Explanation> {
    let empty = SentRequest::default();
    let req = i.request.as_ref().unwrap_or(&empty);
    let resp_headers: &[(String, String)] = i.response.as_ref().map_or(&[], |r| &r.headers);
    let body = i
        .response
        .as_ref()
        .and_then(|r| r.body.clone())
        .unwrap_or_default();
    let auth = header(&req.headers, "authorization");
    let www = header(resp_headers, "www-authenticate");
    let seraph = header(resp_headers, "x-seraph-trusted-app-error");
    let now = i
        .now
        .or_else(|| header(resp_headers, "date").and_then(http_date));

    if body.contains("oauth_problem")
        || www.is_some_and(|w| w.contains("oauth_problem"))
        || auth.is_some_and(|a| a.trim_start().to_ascii_lowercase().starts_with("oauth "))
    {
        let response = if body.contains("oauth_problem") {
            body.clone()
        } else {
            www.unwrap_or_default().to_owned()
        };
        return super::oauth1_held::explain_oauth_held(
            &OAuthRefusal {
                response,
                client_base_string: i.base_string.clone(),
                method: if req.method.is_empty() {
                    "GET".into()
                } else {
                    req.method.clone()
                },
                url: i.signed_url.clone().unwrap_or_else(|| req.url.clone()),
                body: form_params(req).unwrap_or_default(),
                authorization: auth.map(str::to_owned),
            },
            &i.held,
            &req.url,
        );
    }
    // OAuth credentials at hand, no Connect secret, and a request that carries no credentials
    // of any kind: the client never attached its OAuth parameters.
    let oauth_held = i.held.consumer_key.is_some() && i.held.shared_secret.is_none();
    if oauth_held && auth.is_none() && seraph.is_none() && !req.url.contains("oauth_") {
        let status = i.response.as_ref().and_then(|r| r.status);
        return Ok(super::from_causes(
            "oauth",
            &[(
                "OAUTH_PARAM_MISSING",
                format!(
                    "the request carried no OAuth parameters (no Authorization: OAuth header, none \
                     in the query), so the server treated it as anonymous{}",
                    status.map(|s| format!(" and answered {s}")).unwrap_or_default()
                ),
                "sign the request and send the oauth_* parameters in the Authorization header: \
                 check that the client is configured for OAuth (not only given the keys) and \
                 that no redirect or proxy drops the header"
                    .into(),
            )],
            None,
            None,
            Vec::new(),
        ));
    }
    if let Some(code) = seraph {
        let message = match header(resp_headers, "x-seraph-trusted-app-error-message") {
            Some(m) => format!("{code}; {m}"),
            None => code.to_owned(),
        };
        let signed = i
            .signed_url
            .clone()
            .or_else(|| (!req.url.is_empty()).then(|| req.url.clone()));
        return super::trusted_apps_held::explain_trusted_apps_exchange(
            &message,
            req,
            signed.as_deref(),
            now,
            &i.held,
        );
    }
    explain_connect(i, req, &body, www, now)
}

fn explain_connect(
    i: &ExchangeInput,
    req: &SentRequest,
    body: &str,
    www: Option<&str>,
    now: Option<i64>,
) -> Result<Explanation> {
    let form = form_params(req);
    let carried = connect::carriage(
        header(&req.headers, "authorization"),
        &req.url,
        form.as_deref(),
    );
    // The token decoded once, for every check below that reads its header or claims.
    let decoded = carried
        .token()
        .and_then(|t| atlassian_sign::jwt::decode(t).ok());
    let lower = body.to_ascii_lowercase();
    let mut causes: Vec<Cause> = connect::carriage_causes(&carried, &req.url);
    let mut tried: Vec<String> = vec!["how the token was carried".into()];
    let product = product_of(&req.url, i.base_url.as_deref());
    // An app's verifier refused a product's request: its message names both hashes and the
    // canonical request it hashed.
    let app_message = connect::parse_app_qsh_message(body);
    if carried.token().is_some() {
        let facts = ConnectFacts {
            shared_secret: i.held.shared_secret.clone(),
            app_key: if app_message.is_some() {
                None
            } else if product == "zephyr" {
                i.held.access_key.clone().or_else(|| i.held.app_key.clone())
            } else {
                i.held.app_key.clone()
            },
            client_key: i.held.client_key.clone(),
            account_id: i.held.account_id.clone(),
            now,
            product,
            refused_signature: lower.contains("signature")
                && ["fail", "invalid", "mismatch", "bad "]
                    .iter()
                    .any(|w| lower.contains(w)),
        };
        let (c, t) = connect::token_causes(decoded.as_ref(), &facts);
        causes.extend(c);
        tried.extend(t);
    }
    // The qsh: from the server's message (Jira: expected first), the app's message (the
    // token's first), or the token against the request.
    let (mut expected, mut actual) = super::parse_qsh_message(body);
    if let Some((received, calculated, _)) = &app_message {
        expected = Some(calculated.clone());
        actual = Some(received.clone());
    }
    if let Some(q) = decoded.as_ref().and_then(|d| {
        d.payload
            .get("qsh")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    }) {
        if actual.is_none() && expected.as_deref() == Some(q.as_str()) {
            expected = None;
        }
        actual = Some(q);
    }
    let token_qsh = actual.clone();
    // A token a product issued (product -> app): its iss is the installation's clientKey, or it
    // carries the context claim products add; the refusing side is then the app's verifier.
    let issued_by_product = decoded.as_ref().is_some_and(|d| {
        let iss = d.payload.get("iss").and_then(|v| v.as_str());
        d.payload.get("context").is_some()
            || iss.is_some_and(|iss| i.held.client_key.as_deref() == Some(iss))
    });
    let token_alg = decoded.as_ref().and_then(|d| d.alg().map(str::to_owned));
    let path = atlassian_sign::request::Url::parse(&req.url)
        .map(|u| u.path)
        .unwrap_or_default();
    if carried.token().is_none() && !req.url.is_empty() {
        if lower.contains("invocation token") || lower.contains("forge") {
            causes.push((
                "FORGE_TOKEN_MISSING",
                "the call to the Forge remote carried no Forge Invocation Token".into(),
                "call the remote with invokeRemote (or requestRemote) from the Forge app, which \
                 adds the token; a plain fetch does not"
                    .into(),
            ));
        } else {
            causes.push((
                "TOKEN_MISSING",
                "the request carried no JWT: no Authorization: JWT header and no jwt query \
                 parameter"
                    .into(),
                "let the product sign the request (a module URL in the descriptor, or \
                 AP.context.getToken() for the app's own AJAX calls) and send the token as \
                 Authorization: JWT <token>"
                    .into(),
            ));
        }
    }
    if (path.ends_with("/installed") || path.ends_with("/uninstalled"))
        && token_alg.as_deref().is_some_and(|a| a.starts_with("HS"))
    {
        causes.push((
            "INSTALL_NOT_SIGNED",
            "the install callback carries an HS256 token without a kid, where the app expects the \
             RS256 signed install"
                .into(),
            "set apiMigrations.signed-install to true in the app descriptor and reinstall, so the \
             product signs lifecycle callbacks with RS256"
                .into(),
        ));
    }
    // A product's token carries aud = the baseUrl of the descriptor it installed from; the app
    // checks it against its own base URL.
    if let (true, Some(base), Some(d)) =
        (issued_by_product, i.base_url.as_deref(), decoded.as_ref())
    {
        let trim = |s: &str| s.trim_end_matches('/').to_ascii_lowercase();
        let auds: Vec<String> = match d.payload.get("aud") {
            Some(atlassian_sign::json::Value::String(s)) => vec![s.clone()],
            Some(atlassian_sign::json::Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        if !auds.is_empty() && !auds.iter().any(|a| trim(a) == trim(base)) {
            causes.push((
                "INSTALL_AUD_MISMATCH",
                format!(
                    "the token's aud is {}, the baseUrl of the descriptor the product installed, \
                     but the app checks it against its own base URL {base}",
                    auds.join(", ")
                ),
                "serve the descriptor with the app's public URL as baseUrl (the URL prefix or \
                 base URL setting of the app) and install it again"
                    .into(),
            ));
        }
    }
    let refused = i
        .response
        .as_ref()
        .and_then(|r| r.status)
        .is_some_and(|st| st == 401 || st == 403);
    if token_qsh.as_deref() == Some(atlassian_sign::jwt::CONTEXT_QSH) && refused {
        causes.push((
            "CONTEXT_QSH_REFUSED",
            "the token is a context token (qsh \"context-qsh\", from AP.context.getToken()), but \
             this route verified it as a token bound to the request"
                .into(),
            "accept context tokens on this route (atlassian-connect-express: \
             addon.checkValidToken(); Spring: @ContextJwt), or sign the request itself"
                .into(),
        ));
    }
    let mut qsh_explained = None;
    if !req.url.is_empty()
        && actual
            .as_deref()
            .is_some_and(|a| a != atlassian_sign::jwt::CONTEXT_QSH)
    {
        tried.push("the qsh against variants of the request".into());
        let e = super::explain_qsh(&QshProblem {
            expected: expected.clone(),
            actual: actual.clone(),
            method: if req.method.is_empty() {
                "GET".into()
            } else {
                req.method.clone()
            },
            url: req.url.clone(),
            base_url: i.base_url.clone(),
            body: form.clone(),
        });
        if let Ok(e) = e {
            if let Some((_, _, Some(app_canonical))) = &app_message {
                let app_path = app_canonical.split('&').nth(1).unwrap_or_default();
                if !app_path.is_empty() && app_path != path && path.ends_with(app_path) {
                    causes.push((
                        "PATH_CUT",
                        format!(
                            "the app hashed the path {app_path:?}, the part of {path:?} its \
                             router sees: a router mounted under a prefix (Express req.path) \
                             drops the prefix"
                        ),
                        "hash the full path the product signed (Express: req.originalUrl), \
                         minus the app's base URL path only"
                            .into(),
                    ));
                }
            }
            if e.cause == "QSH_MATCHES" && refused && !path.contains("/rest/") && causes.is_empty()
            {
                causes.push((
                    "URL_QSH_REFUSED",
                    "the token's qsh matches this request, yet the app refused it: the route \
                     demands a context token (context-qsh)"
                        .into(),
                    "accept request-bound tokens on this route, or call it with a context token \
                     (AP.context.getToken())"
                        .into(),
                ));
            }
            // An app's verifier hashed the request it received, and no variant of that request
            // gives the token's hash: a page's token reused for another call.
            if e.cause == "UNKNOWN" && (app_message.is_some() || issued_by_product) {
                causes.push((
                    "TOKEN_FOR_ANOTHER_REQUEST",
                    "no variant of this request gives the token's qsh: the token was made for \
                     another request (the page's own URL token reused for an AJAX call or a form \
                     post)"
                        .into(),
                    "get a token per call in the browser with AP.context.getToken(), and accept \
                     context tokens (context-qsh) on that route"
                        .into(),
                ));
            }
            if e.cause != "QSH_MATCHES" && e.cause != "UNKNOWN" {
                // Every cause the solver found; its summary and fix already cover them all.
                for (k, code) in e.causes.iter().enumerate() {
                    let (summary, fix) = if k == 0 {
                        (e.summary.clone(), e.fix.clone())
                    } else {
                        (String::new(), String::new())
                    };
                    causes.push((*code, summary, fix));
                }
            }
            qsh_explained = Some(e);
        }
    }
    if causes.is_empty() {
        let mut missing = Vec::new();
        if carried.token().is_none() {
            missing.push("the request with its Authorization header (or the URL with ?jwt=)");
        }
        if i.held.shared_secret.is_none() {
            missing.push("the shared secret (to check the signature)");
        }
        if i.held.app_key.is_none() && i.held.access_key.is_none() {
            missing.push("the app key (to check iss)");
        }
        if body.is_empty() && www.is_none() {
            missing.push("the response body");
        }
        let summary = format!(
            "no cause found: checked {}; everything that could be checked holds",
            tried.join(", ")
        );
        let fix = if missing.is_empty() {
            "the signed parts match: check the product's logs, the app's scopes and the user's \
             permissions"
                .to_owned()
        } else {
            format!("add {}", missing.join(", "))
        };
        let mut e = from_causes(
            "connect",
            &[("UNKNOWN", summary, fix)],
            None,
            None,
            Vec::new(),
        );
        if let Some(q) = qsh_explained {
            e.client = q.client;
            e.server = q.server;
            e.tried = q.tried;
        }
        return Ok(e);
    }
    let mut e = from_causes("connect", &causes, None, None, Vec::new());
    if let Some(q) = qsh_explained {
        // The main cause is the qsh solver's, and a variant's hash matched.
        e.verified = q.verified && q.causes.first() == e.causes.first();
        e.client = q.client;
        e.server = q.server;
        e.diff = q.diff;
        e.tried = q.tried;
    }
    Ok(e)
}
