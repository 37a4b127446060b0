//! Responses on their own, and raw HTTP.

use super::{
    absolute_target, body_of, find_header, host_port, invalid, is_blank, join_url,
    pseudo_request_start, request_line, split_lines, status_line, strict_header, Exchange,
    HttpRequest, HttpResponse, Line,
};
use atlassian_sign::error::Result;

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
pub(super) fn response_from_text(text: &str) -> Option<HttpResponse> {
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
pub(super) fn raw_http(lines: &[Line<'_>]) -> Result<Vec<Exchange>> {
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
