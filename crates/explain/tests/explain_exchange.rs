//! The paste parser behind `explain`: `curl -v` output, curl commands, raw HTTP and HAR files
//! read into the exchange `explain` takes. The hand-checked pastes of the explain corpus must
//! give the corpus entries' requests and responses; every bad paste gives a typed error or a
//! partial exchange, never a panic.

use atlassian_sign::json::{self, Value};
use atlassian_sign_explain::exchange::{
    parse_exchange, EntryPick, Exchange, HttpRequest, HttpResponse, MAX_PASTE_BYTES,
};
use proptest::prelude::*;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/explain-corpus");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{CORPUS}/{path}")).expect(path)
}

fn parse(text: &str) -> Exchange {
    parse_exchange(text, None).expect("parses")
}

fn request(text: &str) -> HttpRequest {
    parse(text).request.expect("a request")
}

fn response(text: &str) -> HttpResponse {
    parse(text).response.expect("a response")
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

/// The message of an `ERR_INVALID_INPUT` error.
fn refused(text: &str, pick: Option<&EntryPick>) -> String {
    let e = parse_exchange(text, pick).expect_err("refused");
    assert_eq!(e.code(), "ERR_INVALID_INPUT", "{e}");
    e.to_string()
}

fn object_pairs(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .expect("headers object")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("header value").to_owned()))
        .collect()
}

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
// curl -v

const CURL_V_HTTP2: &str = "\
$ curl -v -H 'Authorization: JWT abc.def.ghi' 'https://acme.atlassian.net/rest/api/3/myself?expand=groups'
*   Trying 104.192.141.1:443...
* Connected to acme.atlassian.net (104.192.141.1) port 443
* ALPN: curl offers h2,http/1.1
* TLSv1.3 (OUT), TLS handshake, Client hello (1):
} [512 bytes data]
* using HTTP/2
* [HTTP/2] [1] OPENED stream for https://acme.atlassian.net/rest/api/3/myself?expand=groups
> GET /rest/api/3/myself?expand=groups HTTP/2
> Host: acme.atlassian.net
> user-agent: curl/8.5.0
> accept: */*
> Authorization: JWT abc.def.ghi
>
{ [5 bytes data]
< HTTP/2 401
< date: Mon, 12 Jan 2026 09:00:00 GMT
< content-type: application/json;charset=UTF-8
< www-authenticate: JWT realm=\"acme\"
<
{ [120 bytes data]
{\"errorMessages\":[\"You are not authenticated.\"],
\"errors\":{}}* Connection #0 to host acme.atlassian.net left intact
";

#[test]
fn curl_verbose_http2_with_a_command_above() {
    let ex = parse(CURL_V_HTTP2);
    let req = ex.request.unwrap();
    assert_eq!(req.method, "GET");
    assert_eq!(
        req.url,
        "https://acme.atlassian.net/rest/api/3/myself?expand=groups"
    );
    assert_eq!(
        req.headers,
        pairs(&[
            ("Host", "acme.atlassian.net"),
            ("user-agent", "curl/8.5.0"),
            ("accept", "*/*"),
            ("Authorization", "JWT abc.def.ghi"),
        ])
    );
    assert_eq!(req.body, None);
    let res = ex.response.unwrap();
    assert_eq!(res.status, Some(401));
    assert_eq!(res.header("WWW-Authenticate"), Some("JWT realm=\"acme\""));
    // The body runs into curl's last info line when it has no final line break.
    assert_eq!(
        res.body.as_deref(),
        Some("{\"errorMessages\":[\"You are not authenticated.\"],\n\"errors\":{}}")
    );
}

#[test]
fn curl_verbose_scheme_rules() {
    let bare = "> GET /x HTTP/1.1\n> Host: jira.example.com\n>\n< HTTP/1.1 401 Unauthorized\n<\n";
    // No connection lines and no command: http.
    assert_eq!(request(bare).url, "http://jira.example.com/x");
    // Port 443 in view: https.
    let port = format!("*   Trying 10.0.0.1:443...\n{bare}");
    assert_eq!(request(&port).url, "https://jira.example.com/x");
    let host443 = bare.replace("jira.example.com", "jira.example.com:443");
    assert_eq!(request(&host443).url, "https://jira.example.com:443/x");
    // A plain connection on 8080.
    let plain = format!(
        "* Connected to jira.example.com (10.0.0.1) port 8080 (#0)\n{}",
        bare.replace("jira.example.com", "jira.example.com:8080")
    );
    assert_eq!(request(&plain).url, "http://jira.example.com:8080/x");
    // TLS on a non-default port.
    let tls = format!(
        "* Connected to jira.example.com (10.0.0.1) port 8443 (#0)\n* SSL connection using TLSv1.2 / ECDHE-RSA-AES128-GCM-SHA256\n{}",
        bare.replace("jira.example.com", "jira.example.com:8443")
    );
    assert_eq!(request(&tls).url, "https://jira.example.com:8443/x");
    // The scheme of the curl command above, when the output shows no TLS.
    let cmd = format!("curl -v https://jira.example.com/x\n{bare}");
    assert_eq!(request(&cmd).url, "https://jira.example.com/x");
}

#[test]
fn curl_verbose_without_a_host_header_uses_the_connection() {
    let text = "\
* Connected to jira.example.com (10.0.0.1) port 8443 (#0)
* ALPN: server accepted http/1.1
> GET /rest/api/2/myself HTTP/1.1
> Accept: */*
>
< HTTP/1.1 403 Forbidden
<
";
    assert_eq!(
        request(text).url,
        "https://jira.example.com:8443/rest/api/2/myself"
    );
    // Neither a Host header nor a connection line nor a command: the URL cannot be rebuilt.
    let lone = "> GET /rest/api/2/myself?jwt=SECRET.TOKEN.X HTTP/1.1\n> Accept: */*\n>\n";
    let msg = refused(lone, None);
    assert!(msg.contains("Host"), "{msg}");
    assert!(
        !msg.contains("SECRET"),
        "no part of the request is echoed: {msg}"
    );
}

#[test]
fn curl_verbose_takes_the_body_from_the_command() {
    let text = "\
curl -v -X POST https://app.example.com/installed \\
  -H 'Content-Type: application/json' \\
  --data-raw '{\"key\":\"com.example.app\"}'
* Connected to app.example.com (10.0.0.2) port 443 (#0)
> POST /installed HTTP/1.1
> Host: app.example.com
> Content-Type: application/json
> Content-Length: 25
>
} [25 bytes data]
* upload completely sent off: 25 out of 25 bytes
< HTTP/1.1 401 Unauthorized
< Content-Type: text/plain
<
Unauthorized: Invalid JWT
* Connection #0 to host app.example.com left intact
";
    let ex = parse(text);
    let req = ex.request.unwrap();
    assert_eq!(req.method, "POST");
    assert_eq!(req.url, "https://app.example.com/installed");
    assert_eq!(req.body.as_deref(), Some("{\"key\":\"com.example.app\"}"));
    assert_eq!(req.headers.len(), 3, "the headers are the `>` lines");
    let res = ex.response.unwrap();
    assert_eq!(res.body.as_deref(), Some("Unauthorized: Invalid JWT"));
}

#[test]
fn curl_verbose_redirects_interim_responses_and_proxies() {
    let text = "\
* Connected to proxy.local (10.0.0.9) port 3128 (#0)
> CONNECT jira.example.com:443 HTTP/1.1
> Host: jira.example.com:443
>
< HTTP/1.1 200 Connection established
<
* Proxy replied 200 to CONNECT request
* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384
> POST /old HTTP/1.1
> Host: jira.example.com
> Expect: 100-continue
>
< HTTP/1.1 100 Continue
<
< HTTP/1.1 302 Found
< Location: /new
<
* Issue another request to this URL: 'https://jira.example.com/new'
> GET /new HTTP/1.1
> Host: jira.example.com
>
< HTTP/1.1 401 Unauthorized
< WWW-Authenticate: OAuth realm=\"x\"
<
oauth_problem=token_rejected
";
    // The CONNECT is dropped; the default is the 401.
    let ex = parse(text);
    assert_eq!(ex.request.unwrap().url, "https://jira.example.com/new");
    assert_eq!(ex.response.as_ref().unwrap().status, Some(401));
    assert_eq!(
        ex.response.unwrap().body.as_deref(),
        Some("oauth_problem=token_rejected")
    );
    // The first exchange: the 100 Continue is replaced by the final answer.
    let first = parse_exchange(text, Some(&EntryPick::Index(0))).unwrap();
    assert_eq!(first.request.unwrap().method, "POST");
    let res = first.response.unwrap();
    assert_eq!(res.status, Some(302));
    assert_eq!(res.header("location"), Some("/new"));
    let by_url = parse_exchange(text, Some(&EntryPick::UrlContains("/old".into()))).unwrap();
    assert_eq!(by_url.request.unwrap().method, "POST");
    let msg = refused(text, Some(&EntryPick::Index(2)));
    assert!(
        msg.contains("2 exchanges") && msg.contains("no entry 2"),
        "{msg}"
    );
    let msg = refused(text, Some(&EntryPick::UrlContains("/nowhere".into())));
    assert!(msg.contains("/nowhere"), "{msg}");
}

#[test]
fn truncated_curl_verbose_gives_what_it_shows() {
    // Cut after the request headers: a request without a response.
    let cut = "\
* Connected to jira.example.com (10.0.0.1) port 443 (#0)
> GET /rest/api/2/issue/X-1 HTTP/1.1
> Host: jira.example.com
> Authorization: Basic dXNlcjpwYXNz
";
    let ex = parse(cut);
    assert_eq!(ex.response, None);
    let req = ex.request.unwrap();
    assert_eq!(req.url, "https://jira.example.com/rest/api/2/issue/X-1");
    assert_eq!(req.headers.len(), 2);
    // Cut inside the response headers.
    let cut2 =
        format!("{cut}>\n< HTTP/1.1 401 Unauthorized\n< Date: Mon, 12 Jan 2026 09:00:00 GMT\n");
    let res = parse(&cut2).response.unwrap();
    assert_eq!(res.status, Some(401));
    assert_eq!(res.body, None);
    // Only the response lines.
    let only = "< HTTP/1.1 403 Forbidden\n< X-Seraph-LoginReason: AUTHENTICATION_DENIED\n<\n";
    let ex = parse(only);
    assert_eq!(ex.request, None);
    assert_eq!(ex.response.unwrap().status, Some(403));
    // Nothing was sent.
    let failed = "*   Trying 10.0.0.1:443...\n* connect to 10.0.0.1 port 443 failed: Connection refused\n* Failed to connect to jira.example.com port 443: Connection refused\n";
    let msg = refused(failed, None);
    assert!(msg.contains("no request"), "{msg}");
}

// ---------------------------------------------------------------------------------------
// curl commands

#[test]
fn curl_command_followed_by_a_raw_response() {
    let text = "\
curl --request POST \\
  --url 'https://acme.atlassian.net/rest/api/2/issue?notify=false' \\
  --header 'Authorization: JWT eyJ.a.b' \\
  --header \"Content-Type: application/json\" \\
  --data '{\"fields\":{\"summary\":\"it'\\''s\"}}'
HTTP/1.1 401 Unauthorized
Content-Type: application/json;charset=UTF-8
Date: Mon, 12 Jan 2026 09:00:00 GMT

{\"errorMessages\":[\"You do not have the permission to see the specified issue.\"]}
";
    let ex = parse(text);
    let req = ex.request.unwrap();
    assert_eq!(req.method, "POST");
    assert_eq!(
        req.url,
        "https://acme.atlassian.net/rest/api/2/issue?notify=false"
    );
    assert_eq!(
        req.headers,
        pairs(&[
            ("Authorization", "JWT eyJ.a.b"),
            ("Content-Type", "application/json")
        ])
    );
    // bash's way to put a ' inside '...': close, \', reopen.
    assert_eq!(
        req.body.as_deref(),
        Some("{\"fields\":{\"summary\":\"it's\"}}")
    );
    let res = ex.response.unwrap();
    assert_eq!(res.status, Some(401));
    assert_eq!(res.headers.len(), 2);
    assert_eq!(
        res.body.as_deref(),
        Some(
            "{\"errorMessages\":[\"You do not have the permission to see the specified issue.\"]}"
        )
    );
}

#[test]
fn curl_command_as_browsers_copy_it() {
    // Chrome's "Copy as cURL (bash)": $'...' quoting, --data-raw, --compressed.
    let text = "curl 'https://app.example.com/configuration' \\\n  -H 'accept: application/json' \\\n  -H 'content-type: application/x-www-form-urlencoded' \\\n  --data-raw $'projectKey=DEMO&note=a\\'b\\ncd\\u00e9&jwt=eyJ.x.y' \\\n  --compressed\n";
    let req = request(text);
    assert_eq!(req.method, "POST");
    assert_eq!(req.url, "https://app.example.com/configuration");
    assert_eq!(
        req.body.as_deref(),
        Some("projectKey=DEMO&note=a'b\ncd\u{e9}&jwt=eyJ.x.y")
    );
    assert_eq!(
        req.headers.len(),
        2,
        "no header added when content-type is given"
    );
    assert_eq!(parse(text).response, None);
}

#[test]
fn curl_command_options() {
    // -G moves the data into the query; --data-urlencode encodes as curl does.
    let req = request("curl -G https://jira.example.com/rest/api/2/search --data-urlencode 'jql=project = OPS' -d maxResults=5");
    assert_eq!(req.method, "GET");
    assert_eq!(
        req.url,
        "https://jira.example.com/rest/api/2/search?jql=project%20%3D%20OPS&maxResults=5"
    );
    assert_eq!(req.body, None);
    assert!(req.headers.is_empty());

    // -d without a content type: curl sends a form.
    let req =
        request("curl -sSL -XPUT jira.example.com:8080/rest?x=1 -d a=1 -d b=2 -u admin:secret");
    assert_eq!(req.method, "PUT");
    assert_eq!(req.url, "http://jira.example.com:8080/rest?x=1");
    assert_eq!(req.body.as_deref(), Some("a=1&b=2"));
    assert_eq!(
        req.headers,
        pairs(&[("Content-Type", "application/x-www-form-urlencoded")])
    );
    assert!(!format!("{req:?}").contains("secret"), "-u is not read");

    // --json, --oauth2-bearer, -A, -b, -e; a URL without a path gets `/`.
    let req = request("curl --json '{\"a\":1}' --oauth2-bearer TKN -A agent/1 -b 'sid=1' -e https://ref.example/ https://api.example.com?x=1#frag");
    assert_eq!(req.method, "POST");
    assert_eq!(req.url, "https://api.example.com/?x=1");
    assert_eq!(req.body.as_deref(), Some("{\"a\":1}"));
    assert_eq!(
        req.headers,
        pairs(&[
            ("Authorization", "Bearer TKN"),
            ("User-Agent", "agent/1"),
            ("Cookie", "sid=1"),
            ("Referer", "https://ref.example/"),
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
        ])
    );

    // -I, a header removal (`Name:`), an empty header (`Name;`), a file body, redirection.
    let req = request("curl -I -H 'Accept:' -H 'X-Empty;' https://h.example/p 2>&1 > out.txt");
    assert_eq!(req.method, "HEAD");
    assert_eq!(req.url, "https://h.example/p");
    assert_eq!(req.headers, pairs(&[("X-Empty", "")]));
    let req = request("curl -d @body.json -H 'Content-Type: application/json' https://h.example/p");
    assert_eq!(req.method, "POST");
    assert_eq!(
        req.body, None,
        "a body read from a file is not in the paste"
    );
}

#[test]
fn curl_command_with_a_prompt_a_pipe_and_a_body() {
    let text = "$ curl -s \"https://jira.example.com/rest/api/2/myself\" -H \"Authorization: Bearer x\" | jq .\n{\n  \"message\": \"Client must be authenticated to access this resource.\",\n  \"status-code\": 401\n}\n";
    let ex = parse(text);
    assert_eq!(
        ex.request.unwrap().url,
        "https://jira.example.com/rest/api/2/myself"
    );
    let res = ex.response.unwrap();
    assert_eq!(res.status, None);
    assert!(res.headers.is_empty());
    assert_eq!(
        res.body.as_deref(),
        Some("{\n  \"message\": \"Client must be authenticated to access this resource.\",\n  \"status-code\": 401\n}")
    );
}

#[test]
fn curl_command_errors() {
    let msg = refused("curl -H 'Accept: */*' -X GET", None);
    assert!(msg.contains("no URL"), "{msg}");
    let msg = refused("curl 'https://h.example/p -H X\n", None);
    assert!(msg.contains("unclosed"), "{msg}");
    let msg = refused("curl https://h.example/p --data-raw \"abc", None);
    assert!(msg.contains("unclosed"), "{msg}");
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
