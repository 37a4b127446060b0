// The pastes of the parseExchange tests (ported from the Rust parser's tests,
// crates/explain/tests/explain_exchange*.rs, when the parser moved to JavaScript), shared by the
// tests and by the differential run against the old WebAssembly parser
// (parse-exchange-differential.mjs).

export const CURL_V_HTTP2 = `$ curl -v -H 'Authorization: JWT abc.def.ghi' 'https://acme.atlassian.net/rest/api/3/myself?expand=groups'
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
< www-authenticate: JWT realm="acme"
<
{ [120 bytes data]
{"errorMessages":["You are not authenticated."],
"errors":{}}* Connection #0 to host acme.atlassian.net left intact
`;

export const CURL_V_BARE = '> GET /x HTTP/1.1\n> Host: jira.example.com\n>\n< HTTP/1.1 401 Unauthorized\n<\n';

export const CURL_V_NO_HOST = `* Connected to jira.example.com (10.0.0.1) port 8443 (#0)
* ALPN: server accepted http/1.1
> GET /rest/api/2/myself HTTP/1.1
> Accept: */*
>
< HTTP/1.1 403 Forbidden
<
`;

export const CURL_V_LONE = '> GET /rest/api/2/myself?jwt=SECRET.TOKEN.X HTTP/1.1\n> Accept: */*\n>\n';

export const CURL_V_WITH_BODY = `curl -v -X POST https://app.example.com/installed \\
  -H 'Content-Type: application/json' \\
  --data-raw '{"key":"com.example.app"}'
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
`;

export const CURL_V_REDIRECTS = `* Connected to proxy.local (10.0.0.9) port 3128 (#0)
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
< WWW-Authenticate: OAuth realm="x"
<
oauth_problem=token_rejected
`;

export const CURL_V_CUT = `* Connected to jira.example.com (10.0.0.1) port 443 (#0)
> GET /rest/api/2/issue/X-1 HTTP/1.1
> Host: jira.example.com
> Authorization: Basic dXNlcjpwYXNz
`;

export const CURL_V_CUT2 = `${CURL_V_CUT}>\n< HTTP/1.1 401 Unauthorized\n< Date: Mon, 12 Jan 2026 09:00:00 GMT\n`;

export const CURL_V_ONLY_RESPONSE = '< HTTP/1.1 403 Forbidden\n< X-Seraph-LoginReason: AUTHENTICATION_DENIED\n<\n';

export const CURL_V_FAILED = '*   Trying 10.0.0.1:443...\n* connect to 10.0.0.1 port 443 failed: Connection refused\n'
  + '* Failed to connect to jira.example.com port 443: Connection refused\n';

export const CURL_THEN_RAW_RESPONSE = `curl --request POST \\
  --url 'https://acme.atlassian.net/rest/api/2/issue?notify=false' \\
  --header 'Authorization: JWT eyJ.a.b' \\
  --header "Content-Type: application/json" \\
  --data '{"fields":{"summary":"it'\\''s"}}'
HTTP/1.1 401 Unauthorized
Content-Type: application/json;charset=UTF-8
Date: Mon, 12 Jan 2026 09:00:00 GMT

{"errorMessages":["You do not have the permission to see the specified issue."]}
`;

export const CURL_AS_BROWSERS_COPY = "curl 'https://app.example.com/configuration' \\\n  -H 'accept: application/json' \\\n"
  + "  -H 'content-type: application/x-www-form-urlencoded' \\\n"
  + "  --data-raw $'projectKey=DEMO&note=a\\'b\\ncd\\u00e9&jwt=eyJ.x.y' \\\n  --compressed\n";

export const CURL_GET_URLENCODE = "curl -G https://jira.example.com/rest/api/2/search --data-urlencode 'jql=project = OPS' -d maxResults=5";
export const CURL_PUT_FORM = 'curl -sSL -XPUT jira.example.com:8080/rest?x=1 -d a=1 -d b=2 -u admin:secret';
export const CURL_JSON_AND_HEADERS = "curl --json '{\"a\":1}' --oauth2-bearer TKN -A agent/1 -b 'sid=1' -e https://ref.example/ https://api.example.com?x=1#frag";
export const CURL_HEAD_REDIRECTED = "curl -I -H 'Accept:' -H 'X-Empty;' https://h.example/p 2>&1 > out.txt";
export const CURL_FILE_BODY = "curl -d @body.json -H 'Content-Type: application/json' https://h.example/p";

export const CURL_PROMPT_PIPE = '$ curl -s "https://jira.example.com/rest/api/2/myself" -H "Authorization: Bearer x" | jq .\n'
  + '{\n  "message": "Client must be authenticated to access this resource.",\n  "status-code": 401\n}\n';

export const CURL_NO_URL = "curl -H 'Accept: */*' -X GET";
export const CURL_UNCLOSED_SINGLE = "curl 'https://h.example/p -H X\n";
export const CURL_UNCLOSED_DOUBLE = 'curl https://h.example/p --data-raw "abc';

export const RAW_WITH_BODY = 'POST /rest/api/2/issue HTTP/1.1\nHost: jira.example.com\nContent-Type: application/json\n'
  + 'X-Long: first\n  second\n\n{"fields":{}}\n\nHTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n'
  + '{"errors":{"project":"project is required"}}\n';
export const RAW_ABSOLUTE = 'GET http://jira.internal:8080/rest?a=b HTTP/1.1\r\nHost: jira.internal:8080\r\n\r\n';
export const RAW_PORT_80 = 'GET /a HTTP/1.0\nHost: jira.example.com:80\n';
export const RAW_NO_HOST = 'GET /rest?jwt=SECRET.TOKEN.Z HTTP/1.1\nAccept: */*\n\n';
export const RAW_HTTP2_PSEUDO = ':authority: acme.atlassian.net\n:method: DELETE\n:path: /rest/api/3/issue/X-1\n:scheme: https\n'
  + 'accept: application/json\n';

export const RAW_SEVERAL = `GET /ok HTTP/1.1
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
`;

export const RESPONSE_WITH_STATUS = 'HTTP/1.1 401 Unauthorized\nWWW-Authenticate: OAuth realm="x", oauth_problem="timestamp_refused"\n\n'
  + 'oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1-2\n';
export const RESPONSE_HEADERS_ONLY = 'X-Seraph-Trusted-App-Status: ERROR\n'
  + 'X-Seraph-Trusted-App-Error: BAD_SIGNATURE;\tBad signature for URL: {0};\t["http://h/x"]\nDate: Mon, 12 Jan 2026 09:00:00 GMT\n';
export const BODIES_ONLY = [
  "Expecting claim 'qsh' to have value 'aa' but instead it has the value 'bb'",
  'Auth failure: Query hash mismatch: Received: "aa" but calculated "bb". Canonical query was: "GET&/x&',
  '{"errorMessages":["You are not authenticated."],"errors":{}}',
  '{"message": "Unauthorized"',
  'ERROR: access denied',
];

export const har = (entries) => `{"log":{"version":"1.2","entries":[${entries}]}}`;

export const HAR_ENTRY_B64 = `{"request":{"method":"PUT","url":"https://h.example/a?b=c",
  "headers":[{"name":":authority","value":"h.example"},{"name":"authorization","value":"JWT t"}],
  "postData":{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"a b","value":"c&d"}]}},
 "response":{"status":403,"headers":[{"name":"content-type","value":"text/plain"}],
  "content":{"size":9,"mimeType":"text/plain","text":"Zm9yYmlkZGVu","encoding":"base64"}}}`;
export const HAR_OK = '{"request":{"method":"GET","url":"https://h.example/ok","headers":[]},"response":{"status":200,"headers":[],"content":{"text":"{}"}}}';
export const HAR_BLOCKED = '{"request":{"method":"GET","url":"https://h.example/blocked","headers":[]},"response":{"status":0,"headers":[],"content":{}}}';

export const BAD_HARS = [
  har(''),
  '{"log":{"version":"1.2"}}',
  har(HAR_ENTRY_B64).slice(0, 200),
  har('{"request":{"method":"GET"},"response":{}}'),
  har('{"request":{"url":"https://h/"}}'),
  har('{"request":"GET /"}'),
  har(HAR_ENTRY_B64.replace('Zm9yYmlkZGVu', '%%%')),
  '{"log":{"entries":[1,2,3]}}',
];

export const GARBAGE = [
  '}{][', '<<<>>>', '> \n< \n* \n{ [\n} [', 'HTTP/', 'HTTP/1.1 abc', 'GET', 'curl', 'curl \\', "$'", ':::',
  '\u{1F600}\u{0301}', '{"log":[]}', '{"log":{"entries":[1,2,3]}}',
];

/** Every paste above, for the differential run. */
export function allPastes() {
  const out = [
    CURL_V_HTTP2, CURL_V_BARE, `*   Trying 10.0.0.1:443...\n${CURL_V_BARE}`, CURL_V_BARE.replaceAll('jira.example.com', 'jira.example.com:443'),
    `* Connected to jira.example.com (10.0.0.1) port 8080 (#0)\n${CURL_V_BARE.replaceAll('jira.example.com', 'jira.example.com:8080')}`,
    `* Connected to jira.example.com (10.0.0.1) port 8443 (#0)\n* SSL connection using TLSv1.2 / ECDHE-RSA-AES128-GCM-SHA256\n${CURL_V_BARE.replaceAll('jira.example.com', 'jira.example.com:8443')}`,
    `curl -v https://jira.example.com/x\n${CURL_V_BARE}`,
    CURL_V_NO_HOST, CURL_V_LONE, CURL_V_WITH_BODY, CURL_V_REDIRECTS, CURL_V_CUT, CURL_V_CUT2, CURL_V_ONLY_RESPONSE,
    CURL_V_FAILED, CURL_THEN_RAW_RESPONSE, CURL_AS_BROWSERS_COPY, CURL_GET_URLENCODE, CURL_PUT_FORM, CURL_JSON_AND_HEADERS,
    CURL_HEAD_REDIRECTED, CURL_FILE_BODY, CURL_PROMPT_PIPE, CURL_NO_URL, CURL_UNCLOSED_SINGLE, CURL_UNCLOSED_DOUBLE,
    RAW_WITH_BODY, RAW_ABSOLUTE, RAW_PORT_80, RAW_NO_HOST, RAW_HTTP2_PSEUDO, RAW_SEVERAL, RESPONSE_WITH_STATUS,
    RESPONSE_HEADERS_ONLY, ...BODIES_ONLY.map((b) => `\n${b}\r\n\r\n`),
    har(`${HAR_OK},${HAR_ENTRY_B64},${HAR_BLOCKED}`), har(`${HAR_OK},${HAR_BLOCKED}`), HAR_ENTRY_B64, ...BAD_HARS,
    har('{"request":{"method":"GET","url":"https://h/"}}'), '', '   \n\t\r\n', '\uFEFF', 'GET / HTTP/1.1\0', ...GARBAGE,
    'oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1700000000-1700000600',
  ];
  return out;
}
