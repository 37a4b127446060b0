//! Property tests: no input panics (a panic would trap the wasm instance), and round trips hold.

use atlassian_sign::encoding::{form_decode, percent_decode, percent_encode};
use atlassian_sign::json::{Map, Value};
use atlassian_sign::jwt::{self, Algorithm, JwtKey, Validation};
use atlassian_sign::keys::parse_rsa_key;
use atlassian_sign::qsh::{canonical_request, QshOptions};
use atlassian_sign::request::Url;
use proptest::prelude::*;

fn url_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("/".to_owned()),
        Just("?".to_owned()),
        Just("&".to_owned()),
        Just("=".to_owned()),
        Just("%".to_owned()),
        Just("%2".to_owned()),
        Just("%zz".to_owned()),
        Just("+".to_owned()),
        Just("#".to_owned()),
        Just("https://".to_owned()),
        Just("[::1]".to_owned()),
        Just(":".to_owned()),
        Just("jwt".to_owned()),
        "[a-zA-Z0-9]{0,4}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn canonicaliser_never_panics(method in "[A-Za-z&! ]{0,6}", url in url_like(), base in prop::option::of(url_like())) {
        let opts = QshOptions { base_url: base, ..Default::default() };
        let _ = canonical_request(&method, &url, &opts);
        let _ = Url::parse(&url);
    }

    #[test]
    fn query_order_does_not_change_the_canonical_request(
        pairs in prop::collection::vec(("[a-c%+]{0,3}", "[a-c,%+=]{0,4}"), 0..6),
        rot in 0usize..6,
    ) {
        let mut q: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let a = canonical_request("GET", &format!("/p?{}", q.join("&")), &QshOptions::default());
        if !q.is_empty() { let n = rot % q.len(); q.rotate_left(n); }
        let b = canonical_request("GET", &format!("/p?{}", q.join("&")), &QshOptions::default());
        prop_assert_eq!(a.ok(), b.ok());
    }

    #[test]
    fn percent_encoding_round_trips(s in any::<String>()) {
        let e = percent_encode(&s);
        prop_assert!(e.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
        prop_assert_eq!(percent_decode(&e, false), Some(s.clone()));
        prop_assert_eq!(form_decode(&e), Some(s));
    }

    #[test]
    fn jwt_decode_and_verify_never_panic(token in "[A-Za-z0-9_\\-+/=.]{0,80}", alg in "[A-Za-z0-9]{0,6}") {
        let _ = jwt::decode(&token);
        let v = Validation { algorithms: vec![Algorithm::HS256], ..Default::default() };
        let _ = jwt::verify(&token, &JwtKey::Secret(b"s"), &v);
        let _ = Algorithm::from_name(&alg);
    }

    #[test]
    fn hs256_round_trips(claims in prop::collection::btree_map("c_[a-z]{1,6}", any::<String>(), 0..5), secret in prop::collection::vec(any::<u8>(), 1..80)) {
        let claims: Map<String, Value> = claims.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
        let token = jwt::encode(Algorithm::HS256, &JwtKey::Secret(&secret), &Map::new(), &claims).unwrap();
        let v = Validation { algorithms: vec![Algorithm::HS256], now: 0, ..Default::default() };
        let d = jwt::verify(&token, &JwtKey::Secret(&secret), &v).unwrap();
        prop_assert_eq!(d.payload, claims);
        let mut wrong = secret.clone();
        wrong[0] ^= 1;
        prop_assert_eq!(jwt::verify(&token, &JwtKey::Secret(&wrong), &v).unwrap_err().code(), "ERR_JWT_SIGNATURE_INVALID");
    }

    #[test]
    fn key_parser_never_panics(text in "(-----BEGIN (RSA )?(PRIVATE|PUBLIC) KEY-----\n)?[A-Za-z0-9+/=\n]{0,200}(-----END (RSA )?(PRIVATE|PUBLIC) KEY-----)?") {
        let _ = parse_rsa_key(&text);
    }

    #[test]
    fn key_parser_survives_corrupted_der(pos in 0usize..1200, byte in any::<u8>()) {
        let pem = include_str!("vectors/test-key-pkcs8.pem");
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let mut der = atlassian_sign::encoding::b64_decode(&body).unwrap();
        let p = pos % der.len();
        der[p] = byte;
        let _ = parse_rsa_key(&atlassian_sign::encoding::b64_encode(&der));
    }
}
