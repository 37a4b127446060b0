//! explain on a whole trusted-applications exchange: OLD_CERT measured against the response's
//! Date, and BAD_SIGNATURE tested by verifying the received signature with the caller's key
//! over both URLs and both protocol versions.

use atlassian_sign::keys::parse_rsa_key;
use atlassian_sign::trusted_apps;
use atlassian_sign_explain::{
    explain_exchange, ExchangeInput, Explanation, Held, ReceivedResponse, SentRequest,
};

const URL: &str = "https://fisheye.example.com/rest-service/repositories-v1";
/// 2026-01-12T09:00:00Z
const DATE: &str = "Mon, 12 Jan 2026 09:00:00 GMT";
const NOW_MS: i64 = 1_768_208_400_000;

fn vectors() -> serde_json::Value {
    let dir = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{dir}/../../tests/vectors/rsa-signatures.json"));
    serde_json::from_str(&text.unwrap()).unwrap()
}

fn key_pem(i: usize) -> (String, String) {
    let v = vectors();
    let k = &v["keys"][i];
    (
        k["private_pem"].as_str().unwrap().to_owned(),
        k["public_spki_pem"].as_str().unwrap().to_owned(),
    )
}

fn headers(version: u8, pem: &str, url: &str, ts: i64) -> Vec<(String, String)> {
    let key = parse_rsa_key(pem).unwrap();
    trusted_apps::sign(version, "confluence:123", &key, "alice", url, ts).unwrap()
}

fn set(h: &mut [(String, String)], name: &str, value: &str) {
    for (n, v) in h.iter_mut() {
        if n.eq_ignore_ascii_case(name) {
            *v = value.to_owned();
        }
    }
}

fn get<'a>(h: &'a [(String, String)], name: &str) -> &'a str {
    h.iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap()
}

/// v3 headers whose signature covers only the timestamp and the URL, as v2 signs.
fn v2_signature_under_v3(pem: &str) -> Vec<(String, String)> {
    let mut sent = headers(3, pem, URL, NOW_MS);
    let v2 = headers(2, pem, URL, NOW_MS);
    set(
        &mut sent,
        "X-Seraph-Trusted-App-Signature",
        get(&v2, "X-Seraph-Trusted-App-Signature"),
    );
    sent
}

fn run(sent: Vec<(String, String)>, error: &str, held: Held) -> Explanation {
    let e = explain_exchange(&ExchangeInput {
        request: Some(SentRequest {
            method: "GET".into(),
            url: URL.into(),
            headers: sent,
            body: None,
        }),
        response: Some(ReceivedResponse {
            status: Some(401),
            headers: vec![
                ("Date".into(), DATE.into()),
                ("X-Seraph-Trusted-App-Status".into(), "ERROR".into()),
                ("X-Seraph-Trusted-App-Error".into(), error.into()),
            ],
            body: None,
        }),
        held,
        ..ExchangeInput::default()
    })
    .unwrap();
    assert!(!e.summary.is_empty() && !e.fix.is_empty(), "{e:?}");
    assert!(!format!("{e:?}").contains("PRIVATE KEY"), "{e:?}");
    e
}

fn bad_signature(server_url: &str) -> String {
    format!("BAD_SIGNATURE;\tBad signature for URL: {{0}};\t[\"{server_url}\"]")
}

#[test]
fn old_cert_says_by_how_much_the_clocks_differ() {
    let (pem, _) = key_pem(0);
    let e = run(
        headers(3, &pem, URL, NOW_MS - 3_600_000),
        "OLD_CERT;\tCertificate too old",
        Held::default(),
    );
    assert_eq!(e.cause, "CLOCK_SKEW");
    assert!(e.summary.contains("3600 s behind"), "{}", e.summary);

    // A timestamp in seconds is read as a time in 1970.
    let e = run(
        headers(3, &pem, URL, NOW_MS / 1000),
        "OLD_CERT;\tCertificate too old",
        Held::default(),
    );
    assert!(e.summary.contains("seconds"), "{}", e.summary);
    assert!(e.fix.contains("milliseconds"), "{}", e.fix);
}

#[test]
fn a_v2_signature_under_a_v3_header_is_a_version_mismatch() {
    let (pem, public) = key_pem(0);
    let sent = v2_signature_under_v3(&pem);
    let held = Held {
        public_key: Some(public),
        ..Held::default()
    };
    let e = run(sent, &bad_signature(URL), held);
    assert_eq!(e.causes, ["VERSION_MISMATCH"], "{}", e.summary);
    assert!(e.summary.contains("v2"), "{}", e.summary);
}

#[test]
fn no_version_header_with_agreeing_urls_points_at_the_version_without_a_key() {
    let (pem, _) = key_pem(0);
    let mut sent = headers(3, &pem, URL, NOW_MS);
    sent.retain(|(n, _)| !n.eq_ignore_ascii_case("X-Seraph-Trusted-App-Version"));
    let e = run(sent, &bad_signature(URL), Held::default());
    assert_eq!(e.cause, "VERSION_MISMATCH", "{}", e.summary);
    assert!(e.summary.contains("no X-Seraph-Trusted-App-Version"));
}

#[test]
fn a_url_rebuilt_behind_a_proxy_is_confirmed_by_the_signature() {
    let (pem, public) = key_pem(0);
    let server_url = "http://fisheye.example.com:8060/rest-service/repositories-v1";
    let held = Held {
        private_key: Some(pem.clone()),
        ..Held::default()
    };
    let e = run(
        headers(3, &pem, URL, NOW_MS),
        &bad_signature(server_url),
        held,
    );
    assert_eq!(e.cause, "PROXY_SCHEME", "{:?} {}", e.causes, e.summary);
    assert!(
        e.summary.contains("verifies with your key"),
        "{}",
        e.summary
    );

    // The same with a v2 signature under a v3 header: both the version and the URL.
    let sent = v2_signature_under_v3(&pem);
    let held = Held {
        public_key: Some(public),
        ..Held::default()
    };
    let e = run(sent, &bad_signature(server_url), held);
    assert_eq!(e.causes[0], "VERSION_MISMATCH", "{:?}", e.causes);
    assert!(e.causes.contains(&"PROXY_SCHEME"), "{:?}", e.causes);
}

#[test]
fn a_signature_that_verifies_over_the_server_url_means_the_server_holds_another_key() {
    let (pem, public) = key_pem(0);
    let held = Held {
        public_key: Some(public),
        ..Held::default()
    };
    let e = run(headers(3, &pem, URL, NOW_MS), &bad_signature(URL), held);
    assert_eq!(e.causes, ["KEY_MISMATCH"], "{}", e.summary);
    assert!(e.summary.contains("another public key"), "{}", e.summary);

    // A key that is not the caller's: nothing verifies.
    let (_, other) = key_pem(1);
    let held = Held {
        public_key: Some(other),
        ..Held::default()
    };
    let e = run(headers(3, &pem, URL, NOW_MS), &bad_signature(URL), held);
    assert_eq!(e.causes, ["KEY_MISMATCH"], "{}", e.summary);
    assert!(e.summary.contains("does not verify"), "{}", e.summary);
}
