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
        let ok = trusted_apps::verify(&get, &key, url, ts, 600_000).unwrap();
        assert_eq!((ok.username.as_str(), ok.version), (user, version));
        let e = trusted_apps::verify(&get, &key, &format!("{url}x"), ts, 600_000).unwrap_err();
        assert!(e.to_string().starts_with("BAD_SIGNATURE"), "{e}");
        let e = trusted_apps::verify(&get, &key, url, ts + 3_600_000, 600_000).unwrap_err();
        assert!(e.to_string().starts_with("OLD_CERT"), "{e}");
        // Absurd clocks and windows from the caller: refused or out of the window, no overflow
        // (found in review of the trusted_apps fuzz target).
        for (now, window) in [(i64::MIN, 600_000), (i64::MAX, 600_000), (ts, i64::MAX)] {
            let r = trusted_apps::verify(&get, &key, url, now, window);
            assert!(
                r.as_ref().map_or_else(
                    |e| e.to_string().starts_with("OLD_CERT"),
                    |_| window == i64::MAX
                ),
                "{now} {window}: {r:?}"
            );
        }
        let e = trusted_apps::verify(&get, &key, url, ts, -1).unwrap_err();
        assert_eq!(e.code(), "ERR_INVALID_INPUT");
    }
}
