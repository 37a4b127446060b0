//! A key held outside (a WebCrypto key that cannot be exported): the signing input made here
//! is what `encode_json` signs, and `verify_with` keeps the algorithm and claim rules.

use atlassian_sign::error::Error;
use atlassian_sign::json::{Map, Value};
use atlassian_sign::jwt::{self, Algorithm, JwtKey, Validation};

#[test]
fn the_signing_input_is_what_encode_signs() {
    let mut header = Map::new();
    header.insert("kid".into(), Value::from("k1"));
    let claims = br#"{"iss":"me","exp":2000}"#;
    let token = jwt::encode_json(Algorithm::HS256, &JwtKey::Secret(b"s"), &header, claims).unwrap();
    let input = jwt::signing_input_json(Algorithm::HS256, &header, claims);
    assert_eq!(token.rsplit_once('.').unwrap().0, input);
}

#[test]
fn verify_with_keeps_the_algorithm_and_claim_rules() {
    let claims = br#"{"iss":"me","exp":2000}"#;
    let token =
        jwt::encode_json(Algorithm::HS256, &JwtKey::Secret(b"s"), &Map::new(), claims).unwrap();
    let v = |now: i64, algorithms: Vec<Algorithm>| Validation {
        algorithms,
        now,
        ..Default::default()
    };
    // The check sees the token's algorithm, signing input and signature.
    let mut seen = None;
    let d = jwt::verify_with(
        &token,
        &v(1000, vec![Algorithm::HS256]),
        |alg, input, sig| {
            seen = Some((alg, input.to_vec(), sig.len()));
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(d.payload.get("iss"), Some(&Value::from("me")));
    let (alg, input, len) = seen.unwrap();
    assert_eq!((alg, len), (Algorithm::HS256, 32));
    assert_eq!(input, token.rsplit_once('.').unwrap().0.as_bytes());
    // A failed check is the result; claims are checked after it; an algorithm not allowed is
    // refused before the check runs.
    let bad = jwt::verify_with(&token, &v(1000, vec![Algorithm::HS256]), |_, _, _| {
        Err(Error::JwtSignatureInvalid("no".into()))
    });
    assert!(matches!(bad, Err(Error::JwtSignatureInvalid(_))));
    let expired = jwt::verify_with(&token, &v(3000, vec![Algorithm::HS256]), |_, _, _| Ok(()));
    assert!(matches!(expired, Err(Error::JwtExpired(_))));
    let not_allowed = jwt::verify_with(&token, &v(1000, vec![Algorithm::RS256]), |_, _, _| {
        panic!("the check must not run for an algorithm that is not allowed")
    });
    assert!(matches!(not_allowed, Err(Error::JwtAlgorithmNotAllowed(_))));
}
