//! OAuth 1.0a `signature_invalid` and the other `oauth_problem` answers: compares the base
//! string the client signed with the one the server echoed.

use super::{default_port, from_causes, Explanation, PartDiff};
use atlassian_sign::encoding::percent_decode;
use atlassian_sign::error::{Error, Result};
use atlassian_sign::oauth1::{base_string, parse_authorization_header, parse_problem};
use atlassian_sign::request::{truncate, Url};

pub(super) struct BaseParts {
    pub(super) method: String,
    pub(super) scheme: String,
    pub(super) host: String,
    pub(super) port: Option<u16>,
    pub(super) path: String,
    pub(super) params: Vec<(String, String)>,
}

pub(super) fn split_base_string(bs: &str) -> Result<BaseParts> {
    let mut it = bs.trim().splitn(3, '&');
    let (Some(m), Some(u), Some(p)) = (it.next(), it.next(), it.next()) else {
        return Err(Error::InvalidInput(format!(
            "{:?} is not an OAuth signature base string (METHOD&encoded-URL&encoded-parameters)",
            truncate(bs, 60)
        )));
    };
    let uri = percent_decode(u, false).ok_or_else(|| {
        Error::InvalidInput("the base string's URL part has a malformed %-escape".into())
    })?;
    let url = Url::parse(&uri)?;
    let params_text = percent_decode(p, false).ok_or_else(|| {
        Error::InvalidInput("the base string's parameter part has a malformed %-escape".into())
    })?;
    // The normalised parameters are still encoded once: split, then keep them encoded.
    let params = params_text
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|seg| match seg.split_once('=') {
            Some((n, v)) => (n.to_owned(), v.to_owned()),
            None => (seg.to_owned(), String::new()),
        })
        .collect();
    Ok(BaseParts {
        method: m.to_owned(),
        scheme: url.scheme,
        host: url.host,
        port: url.port,
        path: url.path,
        params,
    })
}

/// Explains an OAuth `signature_invalid` by comparing the client's base string with the one
/// the server echoed.
pub fn explain_oauth_base_strings(client_bs: &str, server_bs: &str) -> Result<Explanation> {
    let c = split_base_string(client_bs)?;
    let s = split_base_string(server_bs)?;
    let mut diff = Vec::new();
    let mut causes: Vec<(&'static str, String, String)> = Vec::new();
    if c.method != s.method {
        diff.push(PartDiff::new("method", c.method.clone(), s.method.clone()));
        causes.push((
            "METHOD_CHANGED",
            format!("the server saw {} but the client signed {}", s.method, c.method),
            "sign the method that reaches the server; a cache or proxy in front of it may turn HEAD into GET (nginx proxy_cache)".into(),
        ));
    }
    if c.scheme != s.scheme {
        diff.push(PartDiff::new("scheme", c.scheme.clone(), s.scheme.clone()));
        causes.push((
            "PROXY_SCHEME",
            format!(
                "the client signed {}:// but the server sees {}:// (TLS ends at a proxy in front of Tomcat)",
                c.scheme, s.scheme
            ),
            "set scheme=\"https\" secure=\"true\" proxyName=\"<public host>\" proxyPort=\"443\" on Tomcat's <Connector> (server.xml), or sign the URL the server sees (signedUrl)".into(),
        ));
    }
    if c.host != s.host {
        diff.push(PartDiff::new("host", c.host.clone(), s.host.clone()));
        causes.push((
            "PROXY_HOST",
            format!("the client signed host {} but the server sees {}", c.host, s.host),
            "make the proxy pass the public Host (ProxyPreserveHost On) or set proxyName on the Tomcat connector; check the Application Link uses the base URL, not the internal application URL".into(),
        ));
    }
    let cp = c.port.or(default_port(&c.scheme));
    let sp = s.port.or(default_port(&s.scheme));
    if c.port != s.port {
        let show = |p: Option<u16>| p.map(|p| p.to_string()).unwrap_or_else(|| "(none)".into());
        diff.push(PartDiff::new("port", show(c.port), show(s.port)));
        if cp == sp {
            causes.push((
                "DEFAULT_PORT",
                "one side kept the default port in the URL (:443 or :80); the base string must leave it out".into(),
                "remove the default port from the signed URL".into(),
            ));
        } else if c.scheme == s.scheme || c.port.is_some() || s.port.is_some() {
            // With the scheme changed too, a port is a finding of its own when either side
            // names one: every part that differs is reported.
            causes.push((
                "PROXY_PORT",
                format!("the client signed port {} but the server sees port {}", show(cp), show(sp)),
                "set proxyPort on the Tomcat connector to the public port, make the proxy keep the port in the Host header, or sign the URL the server sees".into(),
            ));
        }
    }
    if c.path != s.path {
        diff.push(PartDiff::new("path", c.path.clone(), s.path.clone()));
        let cause = if matches!(c.path.as_str(), "" | "/") {
            (
                "PATH_CUT",
                "the client signed only the origin (scheme and host), without the path".into(),
                "sign the full URL of the request, path included (not the base URL the client was configured with)".into(),
            )
        } else if s.path.ends_with(c.path.as_str()) || c.path.ends_with(s.path.as_str()) {
            (
                "CONTEXT_PATH",
                "the paths differ by a prefix: a context path (/jira, /confluence) is on one side only".into(),
                "sign the full path the server receives, context path included; check the Application Link URL".into(),
            )
        } else if percent_decode(&c.path, false) == percent_decode(&s.path, false) {
            (
                "PATH_ENCODING",
                "the paths are the same once decoded but are escaped differently".into(),
                "sign the path byte for byte as sent; a proxy (Apache ProxyPass without nocanon) may re-encode it".into(),
            )
        } else {
            (
                "PATH_DIFFERS",
                "the server saw another path than the one signed".into(),
                "sign the URL that reaches the server (redirects and rewrites change it)".into(),
            )
        };
        causes.push(cause);
    }
    diff_params(&c.params, &s.params, &mut diff, &mut causes);
    if causes.is_empty() {
        causes.push((
            "KEY_MISMATCH",
            "both sides computed the same base string, so the signature itself differs: the private key does not match the public key configured for this consumer, the signature method differs, or a \"+\" in the signature was turned into a space".into(),
            "paste the public key that belongs to your private key into the Application Link's Incoming Authentication (BEGIN PUBLIC KEY), sign with RSA-SHA1, and percent-encode the signature in the header".into(),
        ));
    }
    Ok(from_causes(
        "oauth",
        &causes,
        Some(client_bs.trim().to_owned()),
        Some(server_bs.trim().to_owned()),
        diff,
    ))
}

fn diff_params(
    c: &[(String, String)],
    s: &[(String, String)],
    diff: &mut Vec<PartDiff>,
    causes: &mut Vec<(&'static str, String, String)>,
) {
    let ignore = |n: &str| matches!(n, "oauth_signature" | "realm");
    let mut only_client: Vec<&(String, String)> = c
        .iter()
        .filter(|p| !ignore(&p.0) && !s.contains(p))
        .collect();
    let mut only_server: Vec<&(String, String)> = s
        .iter()
        .filter(|p| !ignore(&p.0) && !c.contains(p))
        .collect();
    // Same name on both sides with different values.
    let mut changed = Vec::new();
    only_client.retain(|cp| {
        if let Some(pos) = only_server.iter().position(|sp| sp.0 == cp.0) {
            changed.push(((*cp).clone(), only_server.remove(pos).clone()));
            false
        } else {
            true
        }
    });
    for ((name, cv), (_, sv)) in &changed {
        diff.push(PartDiff::new(
            format!("param {name}"),
            cv.clone(),
            sv.clone(),
        ));
        let cd = percent_decode(cv, false).unwrap_or_default();
        let sd = percent_decode(sv, false).unwrap_or_default();
        let subdelims = ["!", "*", "'", "(", ")"];
        let cause = if name == "oauth_timestamp" || name == "oauth_nonce" {
            (
                "DIFFERENT_ATTEMPT",
                format!("{name} differs: the server's answer belongs to another attempt than this base string"),
                "compare the base string of the same request the server refused".into(),
            )
        } else if !cd.is_ascii() && super::latin1_misread(&cd) == sd {
            (
                "QUERY_CHARSET",
                format!("the server read {name} as ISO-8859-1 instead of UTF-8: the client signed {cd:?}, the server {sd:?}"),
                "make the server decode URLs as UTF-8 (Tomcat: URIEncoding=\"UTF-8\" on the connector, useBodyEncodingForURI=\"false\")".into(),
            )
        } else if cd.replace('+', " ") == sd && cd.contains('+') {
            (
                "PLUS_FOR_SPACE",
                format!("a space in {name} was encoded as \"+\" (form encoding) before signing; OAuth encodes it as %20"),
                "percent-encode with RFC 3986 (PHP rawurlencode, not urlencode; Java URLEncoder then replace + with %20, * with %2A, %7E with ~)".into(),
            )
        } else if cd == sd
            && subdelims
                .iter()
                .any(|ch| cv.contains(ch) || sv.contains(ch))
        {
            (
                "SUBDELIMS_NOT_ENCODED",
                format!("{name} has ! * ' ( ) which were left unencoded on one side (JavaScript encodeURIComponent)"),
                "encode ! * ' ( ) as %21 %2A %27 %28 %29 (RFC 3986)".into(),
            )
        } else if cd == sd
            && cv
                .bytes()
                .any(|b| !(b.is_ascii_alphanumeric() || b"-._~%".contains(&b)))
        {
            // Characters RFC 3986 encodes (a space, =, /) stand raw in the client's parameter
            // string: its values were joined without being encoded first.
            (
                "NOT_ENCODED",
                format!("{name} was signed raw: its value was not percent-encoded before the parameters were joined (one encoding layer missing)"),
                "percent-encode each name and value (RFC 3986) before joining them with = and &, then encode the joined string once more as the base string's third part".into(),
            )
        } else if cd == sd {
            (
                "ENCODING_DIFFERS",
                format!("{name} is the same value escaped differently (hex case, or ~ encoded as %7E)"),
                "percent-encode with RFC 3986: uppercase hex, and leave A-Z a-z 0-9 - . _ ~ unencoded".into(),
            )
        } else if percent_decode(&cd, false).as_deref() == Some(sd.as_str()) {
            (
                "DOUBLE_ENCODED",
                format!(
                    "{name} was encoded one time too many before signing (e.g. %2520 for a space)"
                ),
                "pass decoded values to the signer; it encodes each exactly once".into(),
            )
        } else if percent_decode(&sd, false).as_deref() == Some(cd.as_str()) {
            (
                "NOT_ENCODED",
                format!("{name} was signed without decoding the value the server decodes"),
                "decode query values (%XX and + as space) before signing them".into(),
            )
        } else {
            (
                "PARAM_VALUE_DIFFERS",
                format!("the value of {name} differs between the two sides"),
                "sign the exact value that is sent".into(),
            )
        };
        causes.push(cause);
    }
    let names =
        |v: &[&(String, String)]| v.iter().map(|p| p.0.clone()).collect::<Vec<_>>().join(", ");
    let strip_index = |n: &str| {
        let d = percent_decode(n, false).unwrap_or_else(|| n.to_owned());
        d.split('[').next().unwrap_or_default().to_owned()
    };
    if !only_client.is_empty()
        && !only_server.is_empty()
        && only_client.iter().any(|c| {
            only_server
                .iter()
                .any(|s| strip_index(&c.0) == strip_index(&s.0))
        })
    {
        diff.push(PartDiff::new(
            "params",
            names(&only_client),
            names(&only_server),
        ));
        causes.push((
            "PARAM_RENAMED",
            format!(
                "parameters were renamed between signing and sending ({} signed, {} received)",
                names(&only_client),
                names(&only_server)
            ),
            "sign the parameter names exactly as they are sent (fields[0] vs fields)".into(),
        ));
        return;
    }
    if !only_client.is_empty() {
        diff.push(PartDiff::new("params", names(&only_client), String::new()));
        let all_oauth = only_client.iter().all(|p| p.0.starts_with("oauth_"));
        causes.push(if all_oauth {
            (
                "OAUTH_PARAM_MISSING",
                format!("the server did not receive {} that the client signed", names(&only_client)),
                "send every signed oauth_* parameter in the Authorization header".into(),
            )
        } else {
            (
                "PARAM_NOT_RECEIVED",
                format!("the client signed {} but the server did not receive it: a proxy, cache or firewall stripped the query, or a body was signed as parameters but not sent as a form", names(&only_client)),
                "send the same parameters you sign; sign a form body only when it is sent as application/x-www-form-urlencoded, never JSON".into(),
            )
        });
    }
    if !only_server.is_empty() {
        diff.push(PartDiff::new("params", String::new(), names(&only_server)));
        causes.push((
            "PARAM_NOT_SIGNED",
            format!("the server received {} that the client did not sign", names(&only_server)),
            "sign every query parameter and, for application/x-www-form-urlencoded bodies, every form parameter".into(),
        ));
    }
}

/// The form parameters of a base string's parameter list, decoded, for display.
pub fn decoded_params(bs: &str) -> Result<Vec<(String, String)>> {
    Ok(split_base_string(bs)?
        .params
        .into_iter()
        .map(|(n, v)| {
            (
                percent_decode(&n, false).unwrap_or(n),
                percent_decode(&v, false).unwrap_or(v),
            )
        })
        .collect())
}

/// What `explain_oauth` needs: the provider's refusal and what the client sent.
#[derive(Debug, Clone, Default)]
pub struct OAuthRefusal {
    /// The response body (`oauth_problem=...`) or the `WWW-Authenticate` header value.
    pub response: String,
    /// The base string the client signed, if it has it.
    pub client_base_string: Option<String>,
    /// The request method (used with `url` and `authorization` when no base string is given).
    pub method: String,
    /// The request URL.
    pub url: String,
    /// Form body parameters sent as application/x-www-form-urlencoded.
    pub body: Vec<(String, String)>,
    /// The Authorization header the client sent.
    pub authorization: Option<String>,
}

/// Explains an OAuth 1.0a refusal.
pub fn explain_oauth(r: &OAuthRefusal) -> Result<Explanation> {
    let problem = parse_problem(&r.response)?;
    let oauth_params = match &r.authorization {
        Some(h) if !h.trim().is_empty() => parse_authorization_header(h)?,
        _ => Vec::new(),
    };
    let simple = |cause: &'static str, summary: String, fix: String| Explanation {
        scheme: "oauth",
        cause,
        causes: vec![cause],
        summary,
        fix,
        client: None,
        server: problem.base_string.clone(),
        diff: Vec::new(),
        tried: Vec::new(),
        verified: false,
    };
    match problem.problem.as_str() {
        "signature_invalid" => {}
        "timestamp_refused" => {
            let sent = oauth_params
                .iter()
                .find(|(n, _)| n == "oauth_timestamp")
                .and_then(|(_, v)| v.parse::<i64>().ok());
            let summary = match (sent, problem.acceptable_timestamps) {
                (Some(t), Some((lo, hi))) => {
                    // i128: the timestamps come from the wire and may be anything up to u64::MAX.
                    let mid = (i128::from(lo) + i128::from(hi)) / 2;
                    let skew = i128::from(t) - mid;
                    format!(
                        "the client's clock is {} s {} the server's (sent {t}, accepted {lo}-{hi})",
                        skew.unsigned_abs(),
                        if skew < 0 { "behind" } else { "ahead of" }
                    )
                }
                (_, Some((lo, hi))) => format!("the timestamp is outside the server's window {lo}-{hi}"),
                _ => "the timestamp is outside the server's window (5 minutes either way)".into(),
            };
            return Ok(simple("CLOCK_SKEW", summary, "synchronise the client's clock (NTP); oauth_timestamp is UTC seconds, not milliseconds".into()));
        }
        "signature_method_rejected" => {
            return Ok(simple(
                "SIGNATURE_METHOD_REJECTED",
                "the server does not accept this signature method".into(),
                "Atlassian Data Center accepts only RSA-SHA1 for Application Links: sign with RSA-SHA1 and your private key (if SHA-1 is disabled by a crypto policy, allow it for this client)".into(),
            ))
        }
        other => {
            let code: &'static str = match other {
                "nonce_used" => "NONCE_USED",
                "consumer_key_unknown" | "consumer_key_rejected" => "CONSUMER_KEY_UNKNOWN",
                "token_rejected" | "token_expired" | "token_revoked" | "token_used" => "TOKEN_INVALID",
                "parameter_absent" => "PARAMETER_ABSENT",
                "parameter_rejected" => "PARAMETER_REJECTED",
                "version_rejected" => "VERSION_REJECTED",
                "permission_denied" | "permission_unknown" => "PERMISSION_DENIED",
                _ => "OTHER_PROBLEM",
            };
            return Ok(simple(code, format!("the server answered oauth_problem={other}"), problem.advice().into()));
        }
    }
    let server_bs = problem.base_string.clone().ok_or_else(|| {
        Error::OAuthResponse(
            "signature_invalid without oauth_signature_base_string; pass the whole response body (Atlassian servers include it)".into(),
        )
    })?;
    let client_bs = match &r.client_base_string {
        Some(b) if !b.trim().is_empty() => b.clone(),
        _ => {
            if oauth_params.is_empty() || r.url.is_empty() {
                return Err(Error::InvalidInput(
                    "give the base string you signed, or the request (method, url, body) with the Authorization header you sent".into(),
                ));
            }
            let url = Url::parse(&r.url)?;
            base_string(&r.method, &url, &r.body, &oauth_params)?
        }
    };
    explain_oauth_base_strings(&client_bs, &server_bs)
}
