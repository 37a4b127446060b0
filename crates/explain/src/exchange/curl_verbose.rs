//! `curl -v` output.

use super::curl::{curl_start, parse_curl, CurlCommand};
use super::{
    absolute_target, body_of, find_header, host_port, invalid, is_blank, join_url, owned,
    request_line, split_header, status_line, Exchange, HttpRequest, HttpResponse, Line,
};
use atlassian_sign::error::Result;

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
pub(super) fn is_curl_verbose_line(line: &str) -> bool {
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

pub(super) fn curl_verbose(text: &str, lines: &[Line<'_>]) -> Result<Vec<Exchange>> {
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
