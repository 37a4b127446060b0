//! The paste parser behind `explain`, for curl: `curl -v` output (with the command above it,
//! redirects, proxies, truncated runs) and curl command lines (quoting, options, the response
//! that follows). The corpus pastes and the other forms are in explain_exchange.rs.

use atlassian_sign_explain::exchange::{parse_exchange, EntryPick};

mod exchange_common;
use exchange_common::*;

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
