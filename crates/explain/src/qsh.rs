//! Connect qsh mismatches: searches plausible variants of the request (method, base path,
//! context path, path and query encodings, body parameters) for the hashes the two sides
//! computed.

use super::{Explanation, PartDiff};
use atlassian_sign::encoding::{
    parse_form_with_skipped, percent_decode, percent_encode, percent_encode_into,
};
use atlassian_sign::error::{Error, Result};
use atlassian_sign::qsh::{
    hash_canonical, push_canonical_query, push_canonical_uri, strip_base_path, PathForm,
};
use atlassian_sign::request::{normalize_method, Url};

/// What `explain_qsh` needs.
#[derive(Debug, Clone, Default)]
pub struct QshProblem {
    /// The qsh the server expected (from `Expecting claim 'qsh' to have value 'X'`).
    pub expected: Option<String>,
    /// The qsh the client's token carried (`... but instead it has the value 'Y'`, or the token).
    pub actual: Option<String>,
    /// The request method sent.
    pub method: String,
    /// The URL sent.
    pub url: String,
    /// The base URL of the product (or app).
    pub base_url: Option<String>,
    /// Form body parameters sent, if any.
    pub body: Option<Vec<(String, String)>>,
}

/// Reads `Expecting claim 'qsh' to have value 'X' but instead it has the value 'Y'`
/// (and the variants servers and libraries print) into (expected, actual).
pub fn parse_qsh_message(text: &str) -> (Option<String>, Option<String>) {
    let hexes: Vec<String> = text
        .split(|c: char| !c.is_ascii_hexdigit())
        .filter(|w| w.len() == 64)
        .map(str::to_ascii_lowercase)
        .collect();
    let lower = text.to_ascii_lowercase();
    let expected_first = match (
        lower.find("expect"),
        lower.find("instead").or_else(|| lower.find("actual")),
    ) {
        (Some(e), Some(a)) => e < a,
        _ => true,
    };
    match hexes.as_slice() {
        [] => (None, None),
        [one] => (Some(one.clone()), None),
        [a, b, ..] if expected_first => (Some(a.clone()), Some(b.clone())),
        [a, b, ..] => (Some(b.clone()), Some(a.clone())),
    }
}

struct Variant {
    labels: Vec<&'static str>,
    cost: u32,
    canonical: String,
}

struct PathVariant {
    label: &'static str,
    uri: String,
}

struct QueryVariant {
    label: &'static str,
    query: String,
}

fn canonical_uri(path: &str, base: &str, form: PathForm) -> String {
    let mut s = String::new();
    push_canonical_uri(path, base, form, &mut s);
    s
}

fn canonical_query(params: Vec<(String, String)>) -> String {
    let mut s = String::new();
    push_canonical_query(&params, &mut s);
    s
}

const KNOWN_CONTEXT_PATHS: [&str; 6] = [
    "/wiki",
    "/jira",
    "/confluence",
    "/connect",
    "/bitbucket",
    "/rest",
];

fn path_variants(path: &str, base: &str) -> Vec<PathVariant> {
    let mut v = vec![PathVariant {
        label: "",
        uri: canonical_uri(path, base, PathForm::Wire),
    }];
    let mut add = |label: &'static str, uri: String| {
        if !v.iter().any(|p| p.uri == uri) {
            v.push(PathVariant { label, uri });
        }
    };
    add("decoded-path", canonical_uri(path, base, PathForm::Decoded));
    if !base.is_empty() {
        add(
            "base-path-not-stripped",
            canonical_uri(path, "", PathForm::Wire),
        );
    }
    let relative = strip_base_path(path, base);
    for cp in KNOWN_CONTEXT_PATHS {
        if strip_base_path(relative, cp) != relative {
            add(
                "base-path-stripped-twice",
                canonical_uri(relative, cp, PathForm::Wire),
            );
        }
    }
    // A path cut too far (a router-local path) or a prefix missing on one side.
    let segs: Vec<&str> = relative.split('/').filter(|s| !s.is_empty()).collect();
    for k in 1..segs.len().min(4) {
        let cut = format!("/{}", segs[k..].join("/"));
        add("path-cut", canonical_uri(&cut, "", PathForm::Wire));
    }
    // The path's end left out (a resource path built from a collection's URL).
    for k in 1..segs.len().min(4) {
        let cut = format!("/{}", segs[..segs.len() - k].join("/"));
        add("path-end-cut", canonical_uri(&cut, "", PathForm::Wire));
    }
    if relative.len() > 1 && relative.ends_with('/') {
        let mut s = String::new();
        s.push_str(&relative.replace('&', "%26"));
        add("trailing-slash-kept", s);
    }
    if relative.contains('&') {
        let u = canonical_uri(path, base, PathForm::Wire).replace("%26", "&");
        add("ampersand-not-encoded", u);
    }
    if relative.contains('%') {
        // A proxy that decodes and re-encodes the path (Apache ProxyPass without nocanon).
        let decoded = percent_decode(relative, false).unwrap_or_else(|| relative.to_owned());
        let reencoded: String = decoded
            .split('/')
            .map(|seg| {
                let mut s = String::new();
                for c in seg.chars() {
                    if c.is_ascii()
                        && (c.is_ascii_alphanumeric() || "-._~!$'()*+,;=:@&".contains(c))
                    {
                        s.push(c);
                    } else {
                        let mut buf = [0u8; 4];
                        percent_encode_into(c.encode_utf8(&mut buf), &mut s);
                    }
                }
                s
            })
            .collect::<Vec<_>>()
            .join("/");
        add(
            "path-reencoded",
            canonical_uri(&reencoded, "", PathForm::Wire),
        );
        add(
            "path-hex-case",
            canonical_uri(&hex_upper(relative), "", PathForm::Wire),
        );
    }
    v
}

fn hex_upper(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push('%');
            out.push((b[i + 1] as char).to_ascii_uppercase());
            out.push((b[i + 2] as char).to_ascii_uppercase());
            i += 3;
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

fn raw_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|seg| match seg.split_once('=') {
            Some((n, v)) => (n.to_owned(), v.to_owned()),
            None => (seg.to_owned(), String::new()),
        })
        .collect()
}

fn query_variants(
    query: &str,
    method: &str,
    body: Option<&Vec<(String, String)>>,
) -> Vec<QueryVariant> {
    let (params, _) = parse_form_with_skipped(query);
    let body_applies = params.is_empty() && (method == "POST" || method == "PUT");
    let correct_params = match (body_applies, body) {
        (true, Some(b)) => b.clone(),
        _ => params.clone(),
    };
    let mut v = vec![QueryVariant {
        label: "",
        query: canonical_query(correct_params.clone()),
    }];
    let mut add = |label: &'static str, q: String| {
        if !v.iter().any(|x| x.query == q) {
            v.push(QueryVariant { label, query: q });
        }
    };
    if let Some(b) = body {
        if body_applies {
            add("body-not-used", canonical_query(params.clone()));
        } else {
            add("body-used", canonical_query(b.clone()));
            let mut both = params.clone();
            both.extend(b.iter().cloned());
            add("body-used", canonical_query(both));
        }
    }
    add("query-dropped", String::new());
    let raw = raw_pairs(query);
    // `+` hashed as a literal plus (not decoded to a space).
    let plus: Vec<(String, String)> = raw
        .iter()
        .filter_map(|(n, v)| Some((percent_decode(n, false)?, percent_decode(v, false)?)))
        .collect();
    add("plus-as-plus", canonical_query(plus));
    // Spaces hashed as `+` (form encoding: Python's urlencode, Java's URLEncoder); a literal
    // plus is %2B either way, so the swap is exact.
    add(
        "plus-for-space",
        canonical_query(correct_params.clone()).replace("%20", "+"),
    );
    // The query decoded as ISO-8859-1 instead of UTF-8 (Tomcat's URIEncoding), then hashed.
    if correct_params.iter().any(|(_, v)| !v.is_ascii()) {
        let misread = correct_params
            .iter()
            .map(|(n, v)| (super::latin1_misread(n), super::latin1_misread(v)))
            .collect();
        add("query-latin1", canonical_query(misread));
    }
    // atlassian-jwt's order: groups sorted by decoded name.
    add("decoded-name-order", decoded_name_order(&correct_params));
    // Repeated names not merged, or merged in the order sent.
    add("repeated-not-merged", not_merged(&correct_params));
    add("repeated-unsorted", merged_unsorted(&correct_params));
    // Values taken as they were written (percent-escapes encoded again: %2520).
    add("double-encoded", canonical_query(raw.clone()));
    // Values hashed without encoding (the raw query sorted).
    let mut unencoded = raw.clone();
    unencoded.retain(|(n, _)| n != "jwt");
    atlassian_sign::sort::sort_by(&mut unencoded, |a, b| a.cmp(b));
    add(
        "not-encoded",
        unencoded
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("&"),
    );
    // The jwt parameter hashed too.
    let mut with_jwt = correct_params.clone();
    for (n, val) in &params {
        if n == "jwt" {
            with_jwt.push(("jwt_".into(), val.clone()));
        }
    }
    if with_jwt.len() != correct_params.len() {
        let mut s = canonical_query(with_jwt);
        s = s.replace("jwt_=", "jwt=");
        add("jwt-included", s);
    }
    v
}

fn groups(params: &[(String, String)], sort_values: bool) -> Vec<(String, Vec<String>)> {
    let mut g: Vec<(String, Vec<String>)> = Vec::new();
    for (n, v) in params.iter().filter(|(n, _)| n != "jwt") {
        match g.iter_mut().find(|(x, _)| x == n) {
            Some((_, vals)) => vals.push(v.clone()),
            None => g.push((n.clone(), vec![v.clone()])),
        }
    }
    if sort_values {
        for (_, vals) in g.iter_mut() {
            atlassian_sign::sort::sort_by(vals, |a, b| a.encode_utf16().cmp(b.encode_utf16()));
        }
    }
    g
}

fn join_groups(g: &[(String, Vec<String>)]) -> String {
    g.iter()
        .map(|(n, vals)| {
            format!(
                "{}={}",
                percent_encode(n),
                vals.iter()
                    .map(|v| percent_encode(v))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn decoded_name_order(params: &[(String, String)]) -> String {
    let mut g = groups(params, true);
    atlassian_sign::sort::sort_by(&mut g, |a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    join_groups(&g)
}

fn merged_unsorted(params: &[(String, String)]) -> String {
    let mut g = groups(params, false);
    atlassian_sign::sort::sort_by(&mut g, |a, b| {
        percent_encode(&a.0).cmp(&percent_encode(&b.0))
    });
    join_groups(&g)
}

fn not_merged(params: &[(String, String)]) -> String {
    let mut p: Vec<(String, String)> = params
        .iter()
        .filter(|(n, _)| n != "jwt")
        .map(|(n, v)| (percent_encode(n), percent_encode(v)))
        .collect();
    atlassian_sign::sort::sort_by(&mut p, |a, b| a.cmp(b));
    p.iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

fn qsh_cause(label: &str, base: &str) -> (&'static str, String, String) {
    match label {
        "base-path-not-stripped" => (
            "BASE_PATH_NOT_STRIPPED",
            format!("the path was hashed with the base URL's context path {base:?} still in it"),
            format!("hash the path relative to the base URL: remove {base:?} (pass baseUrl)"),
        ),
        "base-path-stripped-twice" => (
            "CONTEXT_PATH_STRIPPED",
            "a context path (/wiki, /connect, ...) was removed on one side and kept on the other".into(),
            "use the product's real base URL (Confluence Cloud: https://<site>.atlassian.net/wiki; Zephyr: .../connect) and strip exactly its path".into(),
        ),
        "decoded-path" => (
            "PATH_DECODED",
            "the path was hashed percent-decoded on one side and as sent on the other".into(),
            "an app calling a product hashes the path as sent on the wire; a product signing a request to an app hashes the decoded path: use pathForm accordingly".into(),
        ),
        "path-cut" => (
            "PATH_CUT",
            "part of the path is missing on one side (a router-local path such as Express req.path under a mounted router, or /rest/api/latest left out)".into(),
            "hash the full path the client sends (Express: req.originalUrl, not req.path) minus only the base URL's path".into(),
        ),
        "path-end-cut" => (
            "PATH_CUT",
            "the end of the path is missing on one side: the hash was made for a shorter path than the one sent (the collection's URL, before the resource's segments were added)".into(),
            "hash the exact path you send, with every segment, after the parameters are filled in".into(),
        ),
        "trailing-slash-kept" => (
            "TRAILING_SLASH",
            "a trailing \"/\" was kept on one side; the canonical path drops one trailing slash".into(),
            "remove one trailing \"/\" from the path before hashing".into(),
        ),
        "ampersand-not-encoded" => (
            "PATH_AMPERSAND",
            "an \"&\" in the path was hashed raw; servers hash it as %26".into(),
            "replace \"&\" in the canonical path with %26".into(),
        ),
        "path-reencoded" | "path-hex-case" => (
            "PATH_REENCODED",
            "the path's percent-escapes differ between the two sides: something re-encoded the path (a proxy such as Apache ProxyPass without nocanon, or a client library)".into(),
            "send and hash the path byte for byte the same; on Apache add nocanon to ProxyPass (and AllowEncodedSlashes NoDecode)".into(),
        ),
        "query-dropped" => (
            "QUERY_NOT_HASHED",
            "the query parameters were left out of the hash on one side".into(),
            "hash every query parameter you send (except jwt), or send the request without them".into(),
        ),
        "body-used" => (
            "BODY_HASHED",
            "form body parameters were hashed, but the server hashes the body only for POST/PUT without query parameters".into(),
            "leave the body out of the qsh when the URL has a query, for GET/DELETE, and for JSON bodies".into(),
        ),
        "body-not-used" => (
            "BODY_NOT_HASHED",
            "the form body parameters were not hashed, but the server counts them (POST/PUT, form-encoded, no query)".into(),
            "include the form body parameters in the qsh (createQsh(method, url, { body }))".into(),
        ),
        "plus-as-plus" => (
            "PLUS_NOT_SPACE",
            "a \"+\" in the query was hashed as a literal plus (%2B); the server decodes it as a space (%20)".into(),
            "send a literal plus as %2B and a space as %20 or +, and decode + as a space before hashing".into(),
        ),
        "query-latin1" => (
            "QUERY_CHARSET",
            "the query was decoded as ISO-8859-1 instead of UTF-8 on one side, so its non-ASCII characters were hashed as other characters (é as Ã©)".into(),
            "decode URLs as UTF-8 (Tomcat: URIEncoding=\"UTF-8\" on the connector, useBodyEncodingForURI=\"false\"), and percent-encode non-ASCII as UTF-8".into(),
        ),
        "plus-for-space" => (
            "PLUS_FOR_SPACE",
            "a space in the query was hashed as \"+\" (form encoding, as Python's urlencode and Java's URLEncoder write it); the canonical query encodes it as %20".into(),
            "percent-encode names and values with RFC 3986 (%20 for a space), or use a Connect JWT library that does (urllib.parse.quote, not urlencode)".into(),
        ),
        "double-encoded" => (
            "DOUBLE_ENCODED",
            "query values were encoded again without being decoded first (%20 became %2520)".into(),
            "decode the query before canonicalising it, so each value is encoded exactly once".into(),
        ),
        "not-encoded" => (
            "NOT_ENCODED",
            "query values were hashed as written instead of decoded and re-encoded".into(),
            "decode each name and value, then percent-encode it (RFC 3986, uppercase hex, %20 for space)".into(),
        ),
        "decoded-name-order" => (
            "PARAMETER_ORDER",
            "the query parameters were sorted by their decoded names (npm atlassian-jwt's order); servers sort by the encoded names".into(),
            "sort parameters by their percent-encoded names (atlassian-sign does; atlassian-jwt 2.0.3 does not for names such as é or a[b])".into(),
        ),
        "repeated-not-merged" => (
            "REPEATED_NOT_MERGED",
            "a repeated parameter was hashed once per occurrence; servers merge the values into one entry joined by \",\"".into(),
            "merge repeated names: a=1&a=2 becomes a=1,2".into(),
        ),
        "repeated-unsorted" => (
            "REPEATED_UNSORTED",
            "a repeated parameter's values were joined in the order sent; servers sort them".into(),
            "sort the values of a repeated parameter before joining them with \",\"".into(),
        ),
        "jwt-included" => (
            "JWT_PARAM_HASHED",
            "the jwt query parameter itself was hashed".into(),
            "leave the jwt parameter out of the canonical query".into(),
        ),
        _ => ("UNKNOWN", String::new(), String::new()),
    }
}

fn method_cause(client: &str, server: &str) -> (&'static str, String, String) {
    (
        "WRONG_METHOD",
        format!("the token was signed for {client} but the request was sent as {server}"),
        format!("sign the method you send ({server}), or send {client}"),
    )
}

/// Explains a qsh mismatch: searches plausible variants of the request for the hash the server
/// expected and the one the token carried.
pub fn explain_qsh(p: &QshProblem) -> Result<Explanation> {
    let method = normalize_method(&p.method)?;
    let url = Url::parse(&p.url)?;
    let base = match &p.base_url {
        Some(b) if !b.is_empty() => Url::parse(b)?.base_path().to_owned(),
        _ => String::new(),
    };
    let query = url.query.clone().unwrap_or_default();
    let paths = path_variants(&url.path, &base);
    let queries = query_variants(&query, &method, p.body.as_ref());
    let mut variants = Vec::new();
    for m in METHODS
        .iter()
        .copied()
        .chain(std::iter::once(method.as_str()))
    {
        let m_cost = u32::from(m != method);
        for pv in &paths {
            for qv in &queries {
                let mut labels = Vec::new();
                if m != method {
                    labels.push("method");
                }
                if !pv.label.is_empty() {
                    labels.push(pv.label);
                }
                if !qv.label.is_empty() {
                    labels.push(qv.label);
                }
                let cost =
                    m_cost + u32::from(!pv.label.is_empty()) + u32::from(!qv.label.is_empty());
                variants.push(Variant {
                    labels,
                    cost,
                    canonical: format!("{m}&{}&{}", pv.uri, qv.query),
                });
            }
        }
    }
    let correct = format!("{method}&{}&{}", paths[0].uri, queries[0].query);
    let correct_hash = hash_canonical(&correct);
    let find = |target: &str| -> Option<&Variant> {
        variants
            .iter()
            .filter(|v| hash_canonical(&v.canonical) == target)
            .min_by_key(|v| v.cost)
    };
    let tried: Vec<String> = {
        let mut t: Vec<String> = paths
            .iter()
            .filter(|p| !p.label.is_empty())
            .map(|p| p.label.to_string())
            .collect();
        t.extend(
            queries
                .iter()
                .filter(|q| !q.label.is_empty())
                .map(|q| q.label.to_string()),
        );
        t.push(format!("methods {}", METHODS.join(", ")));
        t
    };
    let expected = p.expected.as_deref().map(str::to_ascii_lowercase);
    let actual = p.actual.as_deref().map(str::to_ascii_lowercase);
    if expected.is_none() && actual.is_none() {
        return Err(Error::InvalidInput(
            "no qsh to explain: neither a server message with a 64-hex-digit hash (Expecting claim 'qsh' to have value '<hash>' ...) nor a token was found; paste the whole message, or the token".into(),
        ));
    }
    if expected.is_some() && expected == actual {
        return Ok(Explanation {
            scheme: "qsh",
            cause: "QSH_MATCHES",
            causes: vec!["QSH_MATCHES"],
            summary: "the expected and actual qsh are the same; the refusal has another reason (signature, expiry, issuer)".into(),
            fix: "check the shared secret, iss (the app key), and the token's exp".into(),
            client: None,
            server: None,
            diff: Vec::new(),
            tried: Vec::new(),
            verified: false,
        });
    }
    // Which side is "the request as sent, canonicalised correctly"?
    let (side, target, other) = match (&expected, &actual) {
        (Some(e), Some(a)) if *e == correct_hash => ("client", a.clone(), Some(e.clone())),
        (Some(e), Some(a)) if *a == correct_hash => ("server", e.clone(), Some(a.clone())),
        (Some(e), None) if *e == correct_hash => {
            return Ok(Explanation {
                scheme: "qsh",
                cause: "TOKEN_FOR_ANOTHER_REQUEST",
                causes: vec!["TOKEN_FOR_ANOTHER_REQUEST"],
                summary: "the server's expected qsh is the correct hash of this request, so the token was made for another request (reused from an iframe URL, or made before a redirect)".into(),
                fix: "make a new token for each request, with its exact method, path and query".into(),
                client: None,
                server: Some(correct),
                diff: Vec::new(),
                tried,
                verified: false,
            })
        }
        (Some(e), _) => ("server", e.clone(), actual.clone()),
        (None, Some(a)) => ("client", a.clone(), None),
        (None, None) => return Err(Error::InvalidInput("no hash to explain".into())),
    };
    let Some(found) = find(&target) else {
        let other_found = other.as_deref().and_then(find);
        return Ok(Explanation {
            scheme: "qsh",
            cause: "UNKNOWN",
            causes: vec!["UNKNOWN"],
            summary: format!(
                "no variant of this request hashes to {target}; the {side} hashed a request that differs in more than the usual ways{}",
                if other_found.is_some() { "" } else { " (neither hash matches a variant)" }
            ),
            fix: "compare the canonical request with the exact method, path and query sent; check the base URL and any proxy in between".into(),
            client: Some(correct.clone()),
            server: None,
            diff: Vec::new(),
            tried,
            verified: false,
        });
    };
    if found.labels.is_empty() {
        // Only the token's hash was given, and it is this request's: the qsh holds.
        return Ok(Explanation {
            scheme: "qsh",
            cause: "QSH_MATCHES",
            causes: vec!["QSH_MATCHES"],
            summary: "the token's qsh is the hash of this request; the refusal has another reason (signature, expiry, issuer, or the route's token type)".into(),
            fix: "check the shared secret, iss, exp, and whether the route expects a context token".into(),
            client: Some(correct.clone()),
            server: Some(correct),
            diff: Vec::new(),
            tried,
            verified: true,
        });
    }
    let mut causes: Vec<&'static str> = Vec::new();
    let mut summaries = Vec::new();
    let mut fixes = Vec::new();
    let found_method = found
        .canonical
        .split('&')
        .next()
        .unwrap_or_default()
        .to_owned();
    for label in &found.labels {
        let (code, summary, fix) = if *label == "method" {
            if side == "client" {
                method_cause(&found_method, &method)
            } else {
                method_cause(&method, &found_method)
            }
        } else if *label == "decoded-path" && side == "server" {
            // The product hashes the wire path; a decoded one means something in between
            // rewrote the path before it arrived.
            qsh_cause("path-reencoded", &base)
        } else {
            qsh_cause(label, &base)
        };
        causes.push(code);
        summaries.push(summary);
        fixes.push(fix);
    }
    if causes.is_empty() {
        causes.push("UNKNOWN");
    }
    let (client, server) = if side == "client" {
        (found.canonical.clone(), correct.clone())
    } else {
        (correct.clone(), found.canonical.clone())
    };
    let diff = diff_canonical(&client, &server);
    let prefix = if side == "server" {
        "the server hashed a request that differs from the one you describe: "
    } else {
        ""
    };
    Ok(Explanation {
        scheme: "qsh",
        cause: causes[0],
        causes,
        summary: format!("{prefix}{}", summaries.join("; and ")),
        fix: fixes.join("; and "),
        client: Some(client),
        server: Some(server),
        diff,
        tried,
        verified: true,
    })
}

fn diff_canonical(client: &str, server: &str) -> Vec<PartDiff> {
    let c: Vec<&str> = client.splitn(3, '&').collect();
    let s: Vec<&str> = server.splitn(3, '&').collect();
    let mut out = Vec::new();
    for (i, part) in ["method", "path", "query"].iter().enumerate() {
        let a = c.get(i).copied().unwrap_or_default();
        let b = s.get(i).copied().unwrap_or_default();
        if a != b {
            out.push(PartDiff::new(*part, a, b));
        }
    }
    out
}
