//! The `Authorization: OAuth ...` header (RFC 5849 section 3.5.1), written and parsed; the
//! parser also reads `WWW-Authenticate: OAuth ...` problem reports.

use crate::error::{Error, Result};
use crate::primitives::encoding::{percent_decode, percent_encode_into};
use crate::primitives::url::truncate;

/// `OAuth realm="...", name="enc(value)", ...` (section 3.5.1), every name and value
/// percent-encoded, the realm too (as net.oauth writes and reads it).
pub fn authorization_header(realm: Option<&str>, params: &[(String, String)]) -> String {
    let mut out = String::from("OAuth ");
    let mut first = true;
    let realm = realm.map(|r| ("realm", r));
    let all = realm
        .into_iter()
        .chain(params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    for (name, value) in all {
        if !first {
            out.push_str(", ");
        }
        first = false;
        percent_encode_into(name, &mut out);
        out.push_str("=\"");
        percent_encode_into(value, &mut out);
        out.push('"');
    }
    out
}

/// Parses an `Authorization: OAuth ...` (or `WWW-Authenticate: OAuth ...`) header value into
/// decoded name/value pairs, in order, `realm` included.
///
/// Values may be quoted (`name="value"`, backslash escapes allowed) or bare tokens; names and
/// values are percent-decoded once, `+` kept as `+` (section 3.6 encoding never produces it).
pub fn parse_authorization_header(header: &str) -> Result<Vec<(String, String)>> {
    let h = header.trim();
    let rest = match h.get(..5).zip(h.get(5..)) {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("oauth") => rest,
        _ => {
            return Err(Error::OAuthInvalidRequest(
                "the header does not start with the OAuth scheme; send \
                 Authorization: OAuth oauth_consumer_key=\"...\", ..."
                    .into(),
            ))
        }
    };
    if !(rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_whitespace())) {
        return Err(Error::OAuthInvalidRequest(
            "the header's scheme is not OAuth; send Authorization: OAuth oauth_consumer_key=\"...\", ..."
                .into(),
        ));
    }
    let bytes = rest.as_bytes();
    let mut pairs = Vec::new();
    let mut i = 0;
    loop {
        while matches!(bytes.get(i), Some(b) if b.is_ascii_whitespace() || *b == b',') {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let name_start = i;
        while matches!(bytes.get(i), Some(b) if !b.is_ascii_whitespace() && !matches!(b, b'=' | b',' | b'"'))
        {
            i += 1;
        }
        let raw_name = rest.get(name_start..i).unwrap_or_default();
        while matches!(bytes.get(i), Some(b) if b.is_ascii_whitespace()) {
            i += 1;
        }
        if raw_name.is_empty() || bytes.get(i) != Some(&b'=') {
            return Err(Error::OAuthInvalidRequest(format!(
                "the OAuth header has a parameter without a value near {:?}; write every \
                 parameter as name=\"value\", separated by commas",
                truncate(rest.get(name_start..).unwrap_or_default(), 40)
            )));
        }
        i += 1;
        while matches!(bytes.get(i), Some(b) if b.is_ascii_whitespace()) {
            i += 1;
        }
        let raw_value = if bytes.get(i) == Some(&b'"') {
            i += 1;
            let mut value = String::new();
            let mut start = i;
            loop {
                match bytes.get(i) {
                    None => {
                        return Err(Error::OAuthInvalidRequest(format!(
                            "the value of {raw_name} in the OAuth header has no closing quote"
                        )))
                    }
                    Some(b'"') => {
                        value.push_str(rest.get(start..i).unwrap_or_default());
                        i += 1;
                        break;
                    }
                    Some(b'\\') => {
                        value.push_str(rest.get(start..i).unwrap_or_default());
                        i += 1;
                        start = i;
                        // The escaped character is kept as it is (RFC 9110 quoted-pair).
                        if bytes.get(i).is_some() {
                            i += rest
                                .get(i..)
                                .and_then(|s| s.chars().next())
                                .map_or(1, char::len_utf8);
                        }
                    }
                    Some(_) => i += 1,
                }
            }
            value
        } else {
            let start = i;
            while matches!(bytes.get(i), Some(b) if !b.is_ascii_whitespace() && *b != b',') {
                i += 1;
            }
            rest.get(start..i).unwrap_or_default().to_owned()
        };
        let decode = |s: &str, what: &str| {
            percent_decode(s, false).ok_or_else(|| {
                Error::OAuthInvalidRequest(format!(
                    "the {what} of {:?} in the OAuth header has a malformed %-escape; encode \
                     every value with RFC 3986 percent-encoding",
                    truncate(raw_name, 40)
                ))
            })
        };
        pairs.push((decode(raw_name, "name")?, decode(&raw_value, "value")?));
        while matches!(bytes.get(i), Some(b) if b.is_ascii_whitespace()) {
            i += 1;
        }
        match bytes.get(i) {
            None | Some(b',') => {}
            Some(_) => {
                return Err(Error::OAuthInvalidRequest(format!(
                    "the OAuth header has text after the value of {:?}; separate parameters with commas",
                    truncate(raw_name, 40)
                )))
            }
        }
    }
    Ok(pairs)
}
