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

use crate::error::{Error, Result};
use crate::primitives::encoding::{b64_decode, percent_encode};
use crate::primitives::json::{self, Value};

/// The largest paste read: 8 MiB.
pub const MAX_PASTE_BYTES: usize = 8 * 1024 * 1024;

/// A request as it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
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

fn find_header<'a, N: AsRef<str>, V: AsRef<str>>(
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

// ---------------------------------------------------------------------------------------
// Responses on their own, and raw HTTP

/// A response from the lines that start at a status line; further status lines right after
/// an interim (1xx) or redirect (3xx) response's headers start the response taken instead.
/// Returns the response and the index of the line after it (`stop` ends its body).
fn raw_response(
    lines: &[Line<'_>],
    mut i: usize,
    stop: impl Fn(&str) -> bool,
) -> (HttpResponse, usize) {
    loop {
        let status = lines.get(i).and_then(|l| status_line(l.text));
        i += 1;
        let (headers, next) = header_block(lines, i);
        i = next;
        let mut j = i;
        while j < lines.len() && is_blank(lines[j].text) {
            j += 1;
        }
        let interim = status.is_some_and(|s| (100..200).contains(&s) || (300..400).contains(&s));
        if interim && j < lines.len() && status_line(lines[j].text).is_some() {
            i = j;
            continue;
        }
        let end = (i..lines.len())
            .find(|&k| stop(lines[k].text))
            .unwrap_or(lines.len());
        let body: Vec<&str> = lines[i..end].iter().map(|l| l.text).collect();
        let response = HttpResponse {
            status,
            headers,
            body: body_of(&body),
        };
        return (response, end);
    }
}

/// Header lines from `i` up to a blank line (consumed), a status line or a line that is no
/// header (both left); folded continuation lines (obsolete, RFC 9112 section 5.2) are joined
/// to the value they continue.
fn header_block(lines: &[Line<'_>], mut i: usize) -> (Vec<(String, String)>, usize) {
    let mut headers: Vec<(String, String)> = Vec::new();
    while let Some(l) = lines.get(i) {
        if is_blank(l.text) {
            i += 1;
            break;
        }
        if l.text.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(l.text.trim());
                i += 1;
                continue;
            }
        }
        if status_line(l.text).is_some() {
            break;
        }
        match strict_header(l.text) {
            Some((n, v)) => headers.push((n.to_owned(), v.to_owned())),
            None => break,
        }
        i += 1;
    }
    (headers, i)
}

/// Response header names that mark a block of lines as response headers.
#[rustfmt::skip]
const RESPONSE_HEADERS: &[&str] = &[
    "date", "www-authenticate", "content-type", "content-length", "server",
    "cache-control", "connection", "set-cookie", "vary", "location", "retry-after", "expires",
    "pragma", "transfer-encoding", "content-encoding", "strict-transport-security", "atl-traceid",
    ":status",
];

/// What a paste that holds no request says about the response: a status line, a block of
/// response headers, or only a body.
fn response_from_text(text: &str) -> Option<HttpResponse> {
    let lines = split_lines(text);
    let first = lines.iter().position(|l| !is_blank(l.text))?;
    if status_line(lines[first].text).is_some() {
        return Some(raw_response(&lines, first, |_| false).0);
    }
    let (headers, next) = header_block(&lines, first);
    let known = headers.iter().any(|(n, _)| {
        let n = n.to_ascii_lowercase();
        n.starts_with("x-") || RESPONSE_HEADERS.contains(&n.as_str())
    });
    let (headers, from) = if known {
        (headers, next)
    } else {
        (Vec::new(), first)
    };
    let status = find_header(&headers, ":status").and_then(|s| s.parse().ok());
    let body: Vec<&str> = lines[from..].iter().map(|l| l.text).collect();
    Some(HttpResponse {
        status,
        headers,
        body: body_of(&body),
    })
}

fn starts_exchange(s: &str) -> bool {
    request_line(s).is_some() || status_line(s).is_some()
}

/// Raw HTTP: request/response pairs, or responses alone.
fn raw_http(lines: &[Line<'_>]) -> Result<Vec<Exchange>> {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < lines.len() && is_blank(lines[i].text) {
            i += 1;
        }
        let Some(line) = lines.get(i) else { break };
        let mut exchange = Exchange::default();
        if let Some((method, target)) = request_line(line.text) {
            let (headers, next) = header_block(lines, i + 1);
            let end = (next..lines.len())
                .find(|&k| starts_exchange(lines[k].text))
                .unwrap_or(lines.len());
            let body: Vec<&str> = lines[next..end].iter().map(|l| l.text).collect();
            exchange.request = Some(raw_request(method, target, headers, body_of(&body))?);
            i = end;
        } else if pseudo_request_start(line.text) {
            let (headers, next) = header_block(lines, i);
            let method = find_header(&headers, ":method").unwrap_or("GET").to_owned();
            let target = find_header(&headers, ":path").unwrap_or("/").to_owned();
            let end = (next..lines.len())
                .find(|&k| starts_exchange(lines[k].text))
                .unwrap_or(lines.len());
            let body: Vec<&str> = lines[next..end].iter().map(|l| l.text).collect();
            exchange.request = Some(raw_request(&method, &target, headers, body_of(&body))?);
            i = end;
        } else if status_line(line.text).is_none() {
            // Text that continues no exchange (cannot happen after the first): stop.
            break;
        }
        if lines.get(i).is_some_and(|l| status_line(l.text).is_some()) {
            let (response, end) = raw_response(lines, i, |s| request_line(s).is_some());
            exchange.response = Some(response);
            i = end;
        }
        out.push(exchange);
    }
    Ok(out)
}

fn raw_request(
    method: &str,
    target: &str,
    headers: Vec<(String, String)>,
    body: Option<String>,
) -> Result<HttpRequest> {
    let url = if absolute_target(target) {
        target.to_owned()
    } else {
        let host = find_header(&headers, ":authority")
            .or_else(|| find_header(&headers, "host"))
            .filter(|h| !h.is_empty())
            .ok_or_else(|| {
                invalid(format!(
                    "the raw {method} request has no Host header: add the Host line so the URL \
                     can be rebuilt"
                ))
            })?;
        let scheme = match find_header(&headers, ":scheme") {
            Some(s) if !s.is_empty() => s.to_ascii_lowercase(),
            _ if host_port(host) == Some(80) => "http".to_owned(),
            _ => "https".to_owned(),
        };
        join_url(&scheme, host, target)
    };
    Ok(HttpRequest {
        method: method.to_owned(),
        url,
        headers,
        body,
    })
}

// ---------------------------------------------------------------------------------------
// curl -v

enum Mark<'a> {
    /// `* ...`
    Info(&'a str),
    /// `> ...`
    Out(&'a str),
    /// `< ...`
    In(&'a str),
    /// `{ [n bytes data]`, `} [...]`
    Data,
    /// Anything else: a body line, a progress meter, the command.
    Text,
}

fn mark(line: &str) -> Mark<'_> {
    if line == "*" {
        return Mark::Info("");
    }
    if let Some(r) = line.strip_prefix("* ") {
        return Mark::Info(r);
    }
    if line == ">" {
        return Mark::Out("");
    }
    if let Some(r) = line.strip_prefix("> ") {
        return Mark::Out(r);
    }
    if line == "<" {
        return Mark::In("");
    }
    if let Some(r) = line.strip_prefix("< ") {
        return Mark::In(r);
    }
    if line.starts_with("{ [") || line.starts_with("} [") {
        return Mark::Data;
    }
    Mark::Text
}

/// A line only `curl -v` writes: a request line after `> `, a status line after `< `, or
/// its connection lines.
fn is_curl_verbose_line(line: &str) -> bool {
    match mark(line) {
        Mark::Out(r) => request_line(r).is_some(),
        Mark::In(r) => status_line(r).is_some(),
        Mark::Info(r) => {
            let r = r.trim_start();
            r.starts_with("Trying ")
                || r.starts_with("Connected to ")
                || r.starts_with("Could not resolve host")
                || r.starts_with("Failed to connect")
        }
        _ => false,
    }
}

#[derive(Clone, Default)]
struct Conn {
    host: Option<String>,
    port: Option<u16>,
    tls: bool,
}

struct VRequest<'a> {
    method: &'a str,
    target: &'a str,
    headers: Vec<(&'a str, &'a str)>,
    conn: Conn,
}

struct VResponse<'a> {
    status: Option<u16>,
    headers: Vec<(&'a str, &'a str)>,
    body: Vec<&'a str>,
}

#[derive(Default)]
struct VExchange<'a> {
    request: Option<VRequest<'a>>,
    response: Option<VResponse<'a>>,
}

#[derive(PartialEq, Eq)]
enum Phase {
    Other,
    RequestHeaders,
    ResponseHeaders,
    ResponseBody,
}

/// `Connected to HOST (IP) port N`: the host and the port.
fn connected_to(info: &str) -> Option<(String, Option<u16>)> {
    let rest = info.trim_start().strip_prefix("Connected to ")?;
    let host = rest.split(' ').next().unwrap_or_default().to_owned();
    let port = rest.split_once(" port ").and_then(|(_, p)| {
        let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    });
    Some((host, port))
}

fn curl_verbose(text: &str, lines: &[Line<'_>]) -> Result<Vec<Exchange>> {
    let first_mark = lines
        .iter()
        .position(|l| !matches!(mark(l.text), Mark::Text))
        .unwrap_or(lines.len());
    // A curl command pasted above the output gives the scheme and the request body; the
    // output is the evidence, so a command that cannot be read is passed over.
    let command = lines[..first_mark]
        .iter()
        .find_map(|l| curl_start(l.text).map(|o| l.start + o))
        .and_then(|start| parse_curl(&text[start..]).ok())
        .map(|(c, _)| c);

    let mut exchanges: Vec<VExchange<'_>> = Vec::new();
    let mut current = VExchange::default();
    let mut conn = Conn::default();
    let mut saw_443 = false;
    let mut phase = Phase::Other;
    for line in &lines[first_mark..] {
        let mut text_line = line.text;
        if phase == Phase::ResponseBody || phase == Phase::ResponseHeaders {
            if let Mark::Text = mark(text_line) {
                // A body without a final line break runs into curl's next info line.
                let glued = ["* Connection #", "* Closing connection"]
                    .iter()
                    .filter_map(|m| text_line.find(m))
                    .min();
                let (body, rest) = match glued {
                    Some(k) => (&text_line[..k], Some(&text_line[k..])),
                    None => (text_line, None),
                };
                if let Some(r) = current.response.as_mut() {
                    r.body.push(body);
                }
                phase = Phase::ResponseBody;
                match rest {
                    Some(rest) => text_line = rest,
                    None => continue,
                }
            }
        }
        match mark(text_line) {
            Mark::Info(info) => {
                if let Some((host, port)) = connected_to(info) {
                    conn = Conn {
                        host: Some(host),
                        port,
                        tls: false,
                    };
                }
                if info.contains("TLS") || info.contains("SSL") || info.contains("ALPN") {
                    conn.tls = true;
                }
                if info.contains("port 443") || info.contains(":443") {
                    saw_443 = true;
                }
                if phase == Phase::ResponseBody {
                    phase = Phase::Other;
                }
            }
            Mark::Out(r) => {
                if let Some((method, target)) = request_line(r) {
                    exchanges.push(std::mem::take(&mut current));
                    current.request = Some(VRequest {
                        method,
                        target,
                        headers: Vec::new(),
                        conn: conn.clone(),
                    });
                    phase = Phase::RequestHeaders;
                } else if phase == Phase::RequestHeaders {
                    if is_blank(r) {
                        phase = Phase::Other;
                    } else if let (Some(h), Some(req)) = (split_header(r), current.request.as_mut())
                    {
                        req.headers.push(h);
                    }
                }
            }
            Mark::In(r) => {
                if let Some(status) = status_line(r) {
                    let replace = current
                        .response
                        .as_ref()
                        .is_none_or(|p| p.status.is_some_and(|s| s < 200));
                    if !replace {
                        exchanges.push(std::mem::take(&mut current));
                    }
                    current.response = Some(VResponse {
                        status: Some(status),
                        headers: Vec::new(),
                        body: Vec::new(),
                    });
                    phase = Phase::ResponseHeaders;
                } else if phase == Phase::ResponseHeaders {
                    if is_blank(r) {
                        phase = Phase::ResponseBody;
                    } else if let (Some(h), Some(resp)) =
                        (split_header(r), current.response.as_mut())
                    {
                        resp.headers.push(h);
                    }
                }
            }
            Mark::Data | Mark::Text => {}
        }
    }
    exchanges.push(current);
    exchanges.retain(|e| e.request.is_some() || e.response.is_some());
    if exchanges.is_empty() {
        return Err(invalid(
            "the curl -v output shows no request (`> ` lines) and no response (`< ` lines): \
             the connection failed before anything was sent, or those lines were not pasted",
        ));
    }
    // The CONNECT of a proxy tunnel is not the request that was refused.
    let is_connect = |e: &VExchange<'_>| {
        e.request
            .as_ref()
            .is_some_and(|r| r.method.eq_ignore_ascii_case("CONNECT"))
    };
    if exchanges.iter().any(|e| !is_connect(e)) {
        exchanges.retain(|e| !is_connect(e));
    }

    let mut command = command;
    let mut out = Vec::with_capacity(exchanges.len());
    for (k, e) in exchanges.into_iter().enumerate() {
        let request = match e.request {
            Some(r) => {
                // curl -v does not print the body it sends: the command above shows it.
                let body = if k == 0 {
                    command.as_mut().and_then(|c| c.body.take())
                } else {
                    None
                };
                Some(verbose_request(r, command.as_ref(), saw_443, body)?)
            }
            None if k == 0 => command.take().map(CurlCommand::into_request).transpose()?,
            None => None,
        };
        let response = e.response.map(|r| HttpResponse {
            status: r.status,
            headers: owned(r.headers),
            body: body_of(&r.body),
        });
        out.push(Exchange { request, response });
    }
    Ok(out)
}

fn verbose_request(
    r: VRequest<'_>,
    command: Option<&CurlCommand>,
    saw_443: bool,
    body: Option<String>,
) -> Result<HttpRequest> {
    let host_header = find_header(&r.headers, ":authority")
        .or_else(|| find_header(&r.headers, "host"))
        .filter(|h| !h.is_empty());
    let command_url = command
        .and_then(|c| c.url.as_deref())
        .map(split_scheme_authority);
    let scheme = if let Some(s) = find_header(&r.headers, ":scheme").filter(|s| !s.is_empty()) {
        s.to_ascii_lowercase()
    } else if r.conn.tls {
        "https".to_owned()
    } else if let Some((s, _)) = &command_url {
        s.clone()
    } else if r.conn.port == Some(443) || saw_443 || host_header.and_then(host_port) == Some(443) {
        "https".to_owned()
    } else {
        "http".to_owned()
    };
    let url = if absolute_target(r.target) {
        r.target.to_owned()
    } else {
        let default_port = if scheme == "https" { 443 } else { 80 };
        let host = match (host_header, &r.conn.host, &command_url) {
            (Some(h), _, _) => h.to_owned(),
            (None, Some(h), _) => match r.conn.port {
                Some(p) if p != default_port => format!("{h}:{p}"),
                _ => h.clone(),
            },
            (None, None, Some((_, authority))) => (*authority).to_owned(),
            (None, None, None) => {
                return Err(invalid(format!(
                    "the {} request in the curl -v output has no Host header and the paste names \
                     no host (no `* Connected to` line, no curl command): add the `> Host:` line",
                    r.method
                )))
            }
        };
        join_url(&scheme, &host, r.target)
    };
    Ok(HttpRequest {
        method: r.method.to_owned(),
        url,
        headers: owned(r.headers),
        body,
    })
}

/// `scheme://authority/...`: the lowercased scheme and the authority.
fn split_scheme_authority(url: &str) -> (String, &str) {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            (scheme.to_ascii_lowercase(), &rest[..end])
        }
        None => ("http".to_owned(), url),
    }
}

// ---------------------------------------------------------------------------------------
// curl commands

/// Where `curl` starts in a line (after a shell prompt such as `$ `), if the line is a curl
/// command.
fn curl_start(line: &str) -> Option<usize> {
    let t = line.trim_start();
    let mut at = line.len() - t.len();
    let mut rest = t;
    if !rest.starts_with("curl") {
        let p = ["$ curl", "% curl", "# curl", "> curl"]
            .iter()
            .filter_map(|m| rest.find(m))
            .min()?;
        at += p + 2;
        rest = &rest[p + 2..];
    }
    let after = rest
        .strip_prefix("curl.exe")
        .or_else(|| rest.strip_prefix("curl"))?;
    (after.is_empty() || after.starts_with([' ', '\t', '\\'])).then_some(at)
}

/// The first non-blank line, if it starts a curl command: its byte offset.
fn first_line_curl(lines: &[Line<'_>]) -> Option<usize> {
    let l = lines.iter().find(|l| !is_blank(l.text))?;
    curl_start(l.text).map(|o| l.start + o)
}

fn curl_command_exchange(text: &str, start: usize) -> Result<Vec<Exchange>> {
    let (command, used) = parse_curl(&text[start..])?;
    let request = command.into_request()?;
    let rest = &text[start + used..];
    let response = response_from_text(rest);
    Ok(vec![Exchange {
        request: Some(request),
        response,
    }])
}

#[derive(Default)]
struct CurlCommand {
    method: Option<String>,
    url: Option<String>,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

impl CurlCommand {
    fn into_request(self) -> Result<HttpRequest> {
        let url = self.url.ok_or_else(|| {
            invalid("the curl command has no URL: paste the whole command, URL included")
        })?;
        Ok(HttpRequest {
            method: self.method.unwrap_or_else(|| "GET".to_owned()),
            url,
            headers: self.headers,
            body: self.body,
        })
    }
}

/// Splits a command into shell words as bash would (quotes, `$'...'`, `\` escapes and
/// line continuations; `^` and `` ` `` continuations of cmd and PowerShell too). The
/// command ends at an unquoted line break, or at the end of a line holding `|`, `;`, `&&`
/// or a comment. Redirections (`> file`, `2>&1`) are dropped. Returns the words and the
/// bytes used.
fn shell_words(s: &str) -> Result<(Vec<String>, usize)> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut skip_next = false;
    let mut it = s.char_indices().peekable();
    let mut end = s.len();

    fn finish(words: &mut Vec<String>, cur: &mut String, in_word: &mut bool, skip: &mut bool) {
        if *in_word {
            if *skip {
                *skip = false;
            } else {
                words.push(std::mem::take(cur));
            }
        }
        cur.clear();
        *in_word = false;
    }
    let unclosed = |q: &str| {
        invalid(format!(
            "the curl command has an unclosed {q} quote: paste the whole command"
        ))
    };

    while let Some((i, c)) = it.next() {
        match c {
            '\\' | '^' | '`' => {
                let next = it.peek().map(|&(_, n)| n);
                match next {
                    Some('\n') => {
                        it.next();
                    }
                    Some('\r') => {
                        it.next();
                        if it.peek().is_some_and(|&(_, n)| n == '\n') {
                            it.next();
                        }
                    }
                    Some(n) if c == '\\' => {
                        it.next();
                        cur.push(n);
                        in_word = true;
                    }
                    None if c == '\\' => {}
                    _ => {
                        cur.push(c);
                        in_word = true;
                    }
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match it.next() {
                        Some((_, '\'')) => break,
                        Some((_, ch)) => cur.push(ch),
                        None => return Err(unclosed("'")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match it.next() {
                        Some((_, '"')) => break,
                        Some((_, '\\')) => match it.peek().map(|&(_, n)| n) {
                            Some(e @ ('"' | '\\' | '$' | '`')) => {
                                it.next();
                                cur.push(e);
                            }
                            Some('\n') => {
                                it.next();
                            }
                            _ => cur.push('\\'),
                        },
                        Some((_, ch)) => cur.push(ch),
                        None => return Err(unclosed("\"")),
                    }
                }
            }
            '$' if it.peek().is_some_and(|&(_, n)| n == '\'') => {
                it.next();
                in_word = true;
                ansi_c_quoted(&mut it, &mut cur).ok_or_else(|| unclosed("$'"))?;
            }
            ' ' | '\t' | '\r' => finish(&mut words, &mut cur, &mut in_word, &mut skip_next),
            '\n' => {
                end = i + 1;
                break;
            }
            '|' | ';' | '&' | '#' if !in_word => {
                // Another command or a comment follows: the rest of the line is not curl's.
                end = s[i..].find('\n').map_or(s.len(), |k| i + k + 1);
                break;
            }
            '>' | '<' => {
                if in_word && cur.bytes().all(|b| b.is_ascii_digit()) {
                    cur.clear();
                    in_word = false;
                } else {
                    finish(&mut words, &mut cur, &mut in_word, &mut skip_next);
                }
                while it
                    .peek()
                    .is_some_and(|&(_, n)| matches!(n, '>' | '&' | '|'))
                {
                    it.next();
                }
                skip_next = true;
            }
            _ => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    finish(&mut words, &mut cur, &mut in_word, &mut skip_next);
    Ok((words, end))
}

/// The body of a `$'...'` word (after the opening quote), escapes decoded; `None` when the
/// quote is not closed.
fn ansi_c_quoted(
    it: &mut core::iter::Peekable<core::str::CharIndices<'_>>,
    out: &mut String,
) -> Option<()> {
    let mut bytes: Vec<u8> = Vec::new();
    let digits = |it: &mut core::iter::Peekable<core::str::CharIndices<'_>>,
                  radix: u32,
                  max: usize,
                  first: Option<u32>| {
        let mut v = first.unwrap_or(0);
        let mut n = usize::from(first.is_some());
        while n < max {
            match it.peek().and_then(|&(_, d)| d.to_digit(radix)) {
                Some(d) => {
                    v = v.saturating_mul(radix).saturating_add(d);
                    it.next();
                    n += 1;
                }
                None => break,
            }
        }
        (n > 0).then_some(v)
    };
    loop {
        let (_, c) = it.next()?;
        match c {
            '\'' => break,
            '\\' => {
                let (_, e) = it.next()?;
                let simple = match e {
                    'n' => Some(b'\n'),
                    't' => Some(b'\t'),
                    'r' => Some(b'\r'),
                    'a' => Some(7),
                    'b' => Some(8),
                    'e' | 'E' => Some(27),
                    'f' => Some(12),
                    'v' => Some(11),
                    '\\' => Some(b'\\'),
                    '\'' => Some(b'\''),
                    '"' => Some(b'"'),
                    '?' => Some(b'?'),
                    _ => None,
                };
                if let Some(b) = simple {
                    bytes.push(b);
                    continue;
                }
                match e {
                    'x' => match digits(it, 16, 2, None) {
                        Some(v) => bytes.push(v as u8),
                        None => bytes.extend_from_slice(b"\\x"),
                    },
                    'u' | 'U' => {
                        let max = if e == 'u' { 4 } else { 8 };
                        match digits(it, 16, max, None).and_then(char::from_u32) {
                            Some(ch) => {
                                let mut buf = [0u8; 4];
                                bytes.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                            }
                            None => {
                                bytes.push(b'\\');
                                bytes.push(e as u8);
                            }
                        }
                    }
                    '0'..='7' => {
                        let v = digits(it, 8, 3, e.to_digit(8)).unwrap_or(0);
                        bytes.push((v & 0xff) as u8);
                    }
                    'c' => {
                        let (_, ctl) = it.next()?;
                        bytes.push((ctl as u32 & 0x1f) as u8);
                    }
                    other => {
                        bytes.push(b'\\');
                        let mut buf = [0u8; 4];
                        bytes.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
                    }
                }
            }
            other => {
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push_str(&String::from_utf8_lossy(&bytes));
    Some(())
}

/// curl's long options that take an argument (those the request does not depend on are
/// read only to skip their argument).
#[rustfmt::skip]
const LONG_WITH_ARG: &[&str] = &[
    "request", "header", "data", "data-ascii", "data-binary", "data-raw",
    "data-urlencode", "json", "form", "form-string", "user", "cookie", "user-agent", "referer",
    "url", "oauth2-bearer", "upload-file", "url-query", "output", "proxy", "max-time",
    "connect-timeout", "write-out", "cacert", "capath", "cert", "cert-type", "key", "key-type",
    "pass", "resolve", "config", "retry", "retry-delay", "retry-max-time", "limit-rate",
    "cookie-jar", "dump-header", "range", "time-cond", "max-redirs", "interface", "dns-servers",
    "proxy-user", "connect-to", "trace", "trace-ascii", "stderr", "local-port", "max-filesize",
    "ciphers", "tls-max", "aws-sigv4", "variable", "request-target", "unix-socket",
    "abstract-unix-socket", "noproxy", "proxy-header", "preproxy", "socks4", "socks4a", "socks5",
    "socks5-hostname", "netrc-file", "keepalive-time", "speed-limit", "speed-time", "output-dir",
    "continue-at", "quote", "pinnedpubkey", "crlfile", "proto", "proto-redir", "proto-default",
    "alt-svc", "hsts", "doh-url", "parallel-max", "rate", "expect100-timeout",
    "happy-eyeballs-timeout-ms", "sasl-authzid", "login-options", "service-name", "telnet-option",
    "ftp-port", "mail-from", "mail-rcpt", "etag-compare", "etag-save", "ipfs-gateway",
];

/// curl's short options that take an argument.
const SHORT_WITH_ARG: &str = "AbcCdDeEFHKmoPQrtTuUwxXyYz";

/// Parses a curl command from its first word on; returns it and the bytes used.
fn parse_curl(s: &str) -> Result<(CurlCommand, usize)> {
    let (words, used) = shell_words(s)?;
    let mut opts = CurlOptions::default();
    let mut i = 1;
    while i < words.len() {
        let w = &words[i];
        i += 1;
        if let Some(long) = w.strip_prefix("--") {
            if LONG_WITH_ARG.contains(&long) {
                let value = words.get(i).cloned();
                i += 1;
                if let Some(v) = value {
                    opts.apply(long, v);
                }
            } else {
                opts.flag(long);
            }
        } else if w.len() > 1 && w.starts_with('-') {
            for (j, c) in w[1..].char_indices() {
                let long = match c {
                    'X' => "request",
                    'H' => "header",
                    'd' => "data",
                    'F' => "form",
                    'b' => "cookie",
                    'A' => "user-agent",
                    'e' => "referer",
                    'T' => "upload-file",
                    'G' => "get",
                    'I' => "head",
                    _ => "",
                };
                if SHORT_WITH_ARG.contains(c) {
                    let attached = &w[1 + j + c.len_utf8()..];
                    let value = if attached.is_empty() {
                        i += 1;
                        words.get(i - 1).cloned()
                    } else {
                        Some(attached.to_owned())
                    };
                    if let Some(v) = value {
                        opts.apply(long, v);
                    }
                    break;
                }
                opts.flag(long);
            }
        } else {
            opts.positional.push(w.clone());
        }
    }
    Ok((opts.finish(), used))
}

#[derive(Default)]
struct CurlOptions {
    method: Option<String>,
    explicit_url: Option<String>,
    positional: Vec<String>,
    headers: Vec<(String, String)>,
    data: Vec<String>,
    json: Vec<String>,
    url_query: Vec<String>,
    data_from_file: bool,
    multipart: bool,
    upload: bool,
    get: bool,
    head: bool,
}

/// `--data-urlencode` (and `--url-query`) content: `content`, `=content`, `name=content`
/// encoded as curl encodes them; `None` for the forms that read a file.
fn urlencode_part(v: &str) -> Option<String> {
    match v.find(['=', '@']) {
        None => Some(percent_encode(v)),
        Some(p) if v.as_bytes()[p] == b'=' => {
            let (name, content) = (&v[..p], &v[p + 1..]);
            Some(if name.is_empty() {
                percent_encode(content)
            } else {
                format!("{name}={}", percent_encode(content))
            })
        }
        Some(_) => None,
    }
}

impl CurlOptions {
    fn apply(&mut self, long: &str, v: String) {
        match long {
            "request" => self.method = Some(v),
            "header" => {
                if let Some(name) = v.strip_suffix(';').filter(|n| is_token(n)) {
                    // `Name;` sends the header with an empty value.
                    self.headers.push((name.to_owned(), String::new()));
                } else if let Some((name, value)) = split_header(&v) {
                    // `Name:` with nothing after it removes a header curl would send.
                    if !value.is_empty() {
                        self.headers.push((name.to_owned(), value.to_owned()));
                    }
                }
            }
            "data" | "data-ascii" | "data-binary" => {
                if v.starts_with('@') {
                    self.data_from_file = true;
                } else {
                    self.data.push(v);
                }
            }
            "data-raw" => self.data.push(v),
            "data-urlencode" => match urlencode_part(&v) {
                Some(part) => self.data.push(part),
                None => self.data_from_file = true,
            },
            "json" => {
                if v.starts_with('@') {
                    self.data_from_file = true;
                }
                self.json.push(v);
            }
            "url-query" => {
                let part = match v.strip_prefix('+') {
                    Some(raw) => Some(raw.to_owned()),
                    None => urlencode_part(&v),
                };
                self.url_query.extend(part);
            }
            "form" | "form-string" => self.multipart = true,
            "upload-file" => self.upload = true,
            "cookie" if v.contains('=') => self.headers.push(("Cookie".to_owned(), v)),
            "user-agent" => self.headers.push(("User-Agent".to_owned(), v)),
            "referer" => {
                let r = v.strip_suffix(";auto").unwrap_or(&v).to_owned();
                if !r.is_empty() {
                    self.headers.push(("Referer".to_owned(), r));
                }
            }
            "oauth2-bearer" => self
                .headers
                .push(("Authorization".to_owned(), format!("Bearer {v}"))),
            "url" if self.explicit_url.is_none() => self.explicit_url = Some(v),
            // -u and everything else do not change the request explain reads.
            _ => {}
        }
    }

    fn flag(&mut self, long: &str) {
        match long {
            "get" => self.get = true,
            "head" => self.head = true,
            _ => {}
        }
    }

    fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    fn finish(mut self) -> CurlCommand {
        let url = self.explicit_url.take().or_else(|| {
            let k = self
                .positional
                .iter()
                .position(|p| p.contains("://"))
                .unwrap_or(0);
            (k < self.positional.len()).then(|| self.positional.swap_remove(k))
        });
        let mut url = url.map(|u| normalise_curl_url(&u));
        let has_data = !self.data.is_empty() || !self.json.is_empty() || self.data_from_file;
        let method = self.method.take().or_else(|| {
            Some(
                if self.head {
                    "HEAD"
                } else if self.get {
                    "GET"
                } else if has_data || self.multipart {
                    "POST"
                } else if self.upload {
                    "PUT"
                } else {
                    "GET"
                }
                .to_owned(),
            )
        });
        let mut query_parts = std::mem::take(&mut self.url_query);
        let mut body = None;
        if self.get {
            query_parts.extend(std::mem::take(&mut self.data));
        } else if !self.data_from_file {
            if !self.json.is_empty() {
                body = Some(self.json.concat());
            } else if !self.data.is_empty() {
                body = Some(self.data.join("&"));
            }
        }
        if let Some(u) = url.as_mut() {
            if !query_parts.is_empty() {
                u.push(if u.contains('?') { '&' } else { '?' });
                u.push_str(&query_parts.join("&"));
            }
        }
        if !self.get && has_data && !self.has_header("content-type") {
            let ct = if self.json.is_empty() {
                "application/x-www-form-urlencoded"
            } else {
                "application/json"
            };
            self.headers
                .push(("Content-Type".to_owned(), ct.to_owned()));
        }
        if !self.json.is_empty() && !self.has_header("accept") {
            self.headers
                .push(("Accept".to_owned(), "application/json".to_owned()));
        }
        CurlCommand {
            method,
            url,
            headers: self.headers,
            body: body.filter(|b| !b.is_empty()),
        }
    }
}

/// curl's reading of a URL: `http://` when no scheme is written, no fragment, `/` as the
/// path when there is none.
fn normalise_curl_url(u: &str) -> String {
    let u = u.split('#').next().unwrap_or_default();
    let mut url = if u.contains("://") {
        u.to_owned()
    } else {
        format!("http://{u}")
    };
    if let Some(k) = url.find("://") {
        let rest = &url[k + 3..];
        let path_at = rest.find(['/', '?']);
        match path_at {
            None => url.push('/'),
            Some(p) if rest.as_bytes()[p] == b'?' => url.insert(k + 3 + p, '/'),
            Some(_) => {}
        }
    }
    url
}

// ---------------------------------------------------------------------------------------
// HAR

/// The entries of a HAR (`log.entries`), or of one entry copied on its own; `None` for JSON
/// that is no HAR.
fn har_entries(v: &Value) -> Result<Option<&[Value]>> {
    let Some(top) = v.as_object() else {
        return Ok(None);
    };
    if let Some(log) = top.get("log") {
        return match log.get("entries") {
            Some(Value::Array(entries)) if entries.is_empty() => Err(invalid(
                "the HAR file has no entries (log.entries is empty): record the refused request \
                 in the Network tab of devtools, then save the HAR again",
            )),
            Some(Value::Array(entries)) => Ok(Some(entries)),
            _ => Err(invalid(
                "the HAR file has no log.entries array: save the HAR again from the Network tab",
            )),
        };
    }
    if top.get("request").is_some_and(Value::is_object)
        && top.get("response").is_some_and(Value::is_object)
    {
        return Ok(Some(core::slice::from_ref(v)));
    }
    Ok(None)
}

fn har_exchange(entries: &[Value], pick: Option<&EntryPick>) -> Result<Exchange> {
    let n = entries.len();
    let status = |e: &Value| e["response"]["status"].as_u64();
    let index = match pick {
        None => entries
            .iter()
            .rposition(|e| matches!(status(e), Some(401 | 403)))
            .unwrap_or(n - 1),
        Some(EntryPick::Index(i)) if *i < n => *i,
        Some(EntryPick::Index(i)) => {
            return Err(invalid(format!(
                "the HAR file has {}; there is no entry {i} (entries count from 0)",
                count(n, "entry", "entries")
            )))
        }
        Some(EntryPick::UrlContains(needle)) => entries
            .iter()
            .position(|e| {
                e["request"]["url"]
                    .as_str()
                    .is_some_and(|u| u.contains(needle.as_str()))
            })
            .ok_or_else(|| {
                invalid(format!(
                    "no entry of the HAR file ({}) has a request URL containing {needle:?}",
                    count(n, "entry", "entries")
                ))
            })?,
    };
    har_entry(&entries[index], index)
}

fn har_pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|h| {
                    let name = h["name"].as_str()?;
                    Some((
                        name.to_owned(),
                        h["value"].as_str().unwrap_or_default().to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn har_entry(e: &Value, i: usize) -> Result<Exchange> {
    let missing = |what: &str| invalid(format!("entry {i} of the HAR file has no {what}"));
    let request = match e.get("request") {
        Some(r) if r.is_object() => {
            let method = r["method"]
                .as_str()
                .ok_or_else(|| missing("request.method"))?;
            let url = r["url"].as_str().ok_or_else(|| missing("request.url"))?;
            let post = &r["postData"];
            let body = match post["text"].as_str() {
                Some(t) => Some(t.to_owned()),
                None => post["params"].as_array().map(|ps| {
                    ps.iter()
                        .filter_map(|p| {
                            let name = p["name"].as_str()?;
                            let value = p["value"].as_str().unwrap_or_default();
                            Some(format!(
                                "{}={}",
                                percent_encode(name),
                                percent_encode(value)
                            ))
                        })
                        .collect::<Vec<_>>()
                        .join("&")
                }),
            };
            Some(HttpRequest {
                method: method.to_owned(),
                url: url.to_owned(),
                headers: har_pairs(&r["headers"]),
                body: body.filter(|b| !b.is_empty()),
            })
        }
        Some(_) => return Err(missing("request object")),
        None => None,
    };
    let response = match e.get("response") {
        Some(r) if r.is_object() => {
            let content = &r["content"];
            let body = match content["text"].as_str() {
                Some(t) if content["encoding"].as_str() == Some("base64") => {
                    let bytes = b64_decode(t).ok_or_else(|| {
                        invalid(format!(
                            "entry {i} of the HAR file has a response.content.text marked base64 \
                             that is not base64"
                        ))
                    })?;
                    Some(String::from_utf8_lossy(&bytes).into_owned())
                }
                Some(t) => Some(t.to_owned()),
                None => None,
            };
            Some(HttpResponse {
                // Browsers record 0 for a request that got no answer.
                status: r["status"]
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .filter(|s| (100..1000).contains(s)),
                headers: har_pairs(&r["headers"]),
                body: body.filter(|b| !b.is_empty()),
            })
        }
        _ => None,
    };
    if request.is_none() && response.is_none() {
        return Err(missing("request and no response"));
    }
    Ok(Exchange { request, response })
}
