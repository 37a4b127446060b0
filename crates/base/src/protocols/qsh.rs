//! Connect query string hash (Atlassian "Understanding JWT for Connect apps", "Query string
//! hash"; `com.atlassian.jwt.core.HttpRequestCanonicalizer`).
//!
//! `qsh = hex(SHA-256(METHOD "&" URI "&" QUERY))`, with the URI and QUERY canonicalised as
//! `docs/spec/QSH.md` describes.

use std::cell::RefCell;

use crate::error::Result;
use crate::primitives::encoding::{
    escapes_are_valid, form_decode, form_pairs, hex_lower, percent_decode, percent_encode_into,
    reencode_form_into,
};
use crate::primitives::url::{normalize_method, Url};

/// Which form of the path to hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathForm {
    /// The path as sent on the wire (what a product computes for an app's REST call).
    #[default]
    Wire,
    /// The percent-decoded path (`java.net.URI.getPath()`: what a product computes when it
    /// signs a request to an app, such as an iframe URL or a webhook).
    Decoded,
}

/// Options for [`canonical_request`] and [`qsh`].
#[derive(Debug, Clone, Default)]
pub struct QshOptions {
    /// The base URL whose path (context path) is removed from the request path.
    pub base_url: Option<String>,
    /// Form body parameters, used for POST and PUT when the URL has no query parameters.
    pub body: Option<Vec<(String, String)>>,
    /// Which form of the path to hash.
    pub path_form: PathForm,
}

/// The canonical request string `METHOD&URI&QUERY`.
pub fn canonical_request(method: &str, url: &str, options: &QshOptions) -> Result<String> {
    let method = normalize_method(method)?;
    let url = Url::parse(url)?;
    let base_path = match &options.base_url {
        Some(b) if !b.is_empty() => base_path_of(b)?,
        _ => String::new(),
    };
    // Room for the path and the query with a few escapes, so the string rarely grows.
    let query_len = url.query.as_ref().map_or(0, String::len);
    let mut out = String::with_capacity(method.len() + url.path.len() + query_len * 5 / 4 + 16);
    out.push_str(&method);
    out.push('&');
    push_canonical_uri(&url.path, &base_path, options.path_form, &mut out);
    out.push('&');
    let query = url.query.as_deref().unwrap_or("");
    // The query's pairs as written; a pair with a malformed escape is skipped (servlets).
    let mut params: Vec<Param<'_>> = form_pairs(query)
        .filter(|(n, v, _)| escapes_are_valid(n) && escapes_are_valid(v))
        .map(|(name, value, _)| Param {
            name,
            value,
            escaped: true,
        })
        .collect();
    if params.is_empty() && (method == "POST" || method == "PUT") {
        if let Some(body) = &options.body {
            params = decoded_params(body);
        }
    }
    push_canonical_params(&params, &mut out);
    Ok(out)
}

thread_local! {
    // The last base URL and its path: an app signs every call with its one base URL, whose
    // parse is a fifth of a short qsh call.
    static LAST_BASE: RefCell<(String, String)> = const { RefCell::new((String::new(), String::new())) };
}

/// The path of the base URL `b` (context path), without its trailing `/`.
fn base_path_of(b: &str) -> Result<String> {
    if let Some(hit) = LAST_BASE.with(|c| {
        let c = c.borrow();
        (c.0 == b).then(|| c.1.clone())
    }) {
        return Ok(hit);
    }
    let path = Url::parse(b)?.base_path().to_owned();
    LAST_BASE.with(|c| *c.borrow_mut() = (b.to_owned(), path.clone()));
    Ok(path)
}

/// The query string hash of a request: lowercase hex SHA-256 of its canonical request.
pub fn qsh(method: &str, url: &str, options: &QshOptions) -> Result<String> {
    Ok(hash_canonical(&canonical_request(method, url, options)?))
}

/// Hashes a canonical request string.
pub fn hash_canonical(canonical: &str) -> String {
    hex_lower(&crate::primitives::hash::Hash::Sha256.digest(&[canonical.as_bytes()]))
}

/// Removes `base_path` from `path` on a segment boundary (`/wiki` strips `/wiki/x` and
/// `/wiki`, never `/wikipedia`).
pub fn strip_base_path<'a>(path: &'a str, base_path: &str) -> &'a str {
    let base_path = base_path.trim_end_matches('/');
    if base_path.is_empty() {
        return path;
    }
    match path.strip_prefix(base_path) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
        _ => path,
    }
}

/// Appends the canonical URI of `path` (wire form) relative to `base_path`.
pub fn push_canonical_uri(path: &str, base_path: &str, form: PathForm, out: &mut String) {
    let relative = strip_base_path(path, base_path);
    let decoded;
    let mut p: &str = match form {
        PathForm::Wire => relative,
        PathForm::Decoded => {
            // java.net.URI rejects malformed escapes; then there is nothing to decode.
            decoded = percent_decode(relative, false).unwrap_or_else(|| relative.to_owned());
            &decoded
        }
    };
    if p.len() > 1 && p.ends_with('/') {
        p = &p[..p.len() - 1];
    }
    if !p.starts_with('/') {
        out.push('/');
    }
    if p == "/" || p.is_empty() {
        if p == "/" {
            out.push('/');
        }
        return;
    }
    for (i, piece) in p.split('&').enumerate() {
        if i > 0 {
            out.push_str("%26");
        }
        out.push_str(piece);
    }
}

/// A query parameter: as written in a form string (still escaped), or decoded.
#[derive(Debug, Clone, Copy)]
pub struct Param<'a> {
    /// The name.
    pub name: &'a str,
    /// The value.
    pub value: &'a str,
    /// True when both are as written in a form string (escaped; both must decode,
    /// [`escapes_are_valid`]), false when they are decoded text.
    pub escaped: bool,
}

impl Param<'_> {
    /// Appends the canonical (percent-encoded) form of `text`, one of this parameter's parts.
    fn push(&self, text: &str, scratch: &mut Vec<u8>, out: &mut String) {
        if self.escaped {
            reencode_form_into(text, scratch, out);
        } else {
            percent_encode_into(text, out);
        }
    }

    fn decoded_value(&self) -> String {
        if self.escaped {
            form_decode(self.value).unwrap_or_default()
        } else {
            self.value.to_owned()
        }
    }
}

/// Appends the canonical query of decoded `params`.
pub fn push_canonical_query(params: &[(String, String)], out: &mut String) {
    push_canonical_params(&decoded_params(params), out);
}

/// Decoded name/value pairs (a form body, a parsed query) as [`Param`]s.
fn decoded_params(pairs: &[(String, String)]) -> Vec<Param<'_>> {
    pairs
        .iter()
        .map(|(name, value)| Param {
            name,
            value,
            escaped: false,
        })
        .collect()
}

/// Appends the canonical query of `params`.
pub fn push_canonical_params(params: &[Param<'_>], out: &mut String) {
    // Drop `jwt`, encode each name once (into one buffer), and sort by encoded name (byte
    // order), stably. Percent-encoding is one-to-one, so equal encoded names are exactly the
    // equal decoded names (and `jwt` encodes to itself): each run of them is one parameter,
    // whose values are joined with `,` in UTF-16 order of their decoded text.
    let mut scratch = Vec::new();
    let mut names = String::with_capacity(params.len() * 16);
    // (start, end) of each kept parameter's encoded name in `names`, and its index.
    let mut kept: Vec<(usize, usize, usize)> = Vec::with_capacity(params.len());
    for (i, p) in params.iter().enumerate() {
        let start = names.len();
        p.push(p.name, &mut scratch, &mut names);
        if &names[start..] == "jwt" {
            names.truncate(start);
            continue;
        }
        kept.push((start, names.len(), i));
    }
    let name = |k: &(usize, usize, usize)| names.get(k.0..k.1).unwrap_or_default();
    let order = crate::primitives::sort::sorted_order(kept.len(), &|a, b| {
        name(&kept[a]).as_bytes().cmp(name(&kept[b]).as_bytes())
    });
    let mut i = 0;
    while i < order.len() {
        let first = &kept[order[i]];
        let end = order[i..]
            .iter()
            .position(|&k| name(&kept[k]) != name(first))
            .map_or(order.len(), |k| i + k);
        if i > 0 {
            out.push('&');
        }
        out.push_str(name(first));
        out.push('=');
        if end - i == 1 {
            let p = &params[first.2];
            p.push(p.value, &mut scratch, out);
        } else {
            let mut values: Vec<String> = order[i..end]
                .iter()
                .map(|&k| params[kept[k].2].decoded_value())
                .collect();
            crate::primitives::sort::sort_by(&mut values, |a, b| {
                a.encode_utf16().cmp(b.encode_utf16())
            });
            for (j, v) in values.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                percent_encode_into(v, out);
            }
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(method: &str, url: &str, base: Option<&str>) -> String {
        let o = QshOptions {
            base_url: base.map(str::to_owned),
            ..Default::default()
        };
        canonical_request(method, url, &o).unwrap()
    }

    #[test]
    fn canonical_examples() {
        assert_eq!(
            canon("GET", "/rest/api/2/project", None),
            "GET&/rest/api/2/project&"
        );
        assert_eq!(
            canon(
                "GET",
                "/path/to/service?zee_last=param&repeated=parameter 1&first=param&repeated=parameter 2",
                None
            ),
            "GET&/path/to/service&first=param&repeated=parameter%201,parameter%202&zee_last=param"
        );
        assert_eq!(canon("GET", "/x?a=&a=x&a", None), "GET&/x&a=,,x");
        assert_eq!(canon("GET", "/x?z=1&%C3%A9=2", None), "GET&/x&%C3%A9=2&z=1");
        assert_eq!(
            canon("GET", "/x?a.b=1&a[b]=2", None),
            "GET&/x&a%5Bb%5D=2&a.b=1"
        );
        assert_eq!(canon("GET", "/a//", None), "GET&/a/&");
        assert_eq!(
            canon("GET", "/some/path&a=b?x=y", None),
            "GET&/some/path%26a=b&x=y"
        );
        assert_eq!(canon("GET", "?a=1", None), "GET&/&a=1");
        assert_eq!(
            canon(
                "GET",
                "https://x.example.com/wiki",
                Some("https://x.example.com/wiki/")
            ),
            "GET&/&"
        );
        assert_eq!(
            canon(
                "GET",
                "https://x.example.com/wikipedia/page",
                Some("https://x.example.com/wiki")
            ),
            "GET&/wikipedia/page&"
        );
    }

    #[test]
    fn decoded_path_form() {
        let o = QshOptions {
            path_form: PathForm::Decoded,
            ..Default::default()
        };
        assert_eq!(
            canonical_request("GET", "/a%20b/%26c/", &o).unwrap(),
            "GET&/a b/%26c&"
        );
    }

    #[test]
    fn body_used_only_for_post_put_without_query() {
        let o = QshOptions {
            body: Some(vec![("b".into(), "2".into()), ("a".into(), "y".into())]),
            ..Default::default()
        };
        assert_eq!(
            canonical_request("post", "/rest/x", &o).unwrap(),
            "POST&/rest/x&a=y&b=2"
        );
        assert_eq!(
            canonical_request("GET", "/rest/x", &o).unwrap(),
            "GET&/rest/x&"
        );
        assert_eq!(
            canonical_request("PUT", "/rest/x?q=1", &o).unwrap(),
            "PUT&/rest/x&q=1"
        );
    }
}
