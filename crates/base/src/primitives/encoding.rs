//! The one percent-encoder, form decoder and base64 codec of the crate.
//!
//! - Percent-encoding: RFC 3986 section 2.3 "unreserved" set (`A-Z a-z 0-9 - . _ ~`) kept,
//!   every other byte `%XX` with uppercase hex. This is what RFC 5849 section 3.6 (OAuth) and
//!   Atlassian's `JwtUtil.percentEncode` (qsh) both require.
//! - Form decoding: `application/x-www-form-urlencoded` as a servlet container reads it
//!   (`+` is a space, `%XX` a byte, bytes UTF-8 with U+FFFD for invalid sequences; a pair with
//!   a malformed escape is skipped, as Tomcat skips it).
//! - base64 (RFC 4648 section 4) and base64url without padding (section 5, as JWS uses it).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// The RFC 3986 unreserved set as a byte table (one load per byte in the encoder's loop).
const UNRESERVED: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        i += 1;
    }
    t
};

/// True for the RFC 3986 unreserved characters, which percent-encoding leaves as they are.
#[inline]
pub fn is_unreserved(b: u8) -> bool {
    UNRESERVED[b as usize]
}

/// Appends `s` to `out`, percent-encoding every UTF-8 byte but the unreserved set.
pub fn percent_encode_into(s: &str, out: &mut String) {
    // Runs of unreserved bytes are copied whole: most names and values have no byte to escape.
    // A non-empty run starts and ends at ASCII bytes, so it is sliced on character boundaries.
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if is_unreserved(b) {
            continue;
        }
        // Empty inside a multi-byte character, whose every byte is escaped.
        if start < i {
            out.push_str(&s[start..i]);
        }
        out.push('%');
        out.push(HEX_UPPER[(b >> 4) as usize] as char);
        out.push(HEX_UPPER[(b & 15) as usize] as char);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Percent-encodes the UTF-8 bytes of `s` (RFC 3986 unreserved set kept).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    percent_encode_into(s, &mut out);
    out
}

#[inline]
fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes (and `+` as space when `plus_is_space`) of `s` into `out` (cleared
/// first). Returns `false` when an escape is malformed (`%zz`, a lone `%` at the end).
pub fn percent_decode_bytes(s: &str, plus_is_space: bool, out: &mut Vec<u8>) -> bool {
    out.clear();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let Some(b) = escape_at(bytes, i) else {
                    return false;
                };
                out.push(b);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    true
}

/// True when `s` has something to decode: a `%` (or a `+` when `plus_is_space`).
#[inline]
fn has_escapes(s: &str, plus_is_space: bool) -> bool {
    s.bytes().any(|b| b == b'%' || (plus_is_space && b == b'+'))
}

/// The byte of the `%XX` escape whose `%` is at `i`, if it is one.
#[inline]
fn escape_at(bytes: &[u8], i: usize) -> Option<u8> {
    let hi = bytes.get(i + 1).copied().and_then(hex_val)?;
    let lo = bytes.get(i + 2).copied().and_then(hex_val)?;
    Some(hi << 4 | lo)
}

/// True when every `%` in `s` starts a `%XX` escape: `s` decodes.
pub fn escapes_are_valid(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes
        .iter()
        .enumerate()
        .all(|(i, &b)| b != b'%' || escape_at(bytes, i).is_some())
}

/// Decodes `%XX` escapes (and `+` as space when `plus_is_space`). Returns `None` when an
/// escape is malformed (`%zz`, a lone `%` at the end). Invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(s: &str, plus_is_space: bool) -> Option<String> {
    if !has_escapes(s, plus_is_space) {
        return Some(s.to_owned());
    }
    let mut out = Vec::with_capacity(s.len());
    if !percent_decode_bytes(s, plus_is_space, &mut out) {
        return None;
    }
    Some(match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Appends the percent-encoding of the form-decoded `raw` (a name or value as it appears in a
/// query string) to `out`: the canonical form of what a servlet reads. `scratch` is reused
/// between calls. `raw` must decode ([`escapes_are_valid`]).
pub fn reencode_form_into(raw: &str, scratch: &mut Vec<u8>, out: &mut String) {
    if !has_escapes(raw, true) {
        percent_encode_into(raw, out);
        return;
    }
    percent_decode_bytes(raw, true, scratch);
    match core::str::from_utf8(scratch) {
        Ok(text) => percent_encode_into(text, out),
        // Invalid UTF-8 is read as U+FFFD, as the decoder above does.
        Err(_) => percent_encode_into(&String::from_utf8_lossy(scratch), out),
    }
}

/// Decodes one `application/x-www-form-urlencoded` component.
pub fn form_decode(s: &str) -> Option<String> {
    percent_decode(s, true)
}

/// The pairs of an `application/x-www-form-urlencoded` string as written (not decoded):
/// `(name, value, segment)`. Empty segments are skipped; a segment without `=` has an empty
/// value.
pub fn form_pairs(s: &str) -> impl Iterator<Item = (&str, &str, &str)> {
    s.split('&')
        .filter(|seg| !seg.is_empty())
        .map(|seg| match seg.find('=') {
            Some(i) => (&seg[..i], &seg[i + 1..], seg),
            None => (seg, "", seg),
        })
}

/// Parses an `application/x-www-form-urlencoded` string into name/value pairs, in order.
///
/// Empty segments are skipped, a segment without `=` has an empty value, and a pair whose
/// name or value has a malformed escape is skipped (what a servlet container does).
pub fn parse_form(s: &str) -> Vec<(String, String)> {
    parse_form_with_skipped(s).0
}

/// Like [`parse_form`], also returning the raw segments that were skipped for malformed
/// escapes, so callers can explain why a parameter is missing.
pub fn parse_form_with_skipped(s: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut pairs = Vec::new();
    let mut skipped = Vec::new();
    for (name, value, seg) in form_pairs(s) {
        match (form_decode(name), form_decode(value)) {
            (Some(n), Some(v)) => pairs.push((n, v)),
            _ => skipped.push(seg.to_owned()),
        }
    }
    (pairs, skipped)
}

/// Lowercase hexadecimal of `bytes`.
pub fn hex_lower(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut v = vec![0u8; bytes.len() * 2];
    for (pair, &b) in v.chunks_exact_mut(2).zip(bytes) {
        pair[0] = HEX[(b >> 4) as usize];
        pair[1] = HEX[(b & 15) as usize];
    }
    // Hex digits are ASCII.
    String::from_utf8(v).unwrap_or_default()
}

/// base64url without padding (RFC 4648 section 5), as JWS uses it.
pub fn b64url_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Strict base64url decoding: no padding, no `+` or `/`, no whitespace, canonical last
/// character. Returns `None` on anything else (RFC 7515 section 2, RFC 8725 section 3.11).
pub fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s).ok()
}

/// Standard base64 with padding (RFC 4648 section 4).
pub fn b64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Standard base64 decoding; ASCII whitespace (line breaks in PEM bodies) is ignored.
pub fn b64_decode(s: &str) -> Option<Vec<u8>> {
    if s.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        STANDARD.decode(compact).ok()
    } else {
        STANDARD.decode(s).ok()
    }
}

/// `name=value&...` with every name and value percent-encoded (RFC 3986), so a server decodes
/// exactly the parameters that were signed.
pub fn encode_form(params: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (n, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(n, &mut out);
        out.push('=');
        percent_encode_into(v, &mut out);
    }
    out
}

/// The form content type.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// True for `application/x-www-form-urlencoded` in any case, parameters (`; charset=UTF-8`)
/// allowed: the one rule for whether a body is a form (and so signed by OAuth 1.0a and hashed
/// into a qsh).
pub fn is_form_content_type(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case(FORM_CONTENT_TYPE))
}

/// True for text that starts like JSON (`{` or `[`): such a body is not a form.
pub fn looks_like_json(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with('{') || t.starts_with('[')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_rfc3986_unreserved_only() {
        assert_eq!(
            percent_encode("a b+c*~-._!'()"),
            "a%20b%2Bc%2A~-._%21%27%28%29"
        );
        assert_eq!(percent_encode("é"), "%C3%A9");
        assert_eq!(percent_encode("%"), "%25");
        // Runs of plain bytes around and between multi-byte characters.
        assert_eq!(percent_encode("xé€y🙂z"), "x%C3%A9%E2%82%ACy%F0%9F%99%82z");
        assert_eq!(percent_encode("éa"), "%C3%A9a");
        assert_eq!(percent_encode(""), "");
    }

    #[test]
    fn form_decoding_follows_servlets() {
        assert_eq!(form_decode("a+b%20c").as_deref(), Some("a b c"));
        assert_eq!(form_decode("%c3%A9").as_deref(), Some("é"));
        assert_eq!(form_decode("%zz"), None);
        assert_eq!(form_decode("100%"), None);
        assert_eq!(form_decode("%FF").as_deref(), Some("\u{FFFD}"));
        assert_eq!(
            parse_form("a=1&&b&=3&c=%zz&d=x=y"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "".into()),
                ("".into(), "3".into()),
                ("d".into(), "x=y".into())
            ]
        );
    }

    #[test]
    fn base64url_is_strict() {
        assert_eq!(b64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(b64url_decode("-_8"), Some(vec![0xfb, 0xff]));
        assert_eq!(b64url_decode("-_8="), None);
        assert_eq!(b64url_decode("+/8"), None);
        assert_eq!(b64_decode("+/8=\n"), Some(vec![0xfb, 0xff]));
    }
}
