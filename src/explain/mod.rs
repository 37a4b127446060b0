//! Explanations of refused requests: which part of the request differs from what the server
//! signed, and what to change. Covers the Connect qsh (`Expecting claim 'qsh' to have value
//! ...`), OAuth 1.0a `signature_invalid` (the echoed `oauth_signature_base_string`) and
//! trusted applications `BAD_SIGNATURE` (the URL the server rebuilt).
//!
//! The causes are the failure lists of the specs (QSH.md, OAUTH1.md, OTHER-SCHEMES.md).

use crate::error::{Error, Result};
use crate::primitives::encoding::{
    parse_form_with_skipped, percent_decode, percent_encode, percent_encode_into,
};
use crate::primitives::url::{normalize_method, truncate, Url};
use crate::protocols::qsh::{
    hash_canonical, push_canonical_query, push_canonical_uri, strip_base_path, PathForm,
};

/// One part of a request as each side saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartDiff {
    /// `method`, `scheme`, `host`, `port`, `path`, `query`, or `param <name>`.
    pub part: String,
    /// What the client signed.
    pub client: String,
    /// What the server computed.
    pub server: String,
}

impl PartDiff {
    fn new(
        part: impl Into<String>,
        client: impl Into<String>,
        server: impl Into<String>,
    ) -> PartDiff {
        PartDiff {
            part: part.into(),
            client: client.into(),
            server: server.into(),
        }
    }
}

/// The result of an explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// `qsh`, `oauth` or `trusted-apps`.
    pub scheme: &'static str,
    /// A stable cause code (`BASE_PATH_NOT_STRIPPED`, `PROXY_SCHEME`, ...); `UNKNOWN` when no
    /// rule matched.
    pub cause: &'static str,
    /// Every cause found when more than one mistake was made at once (the first is `cause`).
    pub causes: Vec<&'static str>,
    /// One sentence: what happened.
    pub summary: String,
    /// One sentence: what to change.
    pub fix: String,
    /// What the client signed (canonical request, base string or URL), when known.
    pub client: Option<String>,
    /// What the server computed, when known.
    pub server: Option<String>,
    /// The parts that differ.
    pub diff: Vec<PartDiff>,
    /// The variants that were tried (qsh), for when nothing matched.
    pub tried: Vec<String>,
}

// ----------------------------------------------------------------------------------------
// qsh
// ----------------------------------------------------------------------------------------

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
    push_canonical_query(params, &mut s);
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
    crate::primitives::sort::sort_by(&mut unencoded, |a, b| a.cmp(b));
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
            crate::primitives::sort::sort_by(vals, |a, b| a.encode_utf16().cmp(b.encode_utf16()));
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
    crate::primitives::sort::sort_by(&mut g, |a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    join_groups(&g)
}

fn merged_unsorted(params: &[(String, String)]) -> String {
    let mut g = groups(params, false);
    crate::primitives::sort::sort_by(&mut g, |a, b| {
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
    crate::primitives::sort::sort_by(&mut p, |a, b| a.cmp(b));
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
            "give the server's message (Expecting claim 'qsh' to have value ...) or the token, so there is a hash to explain".into(),
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
        });
    };
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

// ----------------------------------------------------------------------------------------
// OAuth 1.0a
// ----------------------------------------------------------------------------------------

struct BaseParts {
    method: String,
    scheme: String,
    host: String,
    port: Option<u16>,
    path: String,
    params: Vec<(String, String)>,
}

fn split_base_string(bs: &str) -> Result<BaseParts> {
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

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
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
        } else if c.scheme == s.scheme {
            causes.push((
                "PROXY_PORT",
                format!("the client signed port {} but the server sees port {}", show(cp), show(sp)),
                "set proxyPort on the Tomcat connector to the public port, make the proxy keep the port in the Host header, or sign the URL the server sees".into(),
            ));
        }
    }
    if c.path != s.path {
        diff.push(PartDiff::new("path", c.path.clone(), s.path.clone()));
        let cause = if s.path.ends_with(c.path.as_str()) || c.path.ends_with(s.path.as_str()) {
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

// ----------------------------------------------------------------------------------------
// Trusted applications
// ----------------------------------------------------------------------------------------

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
            crate::primitives::json::string_array(p).unwrap_or_else(|| vec![p.to_owned()])
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
    let e = parse_trusted_apps_error(header)?;
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

/// An explanation from the causes found, in order: (code, summary, fix).
fn from_causes(
    scheme: &'static str,
    causes: &[(&'static str, String, String)],
    client: Option<String>,
    server: Option<String>,
    diff: Vec<PartDiff>,
) -> Explanation {
    let join = |pick: fn(&(&'static str, String, String)) -> String| {
        causes.iter().map(pick).collect::<Vec<_>>().join("; and ")
    };
    let codes: Vec<&'static str> = causes.iter().map(|c| c.0).collect();
    Explanation {
        scheme,
        cause: codes.first().copied().unwrap_or("UNKNOWN"),
        causes: codes,
        summary: join(|c| c.1.clone()),
        fix: join(|c| c.2.clone()),
        client,
        server,
        diff,
        tried: Vec::new(),
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
    let problem = crate::protocols::oauth1::parse_problem(&r.response)?;
    let oauth_params = match &r.authorization {
        Some(h) if !h.trim().is_empty() => crate::protocols::oauth1::parse_authorization_header(h)?,
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
            crate::protocols::oauth1::base_string(&r.method, &url, &r.body, &oauth_params)?
        }
    };
    explain_oauth_base_strings(&client_bs, &server_bs)
}
