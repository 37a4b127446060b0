//! explain on the whole exchange: the token's carriage, its signature with the shared secret,
//! its claims against the app key and the refusing side's clock (the response's Date), the
//! app-side qsh messages read the right way round, and OAuth base strings found by verifying
//! the received signature over variants with the consumer's key.

use atlassian_sign::json::{self, Map, Value};
use atlassian_sign::jwt::{self, Algorithm, JwtKey};
use atlassian_sign::keys::parse_rsa_key;
use atlassian_sign::oauth1::{self, Credentials, Request};
use atlassian_sign_explain::exchange_input::http_date;
use atlassian_sign_explain::{
    explain_exchange, ExchangeInput, Held, ReceivedResponse, SentRequest,
};
use serde_json::json;

const SECRET: &str = "shh-the-shared-secret-of-this-install";
const URL: &str = "https://acme.atlassian.net/rest/api/2/issue/ABC-1";

fn token(claims: serde_json::Value, secret: &str) -> String {
    let Value::Object(m) = json::from_str(&claims.to_string()).unwrap() else {
        unreachable!()
    };
    jwt::encode(
        Algorithm::HS256,
        &JwtKey::Secret(secret.as_bytes()),
        &Map::new(),
        &m,
    )
    .unwrap()
}

fn exchange(auth: &str, date: &str, held: Held) -> ExchangeInput {
    ExchangeInput {
        request: Some(SentRequest {
            method: "GET".into(),
            url: URL.into(),
            headers: vec![("Authorization".into(), auth.into())],
            body: None,
        }),
        response: Some(ReceivedResponse {
            status: Some(401),
            headers: vec![("Date".into(), date.into())],
            body: Some("Client must be authenticated to access this resource.".into()),
        }),
        base_url: Some("https://acme.atlassian.net".into()),
        held,
        ..ExchangeInput::default()
    }
}

fn qsh() -> String {
    atlassian_sign::qsh::qsh("GET", URL, &Default::default()).unwrap()
}

#[test]
fn http_dates() {
    assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
    assert_eq!(
        http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(784_111_777)
    );
    assert_eq!(
        http_date("Mon, 12 Jan 2026 09:00:00 GMT"),
        Some(1_768_208_400)
    );
    assert_eq!(http_date("yesterday"), None);
}

#[test]
fn carriage_secret_issuer_and_clock_are_each_found() {
    let now: i64 = 1_768_208_400;
    let date = "Mon, 12 Jan 2026 09:00:00 GMT";
    let held = Held {
        shared_secret: Some(SECRET.into()),
        app_key: Some("com.example.app".into()),
        client_key: Some("jira:client-1".into()),
        ..Held::default()
    };
    let good = json!({ "iss": "com.example.app", "iat": now - 10, "exp": now + 170, "qsh": qsh() });
    let e = explain_exchange(&exchange(
        &format!("JWT {}", token(good.clone(), SECRET)),
        date,
        held.clone(),
    ))
    .unwrap();
    assert_eq!(e.cause, "UNKNOWN", "{e:?}");
    assert!(!e.summary.is_empty() && !e.fix.is_empty());
    let cases = [
        (
            format!("Bearer {}", token(good.clone(), SECRET)),
            "JWT_AUTH_SCHEME_BEARER",
        ),
        (
            format!("JWT token={}", token(good.clone(), SECRET)),
            "JWT_AUTH_SCHEME_TOKEN_EQ",
        ),
        (
            format!("JWT {}", token(good.clone(), "another-install-secret")),
            "JWT_WRONG_SECRET",
        ),
        (
            format!(
                "JWT {}",
                token(
                    json!({ "iss": "jira:client-1", "iat": now, "exp": now + 60, "qsh": qsh() }),
                    SECRET
                )
            ),
            "JWT_ISS_CLIENTKEY",
        ),
        (
            format!(
                "JWT {}",
                token(
                    json!({ "iss": "com.example.app", "iat": now - 600, "exp": now - 420, "qsh": qsh() }),
                    SECRET
                )
            ),
            "JWT_EXPIRED",
        ),
        (
            format!(
                "JWT {}",
                token(
                    json!({ "iss": "com.example.app", "iat": now * 1000, "exp": now * 1000 + 60, "qsh": qsh() }),
                    SECRET
                )
            ),
            "JWT_IAT_MILLISECONDS",
        ),
    ];
    for (auth, want) in cases {
        let e = explain_exchange(&exchange(&auth, date, held.clone())).unwrap();
        assert!(
            e.causes.contains(&want),
            "{want}: {:?} {}",
            e.causes,
            e.summary
        );
        assert!(
            !format!("{e:?}").contains(SECRET),
            "the secret appears in {e:?}"
        );
    }
}

#[test]
fn app_messages_are_read_the_right_way_round() {
    use atlassian_sign_explain::exchange_input::header;
    let text = "Auth failure: Query hash mismatch: Received: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" but calculated \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\". Canonical query was: \"GET&/summary&issueKey=A-1";
    let e = explain_exchange(&ExchangeInput {
        request: Some(SentRequest {
            method: "GET".into(),
            url: "https://app.example.com/api/issues/summary?issueKey=A-1".into(),
            headers: Vec::new(),
            body: None,
        }),
        response: Some(ReceivedResponse {
            status: Some(401),
            headers: Vec::new(),
            body: Some(text.into()),
        }),
        ..ExchangeInput::default()
    })
    .unwrap();
    // No token in the request: that is named; the app hashed a router-local path.
    assert!(e.causes.contains(&"TOKEN_MISSING"), "{:?}", e.causes);
    assert_eq!(header(&[("X-A", "1")], "x-a"), Some("1"));
}

#[test]
fn the_base_string_the_client_signed_is_found_with_its_key() {
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/vectors/oauth-cases.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let pem = v["test_key"]["private_pkcs8_pem"].as_str().unwrap();
    let key = parse_rsa_key(pem).unwrap();
    // A client that kept the default port: it signs https://jira.example.com:443/..., which
    // the server rebuilds as https://jira.example.com/....
    let url = "https://jira.example.com/rest/api/2/search?jql=a%20b";
    let creds = Credentials {
        consumer_key: "ck".into(),
        nonce: Some("n".into()),
        timestamp: Some(1_700_000_000),
        private_key: Some(&key),
        ..Credentials::default()
    };
    let prepared = oauth1::prepare(&Request::new("GET", url), &creds, 1_700_000_000).unwrap();
    let server_bs = prepared.base_string.clone();
    let client_bs = server_bs.replacen("jira.example.com%2F", "jira.example.com%3A443%2F", 1);
    assert_ne!(client_bs, server_bs);
    let signature = oauth1::compute_signature(
        oauth1::SignatureMethod::RsaSha1,
        &client_bs,
        &oauth1::SignatureKey::Rsa(&key),
    )
    .unwrap();
    let client = oauth1::finish(prepared, &signature);
    let body = format!(
        "oauth_problem=signature_invalid&oauth_signature_base_string={}",
        atlassian_sign::encoding::percent_encode(&server_bs)
    );
    let e = explain_exchange(&ExchangeInput {
        request: Some(SentRequest {
            method: "GET".into(),
            url: "https://jira.example.com/rest/api/2/search?jql=a%20b".into(),
            headers: vec![("Authorization".into(), client.authorization.clone())],
            body: None,
        }),
        response: Some(ReceivedResponse {
            status: Some(401),
            headers: Vec::new(),
            body: Some(body),
        }),
        held: Held {
            private_key: Some(pem.into()),
            ..Held::default()
        },
        ..ExchangeInput::default()
    })
    .unwrap();
    assert!(
        e.causes.contains(&"DEFAULT_PORT"),
        "{:?} {}",
        e.causes,
        e.summary
    );
    assert!(!format!("{e:?}").contains("BEGIN PRIVATE KEY"));
}
