//! Trusted-applications refusals on the whole exchange: the request's own `X-Seraph-*` headers,
//! the response's `Date`, and the caller's key when the person holds it. `OLD_CERT` is measured
//! against the server's clock from the certificate (v3 sends it in clear); for `BAD_SIGNATURE`
//! the received signature is verified over the URL signed and the URL the server rebuilt, as
//! protocol v3 signs it (timestamp, URL, username) and as v2 does (timestamp, URL): the variant
//! that verifies names the cause (a v2/v3 mismatch, a URL that changed in transit, or a server
//! that holds another public key).

use super::exchange_input::{header, Held, SentRequest};
use super::trusted_apps::explain_parsed;
use super::{parse_trusted_apps_error, Explanation};
use atlassian_sign::encoding::b64_decode;
use atlassian_sign::error::Result;
use atlassian_sign::keys::parse_rsa_key;
use atlassian_sign::rsa::Hash;

/// What the request's `X-Seraph-*` headers carry.
struct Sent {
    /// The version header as sent (`None`: absent, which the server reads as 2).
    version: Option<String>,
    /// The v3 certificate's lines (timestamp in ms, username), when it is readable.
    timestamp_ms: Option<i64>,
    username: Option<String>,
    signature: Option<Vec<u8>>,
}

fn sent(req: &SentRequest) -> Sent {
    let version = header(&req.headers, "x-seraph-trusted-app-version").map(|v| v.trim().to_owned());
    // A v3 certificate is base64(timestamp \n username \n magic); v2's is RC4-encrypted.
    let cert = header(&req.headers, "x-seraph-trusted-app-cert")
        .and_then(|c| b64_decode(c.trim()))
        .and_then(|b| String::from_utf8(b).ok());
    let mut lines = cert.as_deref().unwrap_or_default().split('\n');
    let timestamp_ms = lines.next().and_then(|t| t.trim().parse::<i64>().ok());
    let username = lines.next().map(str::to_owned);
    Sent {
        version,
        timestamp_ms: timestamp_ms.filter(|_| username.is_some()),
        username,
        signature: header(&req.headers, "x-seraph-trusted-app-signature")
            .and_then(|s| b64_decode(s.trim())),
    }
}

/// Explains a trusted-apps refusal from the whole exchange; falls back to the header-only
/// explanation when the request carries nothing more to test.
pub fn explain_trusted_apps_exchange(
    message: &str,
    req: &SentRequest,
    signed_url: Option<&str>,
    now: Option<i64>,
    held: &Held,
) -> Result<Explanation> {
    let error = parse_trusted_apps_error(message)?;
    let base = explain_parsed(&error, signed_url)?;
    let s = sent(req);
    match error.code.as_str() {
        "OLD_CERT" => Ok(old_cert(base, &s, now)),
        "BAD_SIGNATURE" => Ok(bad_signature(base, &s, signed_url, held)),
        _ => Ok(base),
    }
}

fn old_cert(mut e: Explanation, s: &Sent, now: Option<i64>) -> Explanation {
    let Some(ts) = s.timestamp_ms else {
        e.tried.push(
            "the certificate's timestamp (not readable: a v2 certificate is encrypted)".into(),
        );
        return e;
    };
    if ts < 100_000_000_000 {
        e.summary = format!(
            "the certificate's timestamp is {ts}, seconds since the epoch; trusted applications \
             count milliseconds, so the server reads a time in 1970 and refuses it as too old"
        );
        e.fix =
            "write the timestamp in milliseconds (System.currentTimeMillis(), Date.now())".into();
        return e;
    }
    let Some(now) = now else {
        e.fix
            .push_str("; paste the response's Date header to see by how much they differ");
        return e;
    };
    let skew = ts / 1000 - now;
    let (side, by) = if skew >= 0 {
        ("ahead of", skew)
    } else {
        ("behind", -skew)
    };
    e.summary = format!(
        "the certificate was made at {} s since the epoch, {by} s {side} the server's clock \
         ({now}, from its Date header); Seraph accepts a certificate only within its time \
         window (10 minutes by default)",
        ts / 1000
    );
    e
}

fn bad_signature(
    mut e: Explanation,
    s: &Sent,
    signed_url: Option<&str>,
    held: &Held,
) -> Explanation {
    let declared_v3 = s.version.as_deref() == Some("3");
    let key_text = held.public_key.as_deref().or(held.private_key.as_deref());
    let key = key_text.and_then(|t| parse_rsa_key(t).ok());
    let (Some(key), Some(sig), Some(ts)) = (key, s.signature.as_ref(), s.timestamp_ms) else {
        // No key (or no readable certificate): what the headers alone show.
        if !declared_v3 && e.diff.is_empty() {
            let why = match &s.version {
                None => "the request sends no X-Seraph-Trusted-App-Version header, which the \
                         server reads as protocol 2"
                    .to_owned(),
                Some(v) => format!("the request declares protocol version {v}"),
            };
            e.cause = "VERSION_MISMATCH";
            e.causes = vec!["VERSION_MISMATCH"];
            e.summary = format!(
                "the URLs agree; {why}, which signs only the timestamp and the URL, while a \
                 v3 client signs the username too"
            );
            e.fix = "send X-Seraph-Trusted-App-Version: 3 with v3 headers (or make both sides \
                     speak the same version)"
                .into();
        } else if e.diff.is_empty() {
            e.fix
                .push_str("; add the caller's public key (credentials.publicKey) to test which");
        }
        return e;
    };
    let server_url = e.server.clone().unwrap_or_default();
    let client_url = signed_url.unwrap_or(&server_url).to_owned();
    let user = s.username.clone().or_else(|| held.username.clone());
    let verifies = |url: &str, v3: bool| -> bool {
        let text = match (&user, v3) {
            (Some(u), true) => format!("{ts}\n{url}\n{u}"),
            (None, true) => return false,
            (_, false) => format!("{ts}\n{url}"),
        };
        let digest = Hash::Sha1.digest(&[text.as_bytes()]);
        key.public_key().verify_pkcs1v15(Hash::Sha1, &digest, sig)
    };
    let mut tried = Vec::new();
    let mut hit = None;
    for url in [client_url.as_str(), server_url.as_str()] {
        for v3 in [declared_v3, !declared_v3] {
            tried.push(format!(
                "the signature as v{} over {url}",
                if v3 { 3 } else { 2 }
            ));
            if hit.is_none() && verifies(url, v3) {
                hit = Some((url == server_url, v3));
            }
        }
    }
    e.tried.extend(tried);
    // The URL parts found by comparing the two URLs (none when they agree).
    let url_causes = if e.diff.is_empty() {
        Vec::new()
    } else {
        e.causes.clone()
    };
    let (first, keep_url): (Option<(&'static str, String, String)>, bool) = match hit {
        Some((server, v3)) if v3 != declared_v3 => (
            Some((
                "VERSION_MISMATCH",
                format!(
                    "the client signed as protocol v{} ({}) but sent {}",
                    if v3 { 3 } else { 2 },
                    if v3 {
                        "timestamp, URL and username"
                    } else {
                        "timestamp and URL only"
                    },
                    match &s.version {
                        Some(v) => format!("X-Seraph-Trusted-App-Version: {v}"),
                        None => "no version header (read as 2)".into(),
                    }
                ),
                "send the version header that matches what the client signs (3 with the \
                 username in the signature)"
                    .into(),
            )),
            !server,
        ),
        Some((true, _)) => (
            Some((
                "KEY_MISMATCH",
                "the signature verifies with the key you gave over the URL the server rebuilt, \
                 so the server holds another public key for this application id"
                    .into(),
                "recreate the trusted application on the server so it fetches the caller's \
                 current certificate (<caller>/admin/appTrustCertificate)"
                    .into(),
            )),
            false,
        ),
        Some((false, _)) => (None, true),
        None => (
            Some((
                "KEY_MISMATCH",
                "the signature does not verify with the key you gave, over either URL or \
                 protocol version: the caller signs with another key (or another URL)"
                    .into(),
                "check which key pair the caller uses, and that the server has its public key"
                    .into(),
            )),
            true,
        ),
    };
    e.verified = hit.is_some();
    let Some((code, summary, fix)) = first else {
        // The client's URL verified: the URL parts found from the two URLs stand, confirmed.
        e.summary
            .push_str(" (the signature verifies with your key over the URL the client signed)");
        return e;
    };
    let mut causes = vec![code];
    if keep_url && !url_causes.is_empty() {
        causes.extend(url_causes);
        e.summary = format!("{summary}; and {}", e.summary);
        e.fix = format!("{fix}; and {}", e.fix);
    } else {
        e.summary = summary;
        e.fix = fix;
    }
    e.cause = code;
    e.causes = causes;
    e
}
