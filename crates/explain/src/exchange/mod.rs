//! Pasted exchanges: the request a person sent and the answer they got, read from whatever
//! they paste, as the [`Exchange`] that `explain` takes.
//!
//! [`parse_exchange`] recognises, without being told which:
//!
//! 1. **`curl -v` output**: `> ` lines (request line, headers, the blank `>`), `< ` lines
//!    (status line, headers, the blank `<`), `* ` lines (connection info), `{ [` / `} [`
//!    (byte counts), and the response body as the plain lines after the response headers.
//!    The URL is rebuilt from the `Host` header and the request target; the scheme is https
//!    when the connection shows TLS (`* SSL connection`, `* ALPN`, `* TLS...`), else the
//!    scheme of a `curl` command pasted above the output, else https when port 443 appears
//!    (`* Connected to ... port 443`, `Host: x:443`), else http. The request body, which
//!    `curl -v` does not print, comes from that command when there is one.
//! 2. **A `curl` command** (continued over lines with `\`, quoted with `'`, `"` or `$'...'`),
//!    optionally followed by the response: raw HTTP response text (`HTTP/1.1 401 ...`, as
//!    `curl -i` prints it) or just the body.
//! 3. **Raw HTTP/1.1**: a request (`GET /path?q HTTP/1.1`, headers, blank line, body),
//!    optionally followed by the response (`HTTP/1.1 401 Unauthorized`, headers, blank line,
//!    body); several such pairs in a row are several exchanges. The URL is rebuilt from the
//!    `Host` header and the target (absolute-form targets are taken as they are); the
//!    scheme, which raw text does not show, is https unless the `Host` names port 80.
//! 4. **A HAR file** (devtools "Save all as HAR", or one entry copied "as HAR").
//!
//! A paste that is only a response (a status line, a block of response headers, or only a
//! body such as a refusal message or an app's log line) gives an exchange without a request.
//!
//! When a paste holds several exchanges (HAR entries, redirects in `curl -v`, several raw
//! pairs), the one taken is, without an [`EntryPick`], the last whose response status is 401
//! or 403, else the last; with one, the given index (from 0) or the first whose request URL
//! contains the given text.
//!
//! Line ends are normalised: bodies read from text pastes have their lines joined with `\n`,
//! without trailing line breaks; a HAR's texts are taken as they are. An empty body is
//! `None`. Nothing here echoes a header or body in an error message: pastes carry tokens and
//! signatures.
//!
//! Linear in the size of the paste; pastes over [`MAX_PASTE_BYTES`] are refused.

mod curl;
mod curl_verbose;
mod har;
mod raw;

use atlassian_sign::error::{Error, Result};
use atlassian_sign::json;

use curl::{curl_command_exchange, first_line_curl};
use curl_verbose::{curl_verbose, is_curl_verbose_line};
use har::{har_entries, har_exchange};
use raw::{raw_http, response_from_text};

/// The largest paste read: 8 MiB.
pub const MAX_PASTE_BYTES: usize = 8 * 1024 * 1024;

/// A request as it was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method as written (`GET`, `POST`, ...).
    pub method: String,
    /// The full URL with its query (`https://host/path?query`).
    pub url: String,
    /// Every header, in the order and case they were pasted.
    pub headers: Vec<(String, String)>,
    /// The body text, when the paste shows one.
    pub body: Option<String>,
}

/// A response as it was received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code, when the paste shows it.
    pub status: Option<u16>,
    /// Every header, in the order and case they were pasted.
    pub headers: Vec<(String, String)>,
    /// The body text, when the paste shows one.
    pub body: Option<String>,
}

/// A request and its response; either may be missing from a paste.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exchange {
    /// The request sent.
    pub request: Option<HttpRequest>,
    /// The response received.
    pub response: Option<HttpResponse>,
}

/// Which exchange to take from a paste that holds several (a HAR file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryPick {
    /// The exchange at this index, counted from 0 in the order of the paste.
    Index(usize),
    /// The first exchange whose request URL contains this text.
    UrlContains(String),
}

impl HttpRequest {
    /// The value of the first header named `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl HttpResponse {
    /// The value of the first header named `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

const FORMS: &str = "paste curl -v output, a curl command (optionally followed by the \
                     response), a raw HTTP request and response, or a HAR file";

fn invalid(message: impl Into<String>) -> Error {
    Error::InvalidInput(message.into())
}

/// Reads a pasted exchange (`curl -v` output, a `curl` command with its response, raw HTTP
/// text or a HAR file; see the module documentation) into the exchange `explain` takes.
///
/// Errors (`ERR_INVALID_INPUT`) name what is missing: an empty or oversized paste, a HAR
/// without entries, a request whose URL cannot be rebuilt (no `Host`), a `curl` command
/// without a URL or with an unclosed quote, a pick that matches nothing.
pub fn parse_exchange(text: &str, pick: Option<&EntryPick>) -> Result<Exchange> {
    if text.len() > MAX_PASTE_BYTES {
        return Err(invalid(format!(
            "the paste is {} bytes; at most 8 MiB ({MAX_PASTE_BYTES} bytes) is read: keep only \
             the refused request (one curl -v run, or a HAR with that entry)",
            text.len()
        )));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(invalid(format!("the paste is empty: {FORMS}")));
    }
    if text.contains('\0') {
        return Err(invalid(format!(
            "the paste holds NUL bytes: it is binary, not text; {FORMS}"
        )));
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        match json::from_str(trimmed) {
            Ok(v) => {
                if let Some(entries) = har_entries(&v)? {
                    return har_exchange(entries, pick);
                }
            }
            Err(e) if trimmed.contains("\"entries\"") || trimmed.contains("\"request\"") => {
                return Err(invalid(format!(
                    "the paste looks like a HAR file but is not valid JSON ({e}): save the HAR \
                     again and paste the whole file"
                )));
            }
            // JSON that is no HAR, or text that only starts with `{`: a response body.
            Err(_) => {}
        }
    }
    let lines = split_lines(text);
    let exchanges = if lines.iter().any(|l| is_curl_verbose_line(l.text)) {
        curl_verbose(text, &lines)?
    } else if let Some(start) = first_line_curl(&lines) {
        curl_command_exchange(text, start)?
    } else if lines
        .iter()
        .find(|l| !l.text.trim().is_empty())
        .is_some_and(|l| {
            request_line(l.text).is_some()
                || pseudo_request_start(l.text)
                || status_line(l.text).is_some()
        })
    {
        raw_http(&lines)?
    } else {
        vec![Exchange {
            request: None,
            response: response_from_text(text),
        }]
    };
    select(exchanges, pick)
}

// ---------------------------------------------------------------------------------------
// Lines and the small grammar shared by the text forms

#[derive(Clone, Copy)]
struct Line<'a> {
    /// Byte offset of the line in the paste.
    start: usize,
    /// The line without its `\n` or `\r\n`.
    text: &'a str,
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let t = piece.strip_suffix('\n').unwrap_or(piece);
        let t = t.strip_suffix('\r').unwrap_or(t);
        out.push(Line { start, text: t });
        start += piece.len();
    }
    out
}

fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// RFC 9110 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_tchar)
}

/// `METHOD target HTTP/x`: the method and the target.
fn request_line(s: &str) -> Option<(&str, &str)> {
    let s = s.trim();
    let (method, rest) = s.split_once(' ')?;
    let (target, version) = rest.trim().rsplit_once(' ')?;
    let target = target.trim();
    (is_token(method) && !target.is_empty() && version.starts_with("HTTP/"))
        .then_some((method, target))
}

/// `HTTP/x nnn reason`: the status code.
fn status_line(s: &str) -> Option<u16> {
    let rest = s.trim().strip_prefix("HTTP/")?;
    let (version, rest) = rest.split_once(' ')?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let rest = rest.trim_start();
    let code = rest.get(..3)?;
    if !code.bytes().all(|b| b.is_ascii_digit())
        || rest[3..].bytes().next().is_some_and(|b| b != b' ')
    {
        return None;
    }
    code.parse().ok()
}

/// `Name: value` (and HTTP/2 pseudo-headers `:path: /x`), trimmed.
fn split_header(s: &str) -> Option<(&str, &str)> {
    let from = usize::from(s.starts_with(':'));
    let i = s[from..].find(':')? + from;
    let name = s[..i].trim();
    (!name.is_empty()).then(|| (name, s[i + 1..].trim()))
}

/// A header line with a valid field name (pseudo-headers included).
fn strict_header(s: &str) -> Option<(&str, &str)> {
    let (name, value) = split_header(s)?;
    let bare = name.strip_prefix(':').unwrap_or(name);
    (is_token(bare) && s.starts_with(name)).then_some((name, value))
}

/// The first line of an HTTP/2 request shown as pseudo-headers (browsers' raw view).
fn pseudo_request_start(s: &str) -> bool {
    strict_header(s)
        .is_some_and(|(n, _)| matches!(n, ":method" | ":authority" | ":path" | ":scheme"))
}

fn owned(pairs: Vec<(&str, &str)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

/// The value of the first header named `name` (any case): the one header lookup of explain.
pub fn find_header<'a, N: AsRef<str>, V: AsRef<str>>(
    headers: &'a [(N, V)],
    name: &str,
) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.as_ref().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_ref())
}

/// Lines joined with `\n`, leading and trailing blank lines dropped; `None` when nothing is
/// left.
fn body_of(lines: &[&str]) -> Option<String> {
    let first = lines.iter().position(|l| !is_blank(l))?;
    let last = lines.iter().rposition(|l| !is_blank(l))?;
    Some(lines[first..=last].join("\n"))
}

fn absolute_target(target: &str) -> bool {
    let t = target.as_bytes();
    let starts = |p: &str| t.len() >= p.len() && t[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    starts("http://") || starts("https://")
}

/// The port written in a `Host` value (`host:8443`, `[::1]:80`).
fn host_port(host: &str) -> Option<u16> {
    let after = match host.rfind(']') {
        Some(i) => &host[i + 1..],
        None => host,
    };
    after.rsplit_once(':').and_then(|(_, p)| p.parse().ok())
}

fn join_url(scheme: &str, host: &str, target: &str) -> String {
    if absolute_target(target) {
        return target.to_owned();
    }
    let sep = if target.starts_with('/') || target.starts_with('?') || target == "*" {
        ""
    } else {
        "/"
    };
    let target = if target == "*" { "" } else { target };
    format!("{scheme}://{host}{sep}{target}")
}

// ---------------------------------------------------------------------------------------
// Picking one exchange

/// `1 entry`, `3 entries`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn is_refusal(status: Option<u16>) -> bool {
    matches!(status, Some(401 | 403))
}

fn select(mut exchanges: Vec<Exchange>, pick: Option<&EntryPick>) -> Result<Exchange> {
    let n = exchanges.len();
    if n == 0 {
        return Err(invalid(format!(
            "the paste holds no request and no response: {FORMS}"
        )));
    }
    let index = match pick {
        None => exchanges
            .iter()
            .rposition(|e| is_refusal(e.response.as_ref().and_then(|r| r.status)))
            .unwrap_or(n - 1),
        Some(EntryPick::Index(i)) if *i < n => *i,
        Some(EntryPick::Index(i)) => {
            return Err(invalid(format!(
                "the paste holds {}; there is no entry {i} (entries count from 0)",
                count(n, "exchange", "exchanges")
            )))
        }
        Some(EntryPick::UrlContains(needle)) => exchanges
            .iter()
            .position(|e| {
                e.request
                    .as_ref()
                    .is_some_and(|r| r.url.contains(needle.as_str()))
            })
            .ok_or_else(|| {
                invalid(format!(
                    "no exchange in the paste ({}) has a request URL containing {needle:?}",
                    count(n, "exchange", "exchanges")
                ))
            })?,
    };
    Ok(exchanges.swap_remove(index))
}
