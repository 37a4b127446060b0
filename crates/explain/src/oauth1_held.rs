//! OAuth 1.0a refusals tested with the key the person holds: when the client's base string is
//! not known, variants of the server's base string (what clients get wrong) are verified with
//! the received signature; the one that verifies is the base string the client really signed.

use super::oauth1::{explain_oauth, explain_oauth_base_strings, split_base_string, OAuthRefusal};
use super::{default_port, from_causes, Explanation};
use atlassian_sign::encoding::{percent_decode, percent_encode};
use atlassian_sign::error::Result;
use atlassian_sign::keys::parse_rsa_key;
use atlassian_sign::oauth1::{
    normalize_parameters, parse_authorization_header, parse_problem, verify_signature,
    SignatureKey, SignatureMethod,
};
use atlassian_sign::request::Url;

/// Like [`explain_oauth`], with what the person holds: when the client's base string is not
/// known (or both sides computed the same one), variants of the server's base string are
/// signed or verified with the consumer's key, and the variant the received signature verifies
/// over is the base string the client really signed.
pub fn explain_oauth_held(
    r: &OAuthRefusal,
    held: &super::exchange_input::Held,
    sent_url: &str,
) -> Result<Explanation> {
    let mut first = explain_oauth(r);
    let params = match &r.authorization {
        Some(h) => parse_authorization_header(h).unwrap_or_default(),
        None => Vec::new(),
    };
    // A refused access token, and the person's own: is it the one the request carried?
    if let (Ok(e), Some(held_token)) = (&mut first, held.token.as_deref()) {
        if e.cause == "TOKEN_INVALID" {
            let sent = params
                .iter()
                .find(|(n, _)| n == "oauth_token")
                .map(|(_, v)| v.as_str());
            let (summary, fix) = match sent {
                Some(t) if t != held_token => (
                    "; the request carried another oauth_token than the access token you gave",
                    "; send the access token of this user and link (a stale one from storage, or another user's, is refused)",
                ),
                Some(_) => (
                    "; the request carried the access token you gave, so the server no longer knows it (revoked, expired, or issued before the link was recreated)",
                    "; run the OAuth dance again for a new access token",
                ),
                None => (
                    "; the request carried no oauth_token",
                    "; send the access token as oauth_token",
                ),
            };
            e.summary.push_str(summary);
            e.fix.push_str(fix);
            e.tried
                .push("the request's oauth_token against the access token given".into());
        }
    }
    // A base-string diff against the client's base string rebuilt from the request sent (none
    // was given) is a hypothesis: the client may have signed something else. With a key it is
    // checked below, and the variants are searched when it does not verify.
    let rebuilt = match &first {
        Ok(e) if e.cause != "KEY_MISMATCH" && r.client_base_string.is_none() => e.client.clone(),
        _ => None,
    };
    let needs_keys = match &first {
        Ok(e) => e.cause == "KEY_MISMATCH" || rebuilt.is_some(),
        Err(_) => true,
    };
    if !needs_keys {
        return first;
    }
    let Ok(problem) = parse_problem(&r.response) else {
        return first;
    };
    let Some(server_bs) = problem.base_string.clone() else {
        return first;
    };
    // A "+" sent unencoded in the header's signature is read as a space by the server.
    let raw_plus = r.authorization.as_deref().is_some_and(|h| {
        h.split("oauth_signature=")
            .nth(1)
            .map(|v| v.trim_start_matches('"'))
            .map(|v| &v[..v.find(['"', ',']).unwrap_or(v.len())])
            .is_some_and(|v| v.contains('+'))
    });
    let echoed = problem
        .params
        .iter()
        .find(|(n, _)| n == "oauth_signature")
        .map(|(_, v)| v.as_str());
    let sent = params
        .iter()
        .find(|(n, _)| n == "oauth_signature")
        .map(|(_, v)| v.as_str());
    let echoed_differs =
        matches!((echoed, sent), (Some(e), Some(s)) if e != s && e.replace(' ', "+") == s);
    if echoed_differs || raw_plus {
        {
            return Ok(from_causes(
                "oauth",
                &[(
                    "SIGNATURE_PLUS_SPACE",
                    "the server received the signature with spaces where the client sent \"+\": \
                     the signature was not percent-encoded in the header or URL"
                        .into(),
                    "percent-encode oauth_signature (\"+\" as %2B) wherever it is sent".into(),
                )],
                None,
                Some(server_bs),
                Vec::new(),
            ));
        }
    }
    let signature = params
        .iter()
        .find(|(n, _)| n == "oauth_signature")
        .map(|(_, v)| v.clone())
        // The problem report echoes the signature the server received.
        .or_else(|| {
            problem
                .params
                .iter()
                .find(|(n, _)| n == "oauth_signature")
                .map(|(_, v)| v.clone())
        });
    let (Some(signature), Some(method)) = (
        signature,
        params
            .iter()
            .find(|(n, _)| n == "oauth_signature_method")
            .and_then(|(_, m)| SignatureMethod::from_name(m).ok()),
    ) else {
        return first;
    };
    let key = match method {
        SignatureMethod::RsaSha1 | SignatureMethod::RsaSha256 => {
            let text = held.public_key.as_deref().or(held.private_key.as_deref());
            match text.map(parse_rsa_key) {
                Some(Ok(k)) => HeldKey::Rsa(Box::new(k)),
                _ => return first,
            }
        }
        _ => match held.consumer_secret.as_deref() {
            Some(cs) if !cs.is_empty() => {
                HeldKey::Secrets(cs.to_owned(), held.token_secret.clone().unwrap_or_default())
            }
            _ => return first,
        },
    };
    let verifies = |bs: &str| {
        let k = match &key {
            HeldKey::Rsa(k) => SignatureKey::Rsa(k),
            HeldKey::Secrets(c, t) => SignatureKey::Secrets {
                consumer_secret: c,
                token_secret: t,
            },
        };
        verify_signature(method, bs, &k, &signature).unwrap_or(false)
    };
    if let Some(client_bs) = &rebuilt {
        if verifies(client_bs) {
            return first.map(verified);
        }
    }
    // The signature verifies over the server's own base string: the server holds another key.
    if verifies(&server_bs) {
        return Ok(verified(from_causes(
            "oauth",
            &[(
                "KEY_MISMATCH",
                "the signature verifies with the key you hold over the server's own base string: \
                 the server checks it with another key (the Application Link holds another \
                 public key, or another consumer has this consumer key)"
                    .into(),
                "paste the public key that belongs to your private key into the Application \
                 Link's Incoming Authentication, for this consumer key"
                    .into(),
            )],
            None,
            Some(server_bs),
            Vec::new(),
        )));
    }
    let mut tried = Vec::new();
    for (label, variant) in base_string_variants(&server_bs, sent_url) {
        tried.push(label.to_owned());
        if verifies(&variant) {
            let mut e = explain_oauth_base_strings(&variant, &server_bs)?;
            // The URL parser reads a decoded path's spaces back as %20, so the diff cannot see
            // it: the variant that verified names it.
            if label.contains("path decoded") && !e.causes.contains(&"PATH_DECODED") {
                e.causes.push("PATH_DECODED");
                e.summary.push_str(
                    "; and the client signed the path decoded (%20 as a space), where the server \
                     uses it as sent",
                );
                e.fix
                    .push_str("; and sign the path as sent, its percent-escapes kept");
            }
            e.tried = tried;
            return Ok(verified(e));
        }
    }
    match first {
        Ok(mut e) => {
            e.tried = tried;
            Ok(e)
        }
        Err(_) => Ok(Explanation {
            tried,
            ..from_causes(
                "oauth",
                &[(
                    "UNKNOWN",
                    "the received signature verifies over none of the base-string variants \
                     tried with the key given"
                        .into(),
                    "add the base string your client signed (most libraries can log it), or \
                     check that the key given is the one the client signs with"
                        .into(),
                )],
                None,
                Some(server_bs),
                Vec::new(),
            )
        }),
    }
}

/// The key the person holds, as the OAuth signature method needs it.
enum HeldKey {
    Rsa(Box<atlassian_sign::keys::RsaKey>),
    Secrets(String, String),
}

/// Client-side variants of the server's base string, each named: what a client gets wrong.
fn base_string_variants(server_bs: &str, sent_url: &str) -> Vec<(&'static str, String)> {
    let Ok(s) = split_base_string(server_bs) else {
        return Vec::new();
    };
    let decoded: Vec<(String, String)> = s
        .params
        .iter()
        .map(|(n, v)| {
            (
                percent_decode(n, false).unwrap_or_else(|| n.clone()),
                percent_decode(v, false).unwrap_or_else(|| v.clone()),
            )
        })
        .collect();
    let sent_query: Vec<(String, String)> = Url::parse(sent_url)
        .ok()
        .and_then(|u| u.query)
        .map(|q| atlassian_sign::encoding::parse_form(&q))
        .unwrap_or_default();
    let query_names: Vec<String> = sent_query.iter().map(|(n, _)| n.clone()).collect();
    let uri = |scheme: &str, port: Option<u16>| {
        let port = match port {
            Some(p) => format!(":{p}"),
            None => String::new(),
        };
        format!("{scheme}://{}{port}{}", s.host, s.path)
    };
    let compose = |method: &str, uri: &str, params: &[(String, String)]| {
        format!(
            "{}&{}&{}",
            method,
            percent_encode(uri),
            percent_encode(&normalize_parameters(params))
        )
    };
    let server_uri = uri(&s.scheme, s.port);
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let other_scheme = if s.scheme == "https" { "http" } else { "https" };
    out.push((
        "scheme",
        compose(&s.method, &uri(other_scheme, s.port), &decoded),
    ));
    if let Some(p) = default_port(&s.scheme) {
        out.push((
            "default port kept",
            compose(&s.method, &uri(&s.scheme, Some(p)), &decoded),
        ));
    }
    if let Some(p) = default_port(other_scheme) {
        out.push((
            "scheme and port",
            compose(&s.method, &uri(other_scheme, Some(p)), &decoded),
        ));
    }
    for m in ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"] {
        if m != s.method {
            out.push(("method", compose(m, &server_uri, &decoded)));
        }
    }
    let oauth_only: Vec<(String, String)> = decoded
        .iter()
        .filter(|(n, _)| n.starts_with("oauth_"))
        .cloned()
        .collect();
    out.push((
        "query left out",
        compose(&s.method, &server_uri, &oauth_only),
    ));
    let no_query: Vec<(String, String)> = decoded
        .iter()
        .filter(|(n, _)| n.starts_with("oauth_") || !query_names.contains(n))
        .cloned()
        .collect();
    out.push((
        "query left out, body kept",
        compose(&s.method, &server_uri, &no_query),
    ));
    // Form encoding (a space as "+") in the parameter string instead of RFC 3986's %20.
    out.push((
        "+ for space",
        format!(
            "{}&{}&{}",
            s.method,
            percent_encode(&server_uri),
            percent_encode(&normalize_parameters(&decoded).replace("%20", "+"))
        ),
    ));
    let double: Vec<(String, String)> = decoded
        .iter()
        .map(|(n, v)| {
            if n.starts_with("oauth_") {
                (n.clone(), v.clone())
            } else {
                (percent_encode(n), percent_encode(v))
            }
        })
        .collect();
    out.push(("encoded twice", compose(&s.method, &server_uri, &double)));
    // A "+" in the query (a space in form encoding) signed as a literal plus, and the reverse.
    let plus_kept: Vec<(String, String)> = decoded
        .iter()
        .map(|(n, v)| (n.clone(), v.replace(' ', "+")))
        .collect();
    out.push(("+ kept", compose(&s.method, &server_uri, &plus_kept)));
    let plus_as_space: Vec<(String, String)> = decoded
        .iter()
        .map(|(n, v)| (n.clone(), v.replace('+', " ")))
        .collect();
    out.push((
        "+ read as a space",
        compose(&s.method, &server_uri, &plus_as_space),
    ));
    // The URI as a client gets it wrong: port dropped, path decoded, a path prefix (context or
    // base path) dropped, alone and together.
    let mut paths: Vec<(&'static str, String)> = vec![("", s.path.clone())];
    if let Some(p) = percent_decode(&s.path, false).filter(|p| *p != s.path) {
        paths.push(("path decoded", p));
    }
    let segments: Vec<&str> = s.path.split('/').filter(|x| !x.is_empty()).collect();
    for cut in 1..segments.len().min(3) {
        paths.push((
            "path prefix dropped",
            format!("/{}", segments[cut..].join("/")),
        ));
    }
    // Only the origin signed (a client that signs the base URL it was configured with).
    if !segments.is_empty() {
        paths.push(("path dropped", String::new()));
    }
    let ports: Vec<(&'static str, Option<u16>)> = match s.port {
        Some(p) => vec![("", Some(p)), ("port dropped", None)],
        None => vec![("", None)],
    };
    for (pl, port) in &ports {
        for (tl, path) in &paths {
            if pl.is_empty() && tl.is_empty() {
                continue;
            }
            let u = format!(
                "{}://{}{}{}",
                s.scheme,
                s.host,
                port.map(|p| format!(":{p}")).unwrap_or_default(),
                path
            );
            let label = match (*pl, *tl) {
                ("", t) => t,
                (p, "") => p,
                (_, "path decoded") => "port dropped, path decoded",
                (_, "path dropped") => "port dropped, path dropped",
                _ => "port dropped, path prefix dropped",
            };
            out.push((label, compose(&s.method, &u, &decoded)));
        }
    }
    // Two mistakes at once: another method with another scheme or port.
    for m in ["GET", "POST", "PUT", "DELETE"] {
        if m == s.method {
            continue;
        }
        out.push((
            "method and scheme",
            compose(m, &uri(other_scheme, s.port), &decoded),
        ));
        if s.port.is_some() {
            out.push((
                "method and port",
                compose(m, &uri(&s.scheme, None), &decoded),
            ));
        }
    }
    // Repeated parameters renamed name[0], name[1], ... or collapsed to one value.
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (n, _) in &decoded {
        match counts.iter_mut().find(|(m, _)| m == n) {
            Some(c) => c.1 += 1,
            None => counts.push((n.clone(), 1)),
        }
    }
    if counts.iter().any(|(_, c)| *c > 1) {
        let repeated = |n: &str| counts.iter().any(|(m, c)| m == n && *c > 1);
        let mut seen: Vec<(String, usize)> = Vec::new();
        // Indexes in the server's (sorted) order, and in the order the values were sent.
        let mut taken = vec![false; sent_query.len()];
        let (mut sorted_order, mut sent_order) = (Vec::new(), Vec::new());
        for (n, v) in &decoded {
            if !repeated(n) {
                sorted_order.push((n.clone(), v.clone()));
                sent_order.push((n.clone(), v.clone()));
                continue;
            }
            let i = match seen.iter_mut().find(|(m, _)| m == n) {
                Some(e) => {
                    e.1 += 1;
                    e.1
                }
                None => {
                    seen.push((n.clone(), 0));
                    0
                }
            };
            sorted_order.push((format!("{n}[{i}]"), v.clone()));
            let at = (0..sent_query.len())
                .find(|&k| !taken[k] && sent_query[k].0 == *n && sent_query[k].1 == *v);
            let j = match at {
                Some(k) => {
                    taken[k] = true;
                    sent_query[..k].iter().filter(|(m, _)| m == n).count()
                }
                None => i,
            };
            sent_order.push((format!("{n}[{j}]"), v.clone()));
        }
        for renamed in [sorted_order, sent_order] {
            out.push((
                "repeated renamed",
                compose(&s.method, &server_uri, &renamed),
            ));
        }
        for keep_last in [false, true] {
            let mut collapsed: Vec<(String, String)> = Vec::new();
            for (n, v) in &decoded {
                match collapsed.iter_mut().find(|(m, _)| m == n) {
                    Some(e) if keep_last => e.1 = v.clone(),
                    Some(_) => {}
                    None => collapsed.push((n.clone(), v.clone())),
                }
            }
            out.push((
                "repeated collapsed",
                compose(&s.method, &server_uri, &collapsed),
            ));
        }
    }
    // The reverse: `a[0]`, `a[1]` sent (a client library's array form), plain `a` signed.
    let strip_index = |n: &str| -> Option<String> {
        let (base, rest) = n.split_once('[')?;
        let digits = rest.strip_suffix(']')?;
        (!base.is_empty() && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| base.to_owned())
    };
    if decoded.iter().any(|(n, _)| strip_index(n).is_some()) {
        let plain: Vec<(String, String)> = decoded
            .iter()
            .map(|(n, v)| (strip_index(n).unwrap_or_else(|| n.clone()), v.clone()))
            .collect();
        out.push(("repeated renamed", compose(&s.method, &server_uri, &plain)));
    }
    // Sorted before encoding: the order of the raw names and values, then encoded.
    let mut raw_sorted = decoded.clone();
    raw_sorted.sort();
    let sorted_text: String = raw_sorted
        .iter()
        .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    out.push((
        "sorted before encoding",
        format!(
            "{}&{}&{}",
            s.method,
            percent_encode(&server_uri),
            percent_encode(&sorted_text)
        ),
    ));
    // A raw (unencoded) parameter string: one encoding layer missing.
    let raw: String = decoded
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    out.push((
        "encoding layer missing",
        format!(
            "{}&{}&{}",
            s.method,
            percent_encode(&server_uri),
            percent_encode(&raw)
        ),
    ));
    out
}

/// An explanation whose cause a signature check with the key given confirmed.
fn verified(mut e: Explanation) -> Explanation {
    e.verified = true;
    e
}
