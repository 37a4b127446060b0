//! Trusted applications refusals (`X-Seraph-Trusted-App-Error`): for `BAD_SIGNATURE`,
//! compares the URL the client signed with the URL the server rebuilt.

use super::{default_port, from_causes, Explanation, PartDiff};
use atlassian_sign::error::{Error, Result};
use atlassian_sign::request::{truncate, Url};

/// A parsed `X-Seraph-Trusted-App-Error` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedAppsError {
    /// The code (`BAD_SIGNATURE`, `OLD_CERT`, ...).
    pub code: String,
    /// The message template.
    pub message: String,
    /// The parameters (for BAD_SIGNATURE: the URL the server rebuilt).
    pub params: Vec<String>,
}

/// Reads `CODE;\tmessage template;\t["param", ...]`.
pub fn parse_trusted_apps_error(header: &str) -> Result<TrustedAppsError> {
    let h = header.trim();
    let h = h
        .split_once(':')
        .filter(|(n, _)| n.trim().eq_ignore_ascii_case("X-Seraph-Trusted-App-Error"))
        .map(|(_, v)| v.trim())
        .unwrap_or(h);
    let mut parts = h.splitn(3, ';');
    let code = parts.next().unwrap_or_default().trim().to_owned();
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
        return Err(Error::InvalidInput(format!(
            "{:?} is not an X-Seraph-Trusted-App-Error value (CODE;\\tmessage;\\t[params])",
            truncate(h, 60)
        )));
    }
    let message = parts.next().unwrap_or_default().trim().to_owned();
    let params = match parts.next().map(str::trim) {
        Some(p) if p.starts_with('[') => {
            atlassian_sign::json::string_array(p).unwrap_or_else(|| vec![p.to_owned()])
        }
        Some(p) if !p.is_empty() => vec![p.to_owned()],
        _ => Vec::new(),
    };
    Ok(TrustedAppsError {
        code,
        message,
        params,
    })
}

/// Explains a trusted-applications refusal: for `BAD_SIGNATURE`, compares the URL the client
/// signed with the URL the server rebuilt.
pub fn explain_trusted_apps(header: &str, signed_url: Option<&str>) -> Result<Explanation> {
    explain_parsed(&parse_trusted_apps_error(header)?, signed_url)
}

/// [`explain_trusted_apps`] for a header already parsed.
pub(crate) fn explain_parsed(
    e: &TrustedAppsError,
    signed_url: Option<&str>,
) -> Result<Explanation> {
    let simple = |cause: &'static str, summary: &str, fix: &str| Explanation {
        scheme: "trusted-apps",
        cause,
        causes: vec![cause],
        summary: summary.into(),
        fix: fix.into(),
        client: None,
        server: None,
        diff: Vec::new(),
        tried: Vec::new(),
        verified: false,
    };
    match e.code.as_str() {
        "BAD_SIGNATURE" => {}
        "OLD_CERT" => {
            return Ok(simple(
                "CLOCK_SKEW",
                "the certificate's timestamp is too old for the server: the clocks differ",
                "synchronise both servers' clocks (NTP)",
            ))
        }
        "BAD_PROTOCOL_VERSION" => {
            return Ok(simple(
                "VERSION_MISMATCH",
                "the two sides speak different trusted-apps protocol versions (v2 vs v3)",
                "upgrade the older side, or recreate the link so both use the same version",
            ))
        }
        "APP_UNKNOWN" | "APP_ID_NOT_FOUND" => {
            return Ok(simple(
                "APP_UNKNOWN",
                "the server does not trust this application id",
                "recreate the trusted application link on the server",
            ))
        }
        "BAD_REMOTE_IP" | "BAD_XFORWARD_IP" => {
            return Ok(simple(
                "IP_RESTRICTED",
                "the request came from an address the trust relationship does not allow",
                "add the caller's (or the proxy's) IP to the trusted application's IP patterns",
            ))
        }
        "BAD_URL" => {
            return Ok(simple(
                "URL_RESTRICTED",
                "the URL is not among the URL patterns the trust allows",
                "add the path to the trusted application's URL patterns",
            ))
        }
        "USER_UNKNOWN" => {
            return Ok(simple(
                "USER_UNKNOWN",
                "the user does not exist on the server",
                "use a username that exists on both sides",
            ))
        }
        "MISSING_CERT" | "BAD_MAGIC" | "MAGIC_NUMBER_NOT_FOUND" | "SECRET_KEY_NOT_FOUND" => {
            return Ok(simple(
                "BAD_HEADERS",
                "the trusted-apps headers are missing or do not decrypt with the published key",
                "recreate the link so the server has the caller's current public key",
            ))
        }
        _ => {
            return Ok(simple(
                "UNKNOWN",
                &format!("the server answered {}: {}", e.code, e.message),
                "see the server log for the trusted-apps error",
            ))
        }
    }
    let server_url = e.params.first().cloned().ok_or_else(|| {
        Error::InvalidInput(
            "BAD_SIGNATURE without the URL the server rebuilt; pass the whole header".into(),
        )
    })?;
    let Some(client_url) = signed_url else {
        return Ok(Explanation {
            server: Some(server_url.clone()),
            ..simple(
                "URL_DIFFERS",
                &format!("the server rebuilt the URL {server_url}, which differs from the URL the client signed"),
                "pass the URL you signed to see which part differs",
            )
        });
    };
    let c = Url::parse(client_url)?;
    let s = Url::parse(&server_url)?;
    let mut diff = Vec::new();
    let mut causes: Vec<(&'static str, String, String)> = Vec::new();
    let link_fix = "recreate the application link with the URL the server sees (the proxy URL), or set scheme, proxyName and proxyPort on the server's Tomcat connector";
    if c.scheme != s.scheme {
        diff.push(PartDiff::new("scheme", c.scheme.clone(), s.scheme.clone()));
        causes.push((
            "PROXY_SCHEME",
            format!(
                "the client signed {}:// but the server rebuilt {}://",
                c.scheme, s.scheme
            ),
            link_fix.into(),
        ));
    }
    if c.host != s.host {
        diff.push(PartDiff::new("host", c.host.clone(), s.host.clone()));
        causes.push((
            "PROXY_HOST",
            format!(
                "the client signed host {} but the server rebuilt {}",
                c.host, s.host
            ),
            link_fix.into(),
        ));
    }
    let cp = c.port.or(default_port(&c.scheme));
    let sp = s.port.or(default_port(&s.scheme));
    if cp != sp {
        let show = |p: Option<u16>| p.map(|p| p.to_string()).unwrap_or_default();
        diff.push(PartDiff::new("port", show(cp), show(sp)));
        if c.scheme == s.scheme {
            causes.push((
                "HOST_HEADER_PORT",
                format!("the client signed port {} but the server rebuilt port {}: the Host header lost the non-default port, or a proxy changed it", show(cp), show(sp)),
                "send the port in the Host header (ProxyPreserveHost On), or set proxyPort on the connector".into(),
            ));
        }
    }
    if c.path != s.path {
        diff.push(PartDiff::new("path", c.path.clone(), s.path.clone()));
        causes.push((
            "CONTEXT_PATH",
            "the path differs: a context path is present on one side only, or a proxy rewrote the path".into(),
            "make the link's URL include the server's context path exactly (for example /fisheye)".into(),
        ));
    }
    if c.query.as_deref().unwrap_or("") != s.query.as_deref().unwrap_or("") {
        diff.push(PartDiff::new(
            "query",
            c.query.clone().unwrap_or_default(),
            s.query.clone().unwrap_or_default(),
        ));
        causes.push((
            "QUERY_DIFFERS",
            "the query string differs: the client signed the URL without (or with another) query"
                .into(),
            "sign the full URL with its query string, exactly as sent".into(),
        ));
    }
    if causes.is_empty() {
        causes.push((
            "VERSION_OR_KEY",
            "the URLs agree, so the signature itself differs: a v2/v3 mismatch (v3 signs the username too) or the server holds another public key".into(),
            "make both sides use the same protocol version, or recreate the link so the server fetches the current certificate".into(),
        ));
    }
    Ok(from_causes(
        "trusted-apps",
        &causes,
        Some(client_url.to_owned()),
        Some(server_url),
        diff,
    ))
}
