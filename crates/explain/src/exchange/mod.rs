//! The request a person sent and the answer they got, as `explain` reads them (see
//! `exchange_input.rs`). Pastes (`curl -v` output, `curl` commands, raw HTTP, HAR files) are
//! read into this shape by the JavaScript facade (`parseExchange`, pkg-template/src/exchange/),
//! not here: that is text handling, and the core keeps what signs, canonicalises or decodes.

/// A request as it was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method as written (`GET`, `POST`, ...).
    pub method: String,
    /// The full URL with its query (`https://host/path?query`).
    pub url: String,
    /// Every header, in the order and case they were given.
    pub headers: Vec<(String, String)>,
    /// The body text, when there is one.
    pub body: Option<String>,
}

/// A response as it was received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code, when it is known.
    pub status: Option<u16>,
    /// Every header, in the order and case they were given.
    pub headers: Vec<(String, String)>,
    /// The body text, when there is one.
    pub body: Option<String>,
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
