//! What the paste-parser tests share: the corpus folder and small readers.
#![allow(dead_code)] // each test file uses its own subset

use atlassian_sign::json::Value;
use atlassian_sign_explain::exchange::{
    parse_exchange, EntryPick, Exchange, HttpRequest, HttpResponse,
};

pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/explain-corpus");

pub fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{CORPUS}/{path}")).expect(path)
}

pub fn parse(text: &str) -> Exchange {
    parse_exchange(text, None).expect("parses")
}

pub fn request(text: &str) -> HttpRequest {
    parse(text).request.expect("a request")
}

pub fn response(text: &str) -> HttpResponse {
    parse(text).response.expect("a response")
}

pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

/// The message of an `ERR_INVALID_INPUT` error.
pub fn refused(text: &str, pick: Option<&EntryPick>) -> String {
    let e = parse_exchange(text, pick).expect_err("refused");
    assert_eq!(e.code(), "ERR_INVALID_INPUT", "{e}");
    e.to_string()
}

pub fn object_pairs(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .expect("headers object")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("header value").to_owned()))
        .collect()
}
