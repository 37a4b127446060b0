//! Trusted applications v3 against the published vector; v2 by round trip.

use atlassian_sign::keys::parse_rsa_key;
use atlassian_sign::trusted_apps::{self, HEADER_SIGNATURE};
use serde_json::Value;

#[test]
fn v3_published_vector_and_round_trips() {
    let path = format!(
        "{}/tests/vectors/trusted-apps-v3.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let key = parse_rsa_key(v["private_key_pkcs8_der_base64"].as_str().unwrap()).unwrap();
    let ts: i64 = v["timestamp"]
        .as_str()
        .map(|s| s.parse().unwrap())
        .or(v["timestamp"].as_i64())
        .unwrap();
    let url = v["url"].as_str().unwrap();
    let user = v["username"].as_str().unwrap();
    let headers = trusted_apps::sign(3, "app", &key, user, url, ts).unwrap();
    let sig = &headers
        .iter()
        .find(|(k, _)| k == HEADER_SIGNATURE)
        .unwrap()
        .1;
    assert_eq!(sig, v["expected_v3_signature_base64"].as_str().unwrap());
    for version in [2u8, 3] {
        let h = trusted_apps::sign(version, "app", &key, user, url, ts).unwrap();
        let get = |n: &str| {
            h.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v.clone())
        };
        let ok = trusted_apps::verify(&get, &key, url, ts, 600_000, true).unwrap();
        assert_eq!((ok.username.as_str(), ok.version), (user, version));
        let e =
            trusted_apps::verify(&get, &key, &format!("{url}x"), ts, 600_000, true).unwrap_err();
        assert!(e.to_string().starts_with("BAD_SIGNATURE"), "{e}");
        let e = trusted_apps::verify(&get, &key, url, ts + 3_600_000, 600_000, true).unwrap_err();
        assert!(e.to_string().starts_with("OLD_CERT"), "{e}");
        // Absurd clocks and windows from the caller: refused or out of the window, no overflow
        // (found in review of the trusted_apps fuzz target).
        for (now, window) in [(i64::MIN, 600_000), (i64::MAX, 600_000), (ts, i64::MAX)] {
            let r = trusted_apps::verify(&get, &key, url, now, window, true);
            assert!(
                r.as_ref().map_or_else(
                    |e| e.to_string().starts_with("OLD_CERT"),
                    |_| window == i64::MAX
                ),
                "{now} {window}: {r:?}"
            );
        }
        let e = trusted_apps::verify(&get, &key, url, ts, -1, true).unwrap_err();
        assert_eq!(e.code(), "ERR_INVALID_INPUT");
    }
}

#[test]
fn v2_is_refused_unless_allowed_and_short_keys_warn() {
    let path = format!(
        "{}/tests/vectors/trusted-apps-v3.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let key = parse_rsa_key(v["private_key_pkcs8_der_base64"].as_str().unwrap()).unwrap();
    let url = "https://jira.example.com/rest/api/2/myself";
    let ts = 1_700_000_000_000;
    let headers = |version| trusted_apps::sign(version, "app", &key, "alice", url, ts).unwrap();
    let lookup = |h: &Vec<(String, String)>, skip_version: bool, n: &str| {
        if skip_version && n.eq_ignore_ascii_case(trusted_apps::HEADER_VERSION) {
            return None;
        }
        h.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    // v3 by default; the key's size decides the warning.
    let v3 = headers(3);
    let ok =
        trusted_apps::verify(&|n| lookup(&v3, false, n), &key, url, ts, 600_000, false).unwrap();
    assert_eq!(ok.version, 3);
    assert_eq!(
        ok.warnings.is_empty(),
        key.bits() >= 2048,
        "{:?}",
        ok.warnings
    );
    // v2, and a request with no version header (which means v2): refused by default.
    let v2 = headers(2);
    for skip_version in [false, true] {
        let get = |n: &str| lookup(&v2, skip_version, n);
        let e = trusted_apps::verify(&get, &key, url, ts, 600_000, false).unwrap_err();
        assert!(e.to_string().starts_with("BAD_PROTOCOL_VERSION"), "{e}");
        assert!(e.to_string().contains("allowV2"), "{e}");
        let ok = trusted_apps::verify(&get, &key, url, ts, 600_000, true).unwrap();
        assert_eq!((ok.version, ok.username.as_str()), (2, "alice"));
    }
    // Why: v2's signature covers the timestamp and the URL, not the username, which sits in the
    // certificate. The certificate and key headers of another v2 request (for admin, same
    // timestamp and URL) spliced into alice's request still verify.
    let other = trusted_apps::sign(2, "app", &key, "admin", url, ts).unwrap();
    let spliced: Vec<(String, String)> = v2
        .iter()
        .map(|(k, val)| {
            let from_other = k == trusted_apps::HEADER_CERT || k == trusted_apps::HEADER_KEY;
            let val = if from_other {
                other.iter().find(|(ko, _)| ko == k).unwrap().1.clone()
            } else {
                val.clone()
            };
            (k.clone(), val)
        })
        .collect();
    let get = |n: &str| lookup(&spliced, false, n);
    let ok = trusted_apps::verify(&get, &key, url, ts, 600_000, true).unwrap();
    assert_eq!(
        ok.username, "admin",
        "v2's signature does not cover the username"
    );
    assert!(trusted_apps::verify(&get, &key, url, ts, 600_000, false).is_err());
}
