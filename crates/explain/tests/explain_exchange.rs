//! The paste parser behind `explain`: `curl -v` output, curl commands, raw HTTP and HAR files
//! read into the exchange `explain` takes. The hand-checked pastes of the explain corpus must
//! give the corpus entries' requests and responses; every bad paste gives a typed error or a
//! partial exchange, never a panic.

use atlassian_sign::json;
use atlassian_sign_explain::exchange::{parse_exchange, EntryPick, MAX_PASTE_BYTES};
use proptest::prelude::*;

mod exchange_common;
use exchange_common::*;

// ---------------------------------------------------------------------------------------
// The corpus pastes

#[test]
fn corpus_pastes_give_the_corpus_entries() {
    let index = json::from_str(&read("pastes/index.json")).unwrap();
    let corpus = json::from_str(&read("corpus.json")).unwrap();
    let entries = corpus["entries"].as_array().unwrap();
    let pastes = index["entries"].as_array().unwrap();
    assert_eq!(pastes.len(), 6);
    for paste in pastes {
        let file = paste["file"].as_str().unwrap();
        let id = paste["entry"].as_str().unwrap();
        let text = read(file);
        let entry = entries
            .iter()
            .find(|e| e["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("{id} in corpus.json"));
        let want_req = &entry["input"]["request"];
        let want_res = &entry["input"]["response"];

        let picks: Vec<Option<EntryPick>> = match paste["harEntry"].as_u64() {
            // The default (the last 401/403) and the index index.json gives agree.
            Some(i) => vec![None, Some(EntryPick::Index(i as usize))],
            None => vec![None],
        };
        for pick in picks {
            let ex = parse_exchange(&text, pick.as_ref()).unwrap_or_else(|e| panic!("{file}: {e}"));
            let req = ex
                .request
                .as_ref()
                .unwrap_or_else(|| panic!("{file}: request"));
            assert_eq!(req.method, want_req["method"].as_str().unwrap(), "{file}");
            assert_eq!(req.url, want_req["url"].as_str().unwrap(), "{file}");
            assert_eq!(req.headers, object_pairs(&want_req["headers"]), "{file}");
            // curl -v does not print the body it sends; the other forms carry it.
            if paste["form"].as_str() != Some("curl -v") || want_req["body"].is_null() {
                assert_eq!(
                    req.body.as_deref(),
                    want_req["body"].as_str(),
                    "{file}: request body"
                );
            }
            let res = ex
                .response
                .as_ref()
                .unwrap_or_else(|| panic!("{file}: response"));
            assert_eq!(
                res.status.map(u64::from),
                want_res["status"].as_u64(),
                "{file}"
            );
            assert_eq!(res.header("Date"), want_res["headers"]["Date"].as_str());
            if paste.get("responseBody").is_some() {
                // A browser records the app's HTTP answer, not the log line the corpus entry
                // carries: compare with the HAR's own text.
                let har = json::from_str(&text).unwrap();
                let i = paste["harEntry"].as_u64().unwrap() as usize;
                let entry = &har["log"]["entries"].as_array().unwrap()[i];
                let content = &entry["response"]["content"]["text"];
                assert_eq!(res.body.as_deref(), content.as_str(), "{file}");
            } else {
                assert_eq!(res.headers, object_pairs(&want_res["headers"]), "{file}");
                assert_eq!(res.body.as_deref(), want_res["body"].as_str(), "{file}");
            }
        }
    }
}

#[test]
fn corpus_har_entries_can_be_picked_by_url() {
    let text = read("pastes/cdac-14200-a.har");
    let favicon = parse_exchange(&text, Some(&EntryPick::UrlContains("favicon".into()))).unwrap();
    let req = favicon.request.unwrap();
    assert_eq!(req.url, "https://app.example.com/favicon.ico");
    assert_eq!(favicon.response.unwrap().status, Some(200));
    // An empty content text is no body.
    let first = parse_exchange(&text, Some(&EntryPick::Index(0))).unwrap();
    assert_eq!(first.response.unwrap().body, None);
    let conf = parse_exchange(
        &text,
        Some(&EntryPick::UrlContains("/configuration".into())),
    )
    .unwrap()
    .request
    .unwrap();
    assert_eq!(conf.method, "POST");
    assert!(conf
        .body
        .unwrap()
        .starts_with("projectKey=DEMO&notify=true&jwt=eyJ"));
}

// ---------------------------------------------------------------------------------------
// Raw HTTP

#[test]
fn raw_http_request_with_body_and_response() {
    let text = "POST /rest/api/2/issue HTTP/1.1\nHost: jira.example.com\nContent-Type: application/json\nX-Long: first\n  second\n\n{\"fields\":{}}\n\nHTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{\"errors\":{\"project\":\"project is required\"}}\n";
    let ex = parse(text);
    let req = ex.request.unwrap();
    assert_eq!(req.url, "https://jira.example.com/rest/api/2/issue");
    assert_eq!(req.body.as_deref(), Some("{\"fields\":{}}"));
    assert_eq!(
        req.header("x-long"),
        Some("first second"),
        "folded lines are joined"
    );
    let res = ex.response.unwrap();
    assert_eq!(res.status, Some(400));
    assert_eq!(
        res.body.as_deref(),
        Some("{\"errors\":{\"project\":\"project is required\"}}")
    );
}

#[test]
fn raw_http_targets_and_schemes() {
    let abs = request(
        "GET http://jira.internal:8080/rest?a=b HTTP/1.1\r\nHost: jira.internal:8080\r\n\r\n",
    );
    assert_eq!(abs.url, "http://jira.internal:8080/rest?a=b");
    let port80 = request("GET /a HTTP/1.0\nHost: jira.example.com:80\n");
    assert_eq!(port80.url, "http://jira.example.com:80/a");
    let msg = refused(
        "GET /rest?jwt=SECRET.TOKEN.Z HTTP/1.1\nAccept: */*\n\n",
        None,
    );
    assert!(msg.contains("Host"), "{msg}");
    assert!(!msg.contains("SECRET"), "{msg}");
    // A browser's HTTP/2 view: pseudo-headers instead of a request line.
    let h2 = request(":authority: acme.atlassian.net\n:method: DELETE\n:path: /rest/api/3/issue/X-1\n:scheme: https\naccept: application/json\n");
    assert_eq!(h2.method, "DELETE");
    assert_eq!(h2.url, "https://acme.atlassian.net/rest/api/3/issue/X-1");
    assert_eq!(h2.headers.len(), 5);
}

#[test]
fn raw_http_several_exchanges() {
    let text = "\
GET /ok HTTP/1.1
Host: h.example

HTTP/1.1 200 OK
Content-Type: text/plain

fine
GET /refused HTTP/1.1
Host: h.example

HTTP/1.1 401 Unauthorized

nope

GET /after HTTP/1.1
Host: h.example

HTTP/1.1 404 Not Found
";
    let ex = parse(text);
    assert_eq!(ex.request.unwrap().url, "https://h.example/refused");
    assert_eq!(ex.response.unwrap().body.as_deref(), Some("nope"));
    let first = parse_exchange(text, Some(&EntryPick::Index(0))).unwrap();
    assert_eq!(first.response.unwrap().body.as_deref(), Some("fine"));
    let after = parse_exchange(text, Some(&EntryPick::UrlContains("after".into()))).unwrap();
    assert_eq!(after.response.unwrap().status, Some(404));
}

// ---------------------------------------------------------------------------------------
// A response on its own

#[test]
fn response_only_pastes() {
    let res = response("HTTP/1.1 401 Unauthorized\nWWW-Authenticate: OAuth realm=\"x\", oauth_problem=\"timestamp_refused\"\n\noauth_problem=timestamp_refused&oauth_acceptable_timestamps=1-2\n");
    assert_eq!(res.status, Some(401));
    assert_eq!(res.headers.len(), 1);
    assert_eq!(
        res.body.as_deref(),
        Some("oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1-2")
    );
    // Headers only.
    let ex = parse("X-Seraph-Trusted-App-Status: ERROR\nX-Seraph-Trusted-App-Error: BAD_SIGNATURE;\tBad signature for URL: {0};\t[\"http://h/x\"]\nDate: Mon, 12 Jan 2026 09:00:00 GMT\n");
    assert_eq!(ex.request, None);
    let res = ex.response.unwrap();
    assert_eq!(res.status, None);
    assert_eq!(res.headers.len(), 3);
    assert_eq!(res.body, None);
    // Only a body: the server's message, an app's log line, a JSON error.
    for body in [
        "Expecting claim 'qsh' to have value 'aa' but instead it has the value 'bb'",
        "Auth failure: Query hash mismatch: Received: \"aa\" but calculated \"bb\". Canonical query was: \"GET&/x&",
        "{\"errorMessages\":[\"You are not authenticated.\"],\"errors\":{}}",
        "{\"message\": \"Unauthorized\"",
        "ERROR: access denied",
    ] {
        let ex = parse(&format!("\n{body}\r\n\r\n"));
        assert_eq!(ex.request, None, "{body}");
        let res = ex.response.unwrap();
        assert_eq!((res.status, res.headers.len()), (None, 0), "{body}");
        assert_eq!(res.body.as_deref(), Some(body));
    }
}

// ---------------------------------------------------------------------------------------
// HAR

fn har(entries: &str) -> String {
    format!("{{\"log\":{{\"version\":\"1.2\",\"entries\":[{entries}]}}}}")
}

const HAR_ENTRY_B64: &str = r#"{"request":{"method":"PUT","url":"https://h.example/a?b=c",
  "headers":[{"name":":authority","value":"h.example"},{"name":"authorization","value":"JWT t"}],
  "postData":{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"a b","value":"c&d"}]}},
 "response":{"status":403,"headers":[{"name":"content-type","value":"text/plain"}],
  "content":{"size":9,"mimeType":"text/plain","text":"Zm9yYmlkZGVu","encoding":"base64"}}}"#;

#[test]
fn har_entries_are_read() {
    let ok = r#"{"request":{"method":"GET","url":"https://h.example/ok","headers":[]},"response":{"status":200,"headers":[],"content":{"text":"{}"}}}"#;
    let blocked = r#"{"request":{"method":"GET","url":"https://h.example/blocked","headers":[]},"response":{"status":0,"headers":[],"content":{}}}"#;
    let text = har(&format!("{ok},{HAR_ENTRY_B64},{blocked}"));
    let ex = parse(&text);
    let req = ex.request.unwrap();
    assert_eq!(req.method, "PUT");
    assert_eq!(req.url, "https://h.example/a?b=c");
    assert_eq!(
        req.headers,
        pairs(&[(":authority", "h.example"), ("authorization", "JWT t")])
    );
    assert_eq!(
        req.body.as_deref(),
        Some("a%20b=c%26d"),
        "params are form-encoded"
    );
    let res = ex.response.unwrap();
    assert_eq!(res.status, Some(403));
    assert_eq!(res.body.as_deref(), Some("forbidden"));
    let last = parse_exchange(&text, Some(&EntryPick::Index(2))).unwrap();
    assert_eq!(last.response.unwrap().status, None, "status 0 is no answer");
    // Without a refusal the last entry is taken.
    let ex = parse(&har(&format!("{ok},{blocked}")));
    assert_eq!(ex.request.unwrap().url, "https://h.example/blocked");
    // One entry copied on its own.
    let ex = parse(HAR_ENTRY_B64);
    assert_eq!(ex.request.unwrap().method, "PUT");
}

#[test]
fn bad_har_files() {
    let msg = refused(&har(""), None);
    assert!(msg.contains("no entries"), "{msg}");
    let msg = refused("{\"log\":{\"version\":\"1.2\"}}", None);
    assert!(msg.contains("log.entries"), "{msg}");
    let msg = refused(&har(HAR_ENTRY_B64)[..200], None);
    assert!(msg.contains("not valid JSON"), "{msg}");
    let msg = refused(&har(HAR_ENTRY_B64), Some(&EntryPick::Index(1)));
    assert!(
        msg.contains("1 entry;") && msg.contains("no entry 1"),
        "{msg}"
    );
    let msg = refused(
        &har(HAR_ENTRY_B64),
        Some(&EntryPick::UrlContains("/elsewhere".into())),
    );
    assert!(msg.contains("/elsewhere"), "{msg}");
    let msg = refused(&har(r#"{"request":{"method":"GET"},"response":{}}"#), None);
    assert!(msg.contains("request.url"), "{msg}");
    let msg = refused(&har(r#"{"request":{"url":"https://h/"}}"#), None);
    assert!(msg.contains("request.method"), "{msg}");
    let msg = refused(&har(r#"{"request":"GET /"}"#), None);
    assert!(msg.contains("request object"), "{msg}");
    let bad64 = HAR_ENTRY_B64.replace("Zm9yYmlkZGVu", "%%%");
    let msg = refused(&har(&bad64), None);
    assert!(msg.contains("base64"), "{msg}");
    let msg = refused("{\"log\":{\"entries\":[1,2,3]}}", None);
    assert!(
        msg.contains("entry 2") && msg.contains("no request"),
        "{msg}"
    );
    // An entry without a response is a partial exchange.
    let ex = parse(&har(r#"{"request":{"method":"GET","url":"https://h/"}}"#));
    assert_eq!(ex.response, None);
}

// ---------------------------------------------------------------------------------------
// Bad input

#[test]
fn empty_binary_and_oversized_pastes_are_refused() {
    for empty in ["", "   \n\t\r\n", "\u{feff}"] {
        let msg = refused(empty, None);
        assert!(msg.contains("empty"), "{msg}");
    }
    let msg = refused("GET / HTTP/1.1\0", None);
    assert!(msg.contains("NUL"), "{msg}");
    let big = "a".repeat(MAX_PASTE_BYTES + 1);
    let msg = refused(&big, None);
    assert!(msg.contains("8 MiB"), "{msg}");
    // Exactly the limit is read.
    let at_limit = "a".repeat(MAX_PASTE_BYTES);
    assert!(parse_exchange(&at_limit, None).is_ok());
}

#[test]
fn garbage_gives_a_body_or_an_error() {
    for junk in [
        "}{][",
        "<<<>>>",
        "> \n< \n* \n{ [\n} [",
        "HTTP/",
        "HTTP/1.1 abc",
        "GET",
        "curl",
        "curl \\",
        "$'",
        ":::",
        "\u{1F600}\u{0301}",
        "{\"log\":[]}",
        "{\"log\":{\"entries\":[1,2,3]}}",
    ] {
        match parse_exchange(junk, None) {
            Ok(ex) => assert!(ex.request.is_some() || ex.response.is_some(), "{junk:?}"),
            Err(e) => assert_eq!(e.code(), "ERR_INVALID_INPUT", "{junk:?}: {e}"),
        }
    }
}

#[test]
fn large_pastes_are_read_in_linear_time() {
    // 200 000 header lines in each form: a quadratic step would not finish.
    let n = 200_000;
    let mut curl_v = String::from("> GET /x HTTP/1.1\n> Host: h.example\n");
    let mut raw = String::from("GET /x HTTP/1.1\nHost: h.example\n");
    for i in 0..n {
        curl_v.push_str(&format!("> X-H{i}: v\n"));
        raw.push_str(&format!("X-H{i}: v\n"));
    }
    curl_v.push_str(">\n< HTTP/1.1 401 Unauthorized\n<\n");
    raw.push_str("\nHTTP/1.1 401 Unauthorized\n\n");
    for _ in 0..n {
        curl_v.push_str("body line\n");
        raw.push_str("body line\n");
    }
    assert_eq!(request(&curl_v).headers.len(), n + 1);
    assert_eq!(request(&raw).headers.len(), n + 1);
    let folded = format!("HTTP/1.1 401 X\nX-A: a\n{}", " b\n".repeat(n));
    assert_eq!(response(&folded).headers[0].1.len(), 1 + 2 * n);
    let mut cmd = String::from("curl https://h.example/");
    for _ in 0..n {
        cmd.push_str(" -H 'X: y' \\\n");
    }
    assert_eq!(request(&cmd).headers.len(), n);
    let entry =
        r#"{"request":{"method":"GET","url":"https://h/","headers":[]},"response":{"status":200}}"#;
    let many = har(&vec![entry; 20_000].join(","));
    assert!(parse_exchange(&many, Some(&EntryPick::UrlContains("nowhere".into()))).is_err());
}

// ---------------------------------------------------------------------------------------
// No paste panics

fn paste_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("> ".to_owned()),
        Just("< ".to_owned()),
        Just("* ".to_owned()),
        Just("{ [".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just(">\n".to_owned()),
        Just("<\n".to_owned()),
        Just("GET /x?y HTTP/1.1\n".to_owned()),
        Just("HTTP/1.1 401 Unauthorized\n".to_owned()),
        Just("HTTP/2 100\n".to_owned()),
        Just("Host: h.example:443\n".to_owned()),
        Just(":authority: h\n".to_owned()),
        Just(" folded\n".to_owned()),
        Just("* Connected to h (1.2.3.4) port 443\n".to_owned()),
        Just("curl ".to_owned()),
        Just("$ curl -v ".to_owned()),
        Just("-H ".to_owned()),
        Just("-d ".to_owned()),
        Just("-G ".to_owned()),
        Just("--data-urlencode ".to_owned()),
        Just("-XPOST".to_owned()),
        Just("'".to_owned()),
        Just("\"".to_owned()),
        Just("$'\\x".to_owned()),
        Just("\\u12".to_owned()),
        Just("\\\n".to_owned()),
        Just("^\n".to_owned()),
        Just("2>&1 ".to_owned()),
        Just("| ".to_owned()),
        Just("https://h.example/p".to_owned()),
        Just("{\"log\":{\"entries\":[".to_owned()),
        Just(
            "{\"request\":{\"method\":\"GET\",\"url\":\"u\"},\"response\":{\"status\":401}}"
                .to_owned()
        ),
        Just("]}}".to_owned()),
        "[a-zA-Z0-9:;=&%@#?/ ]{0,8}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>(), index in 0usize..4) {
        let _ = parse_exchange(&text, None);
        let _ = parse_exchange(&text, Some(&EntryPick::Index(index)));
        let _ = parse_exchange(&text, Some(&EntryPick::UrlContains("h".into())));
    }

    #[test]
    fn paste_like_text_never_panics(text in paste_like(), index in 0usize..3) {
        for pick in [None, Some(EntryPick::Index(index)), Some(EntryPick::UrlContains("/".into()))] {
            match parse_exchange(&text, pick.as_ref()) {
                Ok(ex) => prop_assert!(ex.request.is_some() || ex.response.is_some()),
                Err(e) => prop_assert_eq!(e.code(), "ERR_INVALID_INPUT"),
            }
        }
    }
}
