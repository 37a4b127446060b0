//! `curl` command lines, and the shell quoting they are written in.

use super::raw::response_from_text;
use super::{invalid, is_blank, is_token, split_header, Exchange, HttpRequest, Line};
use atlassian_sign::encoding::percent_encode;
use atlassian_sign::error::Result;

/// Where `curl` starts in a line (after a shell prompt such as `$ `), if the line is a curl
/// command.
pub(super) fn curl_start(line: &str) -> Option<usize> {
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
pub(super) fn first_line_curl(lines: &[Line<'_>]) -> Option<usize> {
    let l = lines.iter().find(|l| !is_blank(l.text))?;
    curl_start(l.text).map(|o| l.start + o)
}

pub(super) fn curl_command_exchange(text: &str, start: usize) -> Result<Vec<Exchange>> {
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
pub(super) struct CurlCommand {
    method: Option<String>,
    pub(super) url: Option<String>,
    headers: Vec<(String, String)>,
    pub(super) body: Option<String>,
}

impl CurlCommand {
    pub(super) fn into_request(self) -> Result<HttpRequest> {
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
pub(super) fn parse_curl(s: &str) -> Result<(CurlCommand, usize)> {
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
