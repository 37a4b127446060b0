//! Key formats and RSA JWTs.

use atlassian_sign::json::{self, Map, Value};
use atlassian_sign::jwt::{self, Algorithm, JwtKey, Validation};
use atlassian_sign::keys::{parse_rsa_key, public_key_jwk, public_key_spki_pem, KeyFormat};

fn test_key(name: &str) -> String {
    let path = format!(
        "{}/tests/vectors/oauth-cases.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Value = json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["test_key"][name].as_str().unwrap().to_owned()
}

fn claims() -> Map<String, Value> {
    json::object_from_slice(br#"{"iss":"app","exp":2000000000}"#).unwrap()
}

#[test]
fn every_format_reads_and_rs256_is_deterministic() {
    let pkcs8 = parse_rsa_key(&test_key("private_pkcs8_pem")).unwrap();
    let pkcs1 = parse_rsa_key(&test_key("private_pkcs1_pem")).unwrap();
    let spki = parse_rsa_key(&test_key("public_spki_pem")).unwrap();
    let pub1 = parse_rsa_key(&test_key("public_pkcs1_pem")).unwrap();
    assert_eq!(pkcs8.format(), KeyFormat::Pkcs8Private);
    assert_eq!(pkcs1.format(), KeyFormat::Pkcs1Private);
    assert_eq!(spki.format(), KeyFormat::SpkiPublic);
    assert_eq!(pub1.format(), KeyFormat::Pkcs1Public);
    assert_eq!(pkcs8.bits(), 2048);
    let a = jwt::encode(
        Algorithm::RS256,
        &JwtKey::Rsa(&pkcs8),
        &Map::new(),
        &claims(),
    )
    .unwrap();
    let b = jwt::encode(
        Algorithm::RS256,
        &JwtKey::Rsa(&pkcs1),
        &Map::new(),
        &claims(),
    )
    .unwrap();
    assert_eq!(
        a, b,
        "PKCS#1 v1.5 signatures are deterministic, blinding or not"
    );
    let v = Validation {
        algorithms: vec![Algorithm::RS256],
        now: 1_900_000_000,
        ..Default::default()
    };
    for k in [&spki, &pub1, &pkcs8] {
        jwt::verify(&a, &JwtKey::Rsa(k), &v).unwrap();
    }
    // The same key through SPKI PEM and JWK.
    let jwk = public_key_jwk(pkcs8.public_key());
    let from_jwk = parse_rsa_key(&jwk.to_string()).unwrap();
    jwt::verify(&a, &JwtKey::Rsa(&from_jwk), &v).unwrap();
    let pem = public_key_spki_pem(pkcs8.public_key()).unwrap();
    assert_eq!(pem.trim(), test_key("public_spki_pem").trim());
    // Bare base64 DER, as Jira's form shows a public key.
    let bare: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    assert_eq!(
        parse_rsa_key(&bare).unwrap().format(),
        KeyFormat::SpkiPublic
    );
    // PS256 is randomised but verifies.
    let p = jwt::encode(
        Algorithm::PS256,
        &JwtKey::Rsa(&pkcs1),
        &Map::new(),
        &claims(),
    )
    .unwrap();
    let vp = Validation {
        algorithms: vec![Algorithm::PS256],
        ..v.clone()
    };
    jwt::verify(&p, &JwtKey::Rsa(&spki), &vp).unwrap();
}

#[test]
fn key_errors_say_what_to_do() {
    let public = parse_rsa_key(&test_key("public_spki_pem")).unwrap();
    let e = jwt::encode(
        Algorithm::RS256,
        &JwtKey::Rsa(&public),
        &Map::new(),
        &claims(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_KEY");
    assert!(e.to_string().contains("private key"), "{e}");
    let e = parse_rsa_key(
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----",
    )
    .unwrap_err();
    assert!(e.to_string().contains("openssl pkcs8"), "{e}");
    let e = parse_rsa_key("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----").unwrap_err();
    assert!(e.to_string().contains("passphrase"), "{e}");
    assert_eq!(
        parse_rsa_key("hello").unwrap_err().code(),
        "ERR_INVALID_KEY"
    );
    let e = parse_rsa_key("-----BEGIN PRIVATE KEY-----\nMIIB").unwrap_err();
    assert!(e.to_string().contains("END PRIVATE KEY"), "{e}");
    // Algorithm confusion: an RS256 verifier never accepts an HS256 token.
    let pem = test_key("public_spki_pem");
    let forged = jwt::encode(
        Algorithm::HS256,
        &JwtKey::Secret(pem.as_bytes()),
        &Map::new(),
        &claims(),
    )
    .unwrap();
    let v = Validation {
        algorithms: vec![Algorithm::RS256],
        now: 1_900_000_000,
        ..Default::default()
    };
    assert_eq!(
        jwt::verify(&forged, &JwtKey::Rsa(&public), &v)
            .unwrap_err()
            .code(),
        "ERR_JWT_ALG_NOT_ALLOWED"
    );
}

#[test]
fn claim_checks() {
    let s = JwtKey::Secret(b"secret");
    let mk = |c: &str| {
        jwt::encode(
            Algorithm::HS256,
            &s,
            &Map::new(),
            &json::object_from_slice(c.as_bytes()).unwrap(),
        )
        .unwrap()
    };
    let v = |now| Validation {
        algorithms: vec![Algorithm::HS256],
        now,
        leeway: 5,
        ..Default::default()
    };
    assert_eq!(
        jwt::verify(&mk(r#"{"exp":100}"#), &s, &v(105))
            .unwrap_err()
            .code(),
        "ERR_JWT_EXPIRED"
    );
    assert!(jwt::verify(&mk(r#"{"exp":100}"#), &s, &v(104)).is_ok());
    assert_eq!(
        jwt::verify(&mk(r#"{"nbf":100}"#), &s, &v(94))
            .unwrap_err()
            .code(),
        "ERR_JWT_NOT_YET_VALID"
    );
    let ms = jwt::verify(&mk(r#"{"exp":1700000000000}"#), &s, &v(0)).unwrap_err();
    assert!(ms.to_string().contains("milliseconds"), "{ms}");
    let mut vi = v(0);
    vi.issuer = vec!["app".into()];
    assert_eq!(
        jwt::verify(&mk(r#"{"iss":"client"}"#), &s, &vi)
            .unwrap_err()
            .code(),
        "ERR_JWT_CLAIM_INVALID"
    );
    vi.audience = vec!["https://app.example".into()];
    assert_eq!(
        jwt::verify(&mk(r#"{"iss":"app"}"#), &s, &vi)
            .unwrap_err()
            .code(),
        "ERR_JWT_CLAIM_MISSING"
    );
    assert!(jwt::verify(
        &mk(r#"{"iss":"app","aud":["x","https://app.example"]}"#),
        &s,
        &vi
    )
    .is_ok());
    let none = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJhcHAifQ.";
    assert_eq!(
        jwt::verify(none, &s, &v(0)).unwrap_err().code(),
        "ERR_JWT_ALG_NOT_ALLOWED"
    );
    assert_eq!(
        jwt::verify("a.b", &s, &v(0)).unwrap_err().code(),
        "ERR_JWT_MALFORMED"
    );
}

#[test]
fn tokens_are_found_in_what_people_paste() {
    use atlassian_sign::incoming::token_from_text;
    let t = "eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.sig";
    for pasted in [
        t.to_owned(),
        format!("  {t}\n"),
        format!("JWT {t}"),
        format!("Authorization: JWT {t}"),
        format!("authorization:   bearer {t}"),
    ] {
        assert_eq!(token_from_text(&pasted), (t.to_owned(), None), "{pasted:?}");
    }
    let url = format!("https://app.example.com/page?a=1&jwt={t}&b=2#x");
    assert_eq!(token_from_text(&url), (t.to_owned(), Some(url.clone())));
    // A URL whose jwt parameter is percent-encoded gives the decoded token.
    let enc = "https://x.example/p?jwt=a%2Eb.c";
    assert_eq!(token_from_text(enc).0, "a.b.c");
}
