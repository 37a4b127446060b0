//! The signature base string (RFC 5849 section 3.4.1), built from its pieces: method, base
//! string URI and normalised parameters.

use crate::error::{Error, Result};
use crate::primitives::encoding::{parse_form, percent_encode, percent_encode_into};
use crate::primitives::url::{normalize_method, Url};

/// The base string URI (section 3.4.1.2): scheme and host lowercased, the port dropped when it
/// is the scheme's default (80 for http, 443 for https), the path byte for byte as sent (`/`
/// when empty), no query, no fragment.
///
/// `Url::parse` has already lowercased scheme and host; a relative URL gives just its path.
pub fn base_string_uri(url: &Url) -> String {
    let mut out = String::with_capacity(url.scheme.len() + url.host.len() + url.path.len() + 10);
    if url.is_absolute() {
        out.push_str(&url.scheme);
        out.push_str("://");
        out.push_str(&url.host);
        match (url.scheme.as_str(), url.port) {
            (_, None) | ("http", Some(80)) | ("https", Some(443)) => {}
            (_, Some(port)) => {
                out.push(':');
                out.push_str(&port.to_string());
            }
        }
    }
    if url.path.is_empty() {
        out.push('/');
    } else {
        out.push_str(&url.path);
    }
    out
}

/// Normalises decoded parameters (section 3.4.1.3.2): each name and value percent-encoded,
/// sorted by encoded name then encoded value in byte order, joined as `name=value` with `&`.
/// Repeated names are all kept.
pub fn normalize_parameters(params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .map(|(n, v)| (percent_encode(n), percent_encode(v)))
        .collect();
    crate::primitives::sort::sort_by(&mut encoded, |a, b| a.cmp(b));
    let len = encoded.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(len);
    for (i, (n, v)) in encoded.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(n);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// The signature base string (section 3.4.1): `enc(METHOD)&enc(base URI)&enc(parameters)`.
///
/// - query parameters come from `url.query`, form-decoded (`+` is a space, names decoded too);
/// - `body_params` are the already-decoded parameters of an
///   `application/x-www-form-urlencoded` body (pass none for any other body type);
/// - `oauth_params` are the protocol parameters (as from the Authorization header); `realm`
///   among them is ignored.
///
/// `oauth_signature` is left out wherever it appears.
pub fn base_string(
    method: &str,
    url: &Url,
    body_params: &[(String, String)],
    oauth_params: &[(String, String)],
) -> Result<String> {
    let method = normalize_method(method)?;
    if !url.is_absolute() {
        return Err(Error::InvalidUrl(
            "OAuth signs the full URL; pass it with scheme and host (https://host/path)".into(),
        ));
    }
    let query = url.query.as_deref().map(parse_form).unwrap_or_default();
    let mut params: Vec<(String, String)> =
        Vec::with_capacity(query.len() + body_params.len() + oauth_params.len());
    params.extend(
        query
            .into_iter()
            .chain(body_params.iter().cloned())
            .filter(|(n, _)| n != "oauth_signature"),
    );
    params.extend(
        oauth_params
            .iter()
            .filter(|(n, _)| n != "realm" && n != "oauth_signature")
            .cloned(),
    );
    let uri = base_string_uri(url);
    let normalized = normalize_parameters(&params);
    let mut out =
        String::with_capacity(method.len() + uri.len() * 3 / 2 + normalized.len() * 3 / 2);
    percent_encode_into(&method, &mut out);
    out.push('&');
    percent_encode_into(&uri, &mut out);
    out.push('&');
    percent_encode_into(&normalized, &mut out);
    Ok(out)
}
