//! A request as a signer sees it: method, scheme, host, port, wire path and raw query.
//!
//! The path is kept as it goes on the wire (RFC 3986 section 3.3): existing escapes are never
//! decoded, re-encoded or case-folded, and dot segments are kept. Characters a client must
//! escape before sending (space, `"`, `<`, `>`, `` ` ``, `{`, `}`, controls, non-ASCII: the
//! WHATWG URL "path percent-encode set") are escaped the way `fetch` and browsers escape them,
//! so the path hashed is the path the server receives.

use crate::error::{Error, Result};

/// The parts of a URL a signer needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// Lowercased scheme, or empty for a relative URL (`/path?query`).
    pub scheme: String,
    /// Lowercased host (with brackets for IPv6), or empty for a relative URL.
    pub host: String,
    /// The explicit port, if one was written.
    pub port: Option<u16>,
    /// The path as sent on the wire; never empty for an absolute URL (`/` at least).
    pub path: String,
    /// The raw query without `?` (`None` when the URL has no `?`).
    pub query: Option<String>,
}

impl Url {
    /// Parses an absolute (`https://host:port/path?query#fragment`) or relative
    /// (`/path?query`, `?query`) URL.
    pub fn parse(input: &str) -> Result<Url> {
        let input = input.trim_matches(|c: char| c <= ' ');
        // The fragment never reaches the server.
        let input = match input.find('#') {
            Some(i) => &input[..i],
            None => input,
        };
        let (scheme, rest) = match split_scheme(input) {
            Some((s, r)) => (s.to_ascii_lowercase(), r),
            None => (String::new(), input),
        };
        let special = scheme.is_empty() || scheme == "http" || scheme == "https";
        let (host, port, rest) = if !scheme.is_empty() {
            let rest = rest
                .strip_prefix("//")
                .or_else(|| rest.strip_prefix("\\\\"))
                .ok_or_else(|| {
                    Error::InvalidUrl(format!(
                        "{scheme}: URL has no \"//host\" part; write it as {scheme}://host/path"
                    ))
                })?;
            // `\` ends the host only where it is a path separator (http, https); elsewhere
            // it stays in the host, which refuses it, as WHATWG URL parsers do.
            let end = rest
                .bytes()
                .position(|b| matches!(b, b'/' | b'?') || (special && b == b'\\'))
                .unwrap_or(rest.len());
            let (authority, rest) = rest.split_at(end);
            let (host, port) = parse_authority(authority)?;
            (host, port, rest)
        } else {
            if !(rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')) {
                return Err(Error::InvalidUrl(format!(
                    "{:?} is neither an absolute URL (https://host/path) nor a path starting with \"/\"",
                    truncate(rest, 80)
                )));
            }
            (String::new(), None, rest)
        };
        let (raw_path, query) = match rest.find('?') {
            Some(i) => (&rest[..i], Some(rest[i + 1..].to_owned())),
            None => (rest, None),
        };
        let mut path = wire_path(raw_path, special);
        if path.is_empty() && !scheme.is_empty() {
            path.push('/');
        }
        Ok(Url {
            scheme,
            host,
            port,
            path,
            query,
        })
    }

    /// The path of a base URL, without its trailing `/` (`https://x/wiki/` gives `/wiki`).
    pub fn base_path(&self) -> &str {
        self.path.trim_end_matches('/')
    }

    /// True when this URL is absolute (has a scheme and host).
    pub fn is_absolute(&self) -> bool {
        !self.scheme.is_empty()
    }
}

/// Shortens a string for an error message.
pub fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

fn split_scheme(input: &str) -> Option<(&str, &str)> {
    let colon = input.find(':')?;
    let scheme = &input[..colon];
    let mut bytes = scheme.bytes();
    let first = bytes.next()?;
    if !first.is_ascii_alphabetic()
        || !bytes.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
    {
        return None;
    }
    Some((scheme, &input[colon + 1..]))
}

fn parse_authority(authority: &str) -> Result<(String, Option<u16>)> {
    // userinfo is never part of what is signed.
    let hostport = match authority.rfind('@') {
        Some(i) => &authority[i + 1..],
        None => authority,
    };
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        let close = rest
            .find(']')
            .ok_or_else(|| Error::InvalidUrl("IPv6 host is missing its closing \"]\"".into()))?;
        let host = &hostport[..close + 2];
        let after = &rest[close + 1..];
        match after.strip_prefix(':') {
            Some(p) => (host, Some(p)),
            None if after.is_empty() => (host, None),
            None => {
                return Err(Error::InvalidUrl(
                    "unexpected text after the IPv6 host".into(),
                ))
            }
        }
    } else {
        match hostport.rfind(':') {
            Some(i) => (&hostport[..i], Some(&hostport[i + 1..])),
            None => (hostport, None),
        }
    };
    if host.is_empty() {
        return Err(Error::InvalidUrl("the URL has no host".into()));
    }
    // Outside the IPv6 brackets a host has no `:`, `[` or `]` (`https://a:b:80/` would sign
    // the host `a:b`, which no server sees).
    let bracketed = host.starts_with('[');
    if host.bytes().any(|c| {
        c <= b' '
            || matches!(c, b'<' | b'>' | b'"' | b'^' | b'|' | b'%' | b'\\')
            || (!bracketed && matches!(c, b':' | b'[' | b']'))
    }) {
        return Err(Error::InvalidUrl(format!(
            "host {:?} has characters a host cannot have",
            truncate(host, 80)
        )));
    }
    let port = match port {
        None | Some("") => None,
        Some(p) => Some(p.parse::<u16>().map_err(|_| {
            Error::InvalidUrl(format!(
                "port {:?} is not a number from 0 to 65535",
                truncate(p, 20)
            ))
        })?),
    };
    Ok((host.to_ascii_lowercase(), port))
}

/// Escapes what a WHATWG client escapes in a path, leaving existing escapes alone.
fn wire_path(raw: &str, special: bool) -> String {
    // Most paths have nothing to escape.
    if !raw.bytes().any(|b| {
        !(0x21..0x7f).contains(&b)
            || matches!(b, b'"' | b'<' | b'>' | b'`' | b'{' | b'}')
            || (special && b == b'\\')
    }) {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\\' if special => out.push('/'),
            c if (c as u32) < 0x21
                || c as u32 == 0x7f
                || matches!(c, '"' | '<' | '>' | '`' | '{' | '}') =>
            {
                let mut buf = [0u8; 4];
                crate::primitives::encoding::percent_encode_into(c.encode_utf8(&mut buf), &mut out)
            }
            c if !c.is_ascii() => {
                let mut buf = [0u8; 4];
                crate::primitives::encoding::percent_encode_into(c.encode_utf8(&mut buf), &mut out)
            }
            c => out.push(c),
        }
    }
    out
}

/// Validates and uppercases an HTTP method (an RFC 9110 token).
pub fn normalize_method(method: &str) -> Result<String> {
    if method.is_empty() {
        return Err(Error::InvalidMethod(
            "the HTTP method is empty; pass GET, POST, PUT, DELETE, ...".into(),
        ));
    }
    if !method.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            )
    }) || method.contains('&')
    {
        return Err(Error::InvalidMethod(format!(
            "{:?} is not an HTTP method; pass GET, POST, PUT, DELETE, ...",
            truncate(method, 40)
        )));
    }
    Ok(method.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_absolute_urls() {
        let u = Url::parse("HTTPS://User:pw@Example.COM:8443/a%2fB/c d?x=1&y#frag").unwrap();
        assert_eq!(u.scheme, "https");
        assert_eq!(u.host, "example.com");
        assert_eq!(u.port, Some(8443));
        assert_eq!(u.path, "/a%2fB/c%20d");
        assert_eq!(u.query.as_deref(), Some("x=1&y"));
        let u = Url::parse("http://[::1]:80").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("[::1]", Some(80), "/")
        );
    }

    #[test]
    fn parses_relative_urls() {
        let u = Url::parse("?a=1").unwrap();
        assert_eq!((u.path.as_str(), u.query.as_deref()), ("", Some("a=1")));
        assert_eq!(Url::parse("/wiki/café").unwrap().path, "/wiki/caf%C3%A9");
        assert_eq!(Url::parse("/a\"b{c}").unwrap().path, "/a%22b%7Bc%7D");
        assert_eq!(Url::parse("/x/../y").unwrap().path, "/x/../y");
    }

    #[test]
    fn rejects_bad_urls() {
        assert_eq!(
            Url::parse("rest/api").unwrap_err().code(),
            "ERR_INVALID_URL"
        );
        assert_eq!(
            Url::parse("https://x:99999/").unwrap_err().code(),
            "ERR_INVALID_URL"
        );
        assert_eq!(
            Url::parse("https:///p").unwrap_err().code(),
            "ERR_INVALID_URL"
        );
        assert_eq!(normalize_method("get").unwrap(), "GET");
        assert!(normalize_method("GE T").is_err());
        assert!(normalize_method("").is_err());
    }
}
