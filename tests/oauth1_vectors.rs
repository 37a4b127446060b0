//! OAuth 1.0a vectors (`tests/vectors/oauth-cases.json`): every published vector and every
//! method of every case, byte for byte (base string, signature, Authorization header), then
//! sign-and-verify round trips and tampered requests.

use std::cell::RefCell;
use std::collections::HashSet;

use atlassian_sign::encoding::{parse_form, percent_encode};
use atlassian_sign::keys::{parse_rsa_key, RsaKey};
use atlassian_sign::oauth1::{
    base_string_uri, compute_signature, normalize_parameters, parse_authorization_header,
    parse_problem, sign, signing_key, verify, verify_signature, Credentials, Request, SignatureKey,
    SignatureMethod, SignedRequest, VerifyOptions, VerifyOutcome,
};
use atlassian_sign::request::Url;
use serde_json::Value;

const VECTORS: &str = include_str!("vectors/oauth-cases.json");

fn vectors() -> Value {
    serde_json::from_str(VECTORS).expect("oauth-cases.json is JSON")
}

fn s(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

fn str_at<'v>(v: &'v Value, key: &str) -> &'v str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

struct TestKeys {
    pkcs8: RsaKey,
    pkcs1: RsaKey,
    spki: RsaKey,
    pkcs1_public: RsaKey,
}

fn test_keys(v: &Value) -> TestKeys {
    let k = &v["test_key"];
    TestKeys {
        pkcs8: parse_rsa_key(str_at(k, "private_pkcs8_pem")).unwrap(),
        pkcs1: parse_rsa_key(str_at(k, "private_pkcs1_pem")).unwrap(),
        spki: parse_rsa_key(str_at(k, "public_spki_pem")).unwrap(),
        pkcs1_public: parse_rsa_key(str_at(k, "public_pkcs1_pem")).unwrap(),
    }
}

/// The request of a case or published vector; the body is a parameter source only when it is
/// form-encoded.
fn request_of(method: &str, url: &str, content_type: &Value, body: &Value) -> Request {
    let req = Request::new(method, url);
    match (content_type.as_str(), body.as_str()) {
        (Some("application/x-www-form-urlencoded"), Some(b)) => req.with_form_body(b),
        _ => req,
    }
}

fn case_credentials<'k>(
    c: &Value,
    method: SignatureMethod,
    include_version: bool,
    key: &'k RsaKey,
) -> Credentials<'k> {
    Credentials {
        consumer_key: str_at(c, "consumer_key").into(),
        consumer_secret: str_at(c, "consumer_secret").into(),
        token: s(&c["token"]),
        token_secret: s(&c["token_secret"]).unwrap_or_default(),
        signature_method: method,
        callback: s(&c["callback"]),
        verifier: s(&c["verifier"]),
        realm: None,
        nonce: s(&c["nonce"]),
        timestamp: Some(str_at(c, "timestamp").parse().unwrap()),
        include_version,
        private_key: Some(key),
    }
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| (s(&p[0]).unwrap(), s(&p[1]).unwrap()))
        .collect()
}

fn verify_options<'a>(
    method: SignatureMethod,
    creds: &'a Credentials<'_>,
    public: &'a RsaKey,
    now: u64,
) -> VerifyOptions<'a> {
    let mut o = VerifyOptions::new(now);
    if method.is_rsa() {
        o.public_key = Some(public);
    } else {
        o.consumer_secret = Some(&creds.consumer_secret);
        o.token_secret = &creds.token_secret;
    }
    o.accepted_methods = Some(&SignatureMethod::ALL);
    o
}

#[test]
fn every_case_and_method_matches_the_reference() {
    let v = vectors();
    let keys = test_keys(&v);
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 28, "T01-T27 with T09a/T09b");
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases {
        let id = str_at(case, "id");
        let r = &case["request"];
        let request = request_of(
            str_at(r, "method"),
            str_at(r, "url"),
            &r["content_type"],
            &r["body"],
        );
        let uri = base_string_uri(&Url::parse(&request.url).unwrap());
        if uri != str_at(case, "base_string_uri") {
            failures.push(format!("{id}: base string URI {uri}"));
        }
        for (name, expected) in case["by_method"].as_object().unwrap() {
            checked += 1;
            let method = SignatureMethod::from_name(name).unwrap();
            assert_eq!(method.name(), name);
            let oauth_params = pairs(&expected["oauth_params"]);
            let include_version = oauth_params.iter().any(|(n, _)| n == "oauth_version");
            let creds =
                case_credentials(&case["credentials"], method, include_version, &keys.pkcs8);
            let signed = match sign(&request, &creds, 0) {
                Ok(sr) => sr,
                Err(e) => {
                    failures.push(format!("{id} {name}: {e}"));
                    continue;
                }
            };
            let mut check = |what: &str, got: &str, want: &str| {
                if got != want {
                    failures.push(format!("{id} {name}: {what}\n   got {got}\n  want {want}"));
                }
            };
            check(
                "base string",
                &signed.base_string,
                str_at(expected, "signature_base_string"),
            );
            check(
                "signature",
                &signed.signature,
                str_at(expected, "signature"),
            );
            check(
                "Authorization",
                &signed.authorization,
                str_at(expected, "authorization_header"),
            );
            let mut want_params = oauth_params.clone();
            want_params.push((
                "oauth_signature".into(),
                str_at(expected, "signature").into(),
            ));
            if signed.params != want_params {
                failures.push(format!("{id} {name}: params {:?}", signed.params));
            }

            if method.is_rsa() {
                // Every private-key form signs identically (PKCS#1 v1.5 is deterministic).
                let creds1 = Credentials {
                    private_key: Some(&keys.pkcs1),
                    ..creds.clone()
                };
                match sign(&request, &creds1, 0) {
                    Ok(sr) if sr == signed => {}
                    other => failures.push(format!("{id} {name}: PKCS#1 key gave {other:?}")),
                }
                // verifies_with_public_key: the SPKI form an administrator pastes into Jira.
                for public in [&keys.spki, &keys.pkcs1_public] {
                    let ok = verify_signature(
                        method,
                        str_at(expected, "signature_base_string"),
                        &SignatureKey::Rsa(public),
                        str_at(expected, "signature"),
                    );
                    if ok != Ok(expected["verifies_with_public_key"].as_bool().unwrap()) {
                        failures.push(format!("{id} {name}: public key verification {ok:?}"));
                    }
                }
            }

            // The provider side accepts exactly what the reference signed.
            let ts = signed.params[3].1.parse::<u64>().unwrap();
            let opts = verify_options(method, &creds, &keys.spki, ts);
            match verify(&request, Some(&signed.authorization), &opts) {
                Ok(VerifyOutcome::Ok { base_string, .. }) if base_string == signed.base_string => {}
                other => failures.push(format!("{id} {name}: verify gave {other:?}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} case/method pairs differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // T01 has five methods, T13-T15 one, the other 24 cases two.
    assert_eq!(checked, 56);
}

#[test]
fn every_published_vector_matches() {
    let v = vectors();
    let mut failures = Vec::new();
    let mut checked = 0;
    for vector in v["published_vectors"].as_array().unwrap() {
        let name = str_at(vector, "name");
        checked += 1;
        if vector.get("url").is_some() {
            // A full request: sign it end to end with its fixed nonce and timestamp.
            let params = pairs(&vector["oauth_params"]);
            let get = |n: &str| params.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
            let method = SignatureMethod::from_name(str_at(vector, "signature_method")).unwrap();
            let key = vector["private_key_pkcs8_pem"]
                .as_str()
                .map(|pem| parse_rsa_key(pem).unwrap());
            let creds = Credentials {
                consumer_key: get("oauth_consumer_key").unwrap(),
                consumer_secret: str_at(vector, "consumer_secret").into(),
                token: get("oauth_token"),
                token_secret: str_at(vector, "token_secret").into(),
                signature_method: method,
                callback: get("oauth_callback"),
                verifier: get("oauth_verifier"),
                realm: None,
                nonce: get("oauth_nonce"),
                timestamp: get("oauth_timestamp").map(|t| t.parse().unwrap()),
                include_version: get("oauth_version").is_some(),
                private_key: key.as_ref(),
            };
            let request = request_of(
                str_at(vector, "method"),
                str_at(vector, "url"),
                &vector["content_type"],
                &vector["body"],
            );
            let signed = sign(&request, &creds, 0).unwrap();
            if signed.base_string != str_at(vector, "signature_base_string") {
                failures.push(format!("{name}: base string {}", signed.base_string));
            }
            if signed.signature != str_at(vector, "recomputed_signature") {
                failures.push(format!("{name}: signature {}", signed.signature));
            }
            let published = str_at(vector, "published_signature");
            if vector["reproduces"].as_bool().unwrap() != (signed.signature == published) {
                failures.push(format!("{name}: published signature {published}"));
            }
            let mut sent: Vec<_> = signed.params[..signed.params.len() - 1].to_vec();
            let mut want = params.clone();
            sent.sort();
            want.sort();
            if sent != want {
                failures.push(format!("{name}: protocol parameters {sent:?}"));
            }
            if let Some(cert) = vector["certificate_pem"].as_str() {
                let cert = parse_rsa_key(cert).unwrap();
                let ok = verify_signature(
                    method,
                    &signed.base_string,
                    &SignatureKey::Rsa(&cert),
                    published,
                );
                if ok != Ok(true) {
                    failures.push(format!("{name}: certificate does not verify ({ok:?})"));
                }
            }
        } else if vector.get("cases").is_some() {
            // PLAINTEXT: the signature is the key; the header value percent-encodes it.
            let method = SignatureMethod::from_name(str_at(vector, "signature_method")).unwrap();
            for c in vector["cases"].as_array().unwrap() {
                let key = SignatureKey::Secrets {
                    consumer_secret: str_at(c, "consumer_secret"),
                    token_secret: str_at(c, "token_secret"),
                };
                let sig = compute_signature(method, "ignored", &key).unwrap();
                if sig != str_at(c, "signature")
                    || percent_encode(&sig) != str_at(c, "header_value")
                {
                    failures.push(format!("{name}: {sig}"));
                }
                let direct = signing_key(str_at(c, "consumer_secret"), str_at(c, "token_secret"));
                assert_eq!(direct, sig);
            }
        } else if vector.get("pairs").is_some() && name.contains("encoding") {
            for p in vector["pairs"].as_array().unwrap() {
                let got = percent_encode(str_at_index(p, 0));
                if got != str_at_index(p, 1) {
                    failures.push(format!("{name}: {p} gave {got}"));
                }
            }
        } else if vector.get("pairs").is_some() && name.contains("normalization") {
            for p in vector["pairs"].as_array().unwrap() {
                let got = normalize_parameters(&parse_form(str_at_index(p, 0)));
                if got != str_at_index(p, 1) {
                    failures.push(format!("{name}: {p} gave {got}"));
                }
            }
        } else if vector.get("signature_base_string").is_some() {
            // A bare base string with secrets.
            let method = SignatureMethod::from_name(str_at(vector, "signature_method")).unwrap();
            let key = SignatureKey::Secrets {
                consumer_secret: str_at(vector, "consumer_secret"),
                token_secret: str_at(vector, "token_secret"),
            };
            let sig =
                compute_signature(method, str_at(vector, "signature_base_string"), &key).unwrap();
            if sig != str_at(vector, "published_signature") {
                failures.push(format!("{name}: {sig}"));
            }
        } else {
            panic!("published vector {name:?} has a shape this test does not know");
        }
    }
    assert!(
        failures.is_empty(),
        "published vectors differ:\n{}",
        failures.join("\n")
    );
    assert_eq!(checked, 11);
}

fn str_at_index(v: &Value, i: usize) -> &str {
    v[i].as_str().unwrap()
}

#[test]
fn realm_goes_first_in_the_header_and_is_not_signed() {
    // RFC 5849 section 1.2: realm="Photos" in the header, not in the base string.
    let creds = Credentials {
        consumer_key: "dpf43f3p2l4k3l03".into(),
        consumer_secret: "kd94hf93k423kf44".into(),
        signature_method: SignatureMethod::HmacSha1,
        callback: Some("http://printer.example.com/ready".into()),
        realm: Some("Photos".into()),
        nonce: Some("wIjqoS".into()),
        timestamp: Some(137131200),
        include_version: false,
        ..Credentials::default()
    };
    let signed = sign(
        &Request::new("POST", "https://photos.example.net/initiate"),
        &creds,
        0,
    )
    .unwrap();
    assert_eq!(
        signed.authorization,
        "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_nonce=\"wIjqoS\", \
         oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131200\", \
         oauth_callback=\"http%3A%2F%2Fprinter.example.com%2Fready\", \
         oauth_signature=\"74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D\""
    );
    let parsed = parse_authorization_header(&signed.authorization).unwrap();
    assert_eq!(parsed[0], ("realm".into(), "Photos".into()));
    assert_eq!(&parsed[1..], &signed.params[..]);
}

// ---------------------------------------------------------------------------------------------
// Round trips and tampering
// ---------------------------------------------------------------------------------------------

const NOW: u64 = 1_700_000_000;
const URL: &str =
    "https://jira.example.com/rest/api/2/search?jql=project%20%3D%20TEST&maxResults=50";

fn rsa_creds(key: &RsaKey) -> Credentials<'_> {
    Credentials {
        consumer_key: "jira-toolkit-test".into(),
        token: Some("nnch734d00sl2jdk".into()),
        private_key: Some(key),
        ..Credentials::default()
    }
}

fn rsa_opts(public: &RsaKey) -> VerifyOptions<'_> {
    VerifyOptions {
        public_key: Some(public),
        ..VerifyOptions::new(NOW)
    }
}

fn signed_rsa(keys: &TestKeys, request: &Request) -> SignedRequest {
    sign(request, &rsa_creds(&keys.pkcs8), NOW).unwrap()
}

#[test]
fn generated_nonce_and_timestamp_round_trip() {
    let v = vectors();
    let keys = test_keys(&v);
    let request = Request::new("GET", URL);
    let a = signed_rsa(&keys, &request);
    let b = signed_rsa(&keys, &request);
    let nonce = &a.params[1];
    assert_eq!(nonce.0, "oauth_nonce");
    assert_eq!(nonce.1.len(), 32, "128 bits as hex");
    assert!(nonce.1.bytes().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(nonce.1, b.params[1].1, "a fresh nonce per request");
    assert_eq!(a.params[3], ("oauth_timestamp".into(), NOW.to_string()));
    assert_eq!(a.url, URL);
    let outcome = verify(&request, Some(&a.authorization), &rsa_opts(&keys.spki)).unwrap();
    match outcome {
        VerifyOutcome::Ok {
            consumer_key,
            token,
            signature_method,
            base_string,
            params,
            warnings,
        } => {
            // The test key has 2048 bits: nothing to warn about.
            assert_eq!(warnings, Vec::<String>::new());
            assert_eq!(consumer_key, "jira-toolkit-test");
            assert_eq!(token.as_deref(), Some("nnch734d00sl2jdk"));
            assert_eq!(signature_method, SignatureMethod::RsaSha1);
            assert_eq!(base_string, a.base_string);
            assert_eq!(params, a.params);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn protocol_parameters_in_the_query_verify_too() {
    let v = vectors();
    let keys = test_keys(&v);
    let request = Request::new("GET", URL);
    let signed = signed_rsa(&keys, &request);
    let mut url = URL.to_owned();
    for (n, val) in &signed.params {
        url.push('&');
        url.push_str(&percent_encode(n));
        url.push('=');
        url.push_str(&percent_encode(val));
    }
    let outcome = verify(&Request::new("GET", &url), None, &rsa_opts(&keys.spki)).unwrap();
    assert!(outcome.is_ok(), "{outcome:?}");
}

fn expect_signature_invalid(outcome: VerifyOutcome, expected_base: &str) {
    match &outcome {
        VerifyOutcome::SignatureInvalid { base_string, .. } => {
            assert_eq!(base_string, expected_base);
            assert_eq!(outcome.http_status(), 401);
            // The problem report a provider sends reads back to the same base string.
            let problem = parse_problem(&outcome.problem_body().unwrap()).unwrap();
            assert_eq!(problem.problem, "signature_invalid");
            assert_eq!(problem.base_string.as_deref(), Some(expected_base));
            let header = outcome
                .www_authenticate(Some("https://jira.example.com"))
                .unwrap();
            let problem = parse_problem(&format!("WWW-Authenticate: {header}")).unwrap();
            assert_eq!(problem.base_string.as_deref(), Some(expected_base));
            assert_eq!(problem.params[0].1, "https://jira.example.com");
        }
        other => panic!("expected signature_invalid, got {other:?}"),
    }
}

#[test]
fn tampered_requests_are_signature_invalid() {
    let v = vectors();
    let keys = test_keys(&v);
    let creds = rsa_creds(&keys.pkcs8);
    let opts = rsa_opts(&keys.spki);
    let original = Request::new("POST", URL).with_form_body("a=1&b=x+y");
    let signed = sign(&original, &creds, NOW).unwrap();
    assert!(verify(&original, Some(&signed.authorization), &opts)
        .unwrap()
        .is_ok());

    let tampered = [
        (
            "query",
            Request::new("POST", &URL.replace("50", "51")).with_form_body("a=1&b=x+y"),
        ),
        (
            "path",
            Request::new("POST", &URL.replace("search", "Search")).with_form_body("a=1&b=x+y"),
        ),
        (
            "body",
            Request::new("POST", URL).with_form_body("a=1&b=x%2By"),
        ),
        (
            "method",
            Request::new("PUT", URL).with_form_body("a=1&b=x+y"),
        ),
        (
            "default port kept",
            Request::new("POST", &URL.replace(".com/", ".com:8443/")).with_form_body("a=1&b=x+y"),
        ),
        (
            "scheme",
            Request::new("POST", &URL.replace("https:", "http:")).with_form_body("a=1&b=x+y"),
        ),
    ];
    for (what, request) in tampered {
        let outcome = verify(&request, Some(&signed.authorization), &opts).unwrap();
        let mut header_params = parse_authorization_header(&signed.authorization).unwrap();
        header_params.retain(|(n, _)| n != "oauth_signature");
        let expected = atlassian_sign::oauth1::base_string(
            &request.method,
            &Url::parse(&request.url).unwrap(),
            &request.form_params,
            &header_params,
        )
        .unwrap();
        assert_ne!(expected, signed.base_string, "{what}");
        expect_signature_invalid(outcome, &expected);
    }

    // Another consumer's key (the OAuth wiki's 1024-bit certificate).
    let wiki = v["published_vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|p| p["certificate_pem"].as_str())
        .unwrap();
    let other = parse_rsa_key(wiki).unwrap();
    let outcome = verify(&original, Some(&signed.authorization), &rsa_opts(&other)).unwrap();
    expect_signature_invalid(outcome, &signed.base_string);

    // A changed signature byte.
    let forged = signed
        .authorization
        .replacen("oauth_signature=\"", "oauth_signature=\"A", 1);
    let outcome = verify(&original, Some(&forged), &opts).unwrap();
    assert_eq!(outcome.problem(), "signature_invalid");
}

#[test]
fn signed_url_is_what_the_server_sees() {
    let v = vectors();
    let keys = test_keys(&v);
    // The client reaches the server through a proxy; Tomcat reports the internal URL.
    let internal = "http://jira.internal:8080/rest/api/2/myself";
    let request =
        Request::new("GET", "https://jira.example.com/rest/api/2/myself").with_signed_url(internal);
    let signed = signed_rsa(&keys, &request);
    assert_eq!(signed.url, "https://jira.example.com/rest/api/2/myself");
    assert!(signed
        .base_string
        .starts_with("GET&http%3A%2F%2Fjira.internal%3A8080%2F"));
    let server_view = Request::new("GET", internal);
    assert!(verify(
        &server_view,
        Some(&signed.authorization),
        &rsa_opts(&keys.spki)
    )
    .unwrap()
    .is_ok());
    let public_view = Request::new("GET", "https://jira.example.com/rest/api/2/myself");
    let outcome = verify(
        &public_view,
        Some(&signed.authorization),
        &rsa_opts(&keys.spki),
    )
    .unwrap();
    assert_eq!(outcome.problem(), "signature_invalid");
}

#[test]
fn timestamp_window_and_nonce_replay() {
    let v = vectors();
    let keys = test_keys(&v);
    let request = Request::new("GET", URL);
    let signed = signed_rsa(&keys, &request);
    let at = |now: u64| {
        verify(
            &request,
            Some(&signed.authorization),
            &VerifyOptions {
                now,
                ..rsa_opts(&keys.spki)
            },
        )
        .unwrap()
    };
    assert!(at(NOW + 300).is_ok());
    assert!(at(NOW - 300).is_ok());
    let late = at(NOW + 301);
    assert_eq!(
        late,
        VerifyOutcome::TimestampRefused {
            timestamp: NOW,
            acceptable: (NOW + 1, NOW + 601)
        }
    );
    assert_eq!(late.http_status(), 400);
    let problem = parse_problem(&late.problem_body().unwrap()).unwrap();
    assert_eq!(problem.acceptable_timestamps, Some((NOW + 1, NOW + 601)));
    assert_eq!(at(NOW - 301).problem(), "timestamp_refused");

    let narrow = VerifyOptions {
        window_seconds: 10,
        now: NOW + 11,
        ..rsa_opts(&keys.spki)
    };
    assert_eq!(
        verify(&request, Some(&signed.authorization), &narrow)
            .unwrap()
            .problem(),
        "timestamp_refused"
    );

    let seen: RefCell<HashSet<(String, String, String)>> = RefCell::new(HashSet::new());
    let check = |nonce: &str, ts: &str, ck: &str| {
        !seen
            .borrow_mut()
            .insert((nonce.into(), ts.into(), ck.into()))
    };
    let opts = VerifyOptions {
        nonce_seen: Some(&check),
        ..rsa_opts(&keys.spki)
    };
    assert!(verify(&request, Some(&signed.authorization), &opts)
        .unwrap()
        .is_ok());
    let replay = verify(&request, Some(&signed.authorization), &opts).unwrap();
    assert_eq!(
        replay,
        VerifyOutcome::NonceUsed {
            nonce: signed.params[1].1.clone()
        }
    );
    assert_eq!(replay.http_status(), 401);
    // A forged request is refused before its nonce is recorded.
    let fresh = signed_rsa(&keys, &request);
    let forged = fresh
        .authorization
        .replace("jira-toolkit-test", "someone-else");
    assert_eq!(
        verify(&request, Some(&forged), &opts).unwrap().problem(),
        "signature_invalid"
    );
    assert!(verify(&request, Some(&fresh.authorization), &opts)
        .unwrap()
        .is_ok());
}

#[test]
fn malformed_protocol_parameters_get_their_problem() {
    let v = vectors();
    let keys = test_keys(&v);
    let request = Request::new("GET", URL);
    let signed = signed_rsa(&keys, &request);
    let opts = rsa_opts(&keys.spki);
    let run = |req: &Request, header: &str| verify(req, Some(header), &opts).unwrap();

    let without_nonce = signed
        .authorization
        .replace(&format!("oauth_nonce=\"{}\", ", signed.params[1].1), "");
    assert_eq!(
        run(&request, &without_nonce),
        VerifyOutcome::ParameterAbsent {
            names: vec!["oauth_nonce".into()]
        }
    );
    assert_eq!(
        run(&request, "OAuth realm=\"x\""),
        VerifyOutcome::ParameterAbsent {
            names: vec![
                "oauth_consumer_key".into(),
                "oauth_signature_method".into(),
                "oauth_signature".into(),
                "oauth_timestamp".into(),
                "oauth_nonce".into()
            ]
        }
    );

    let v2 = signed
        .authorization
        .replace("oauth_version=\"1.0\"", "oauth_version=\"2.0\"");
    assert_eq!(run(&request, &v2).problem(), "version_rejected");

    // HMAC-SHA1 to an RSA consumer: what Atlassian answers.
    let hmac = sign(
        &request,
        &Credentials {
            signature_method: SignatureMethod::HmacSha1,
            consumer_secret: "secret".into(),
            ..rsa_creds(&keys.pkcs8)
        },
        NOW,
    )
    .unwrap();
    let outcome = run(&request, &hmac.authorization);
    assert_eq!(
        outcome,
        VerifyOutcome::SignatureMethodRejected {
            method: "HMAC-SHA1".into(),
            acceptable: vec![SignatureMethod::RsaSha1, SignatureMethod::RsaSha256]
        }
    );
    let lowercase = signed.authorization.replace("\"RSA-SHA1\"", "\"rsa-sha1\"");
    assert_eq!(
        run(&request, &lowercase).problem(),
        "signature_method_rejected"
    );
    // Pinned to RSA-SHA1 only: RSA-SHA256 is refused even with the right key.
    let sha256 = sign(
        &request,
        &Credentials {
            signature_method: SignatureMethod::RsaSha256,
            ..rsa_creds(&keys.pkcs8)
        },
        NOW,
    )
    .unwrap();
    assert!(run(&request, &sha256.authorization).is_ok());
    let pinned = VerifyOptions {
        accepted_methods: Some(&[SignatureMethod::RsaSha1]),
        ..opts
    };
    assert_eq!(
        verify(&request, Some(&sha256.authorization), &pinned)
            .unwrap()
            .problem(),
        "signature_method_rejected"
    );

    // oauth_token both in the header and the query.
    let twice = Request::new("GET", &format!("{URL}&oauth_token=x"));
    assert_eq!(
        run(&twice, &signed.authorization),
        VerifyOutcome::ParameterRejected {
            name: "oauth_token".into(),
            reason: "oauth_token appears more than once".into()
        }
    );
    assert_eq!(run(&request, "Bearer abc").problem(), "parameter_rejected");
    let bad_ts = signed
        .authorization
        .replace(&format!("\"{NOW}\""), "\"soon\"");
    assert_eq!(run(&request, &bad_ts).problem(), "parameter_rejected");
}

#[test]
fn signing_refuses_duplicates_and_missing_keys() {
    let v = vectors();
    let keys = test_keys(&v);
    let creds = rsa_creds(&keys.pkcs8);
    let err = sign(
        &Request::new("GET", &format!("{URL}&oauth_token=abc")),
        &creds,
        NOW,
    )
    .unwrap_err();
    assert_eq!(err.code(), "ERR_OAUTH_INVALID_REQUEST");
    assert!(err.to_string().contains("oauth_token"), "{err}");
    let err = sign(
        &Request::new("POST", URL).with_form_body("oauth_nonce=1"),
        &creds,
        NOW,
    )
    .unwrap_err();
    assert_eq!(err.code(), "ERR_OAUTH_INVALID_REQUEST");
    // An oauth_* parameter the credentials do not set is signed like any other.
    assert!(sign(
        &Request::new("GET", &format!("{URL}&oauth_body_hash=x")),
        &creds,
        NOW
    )
    .is_ok());

    let public_only = Credentials {
        private_key: Some(&keys.spki),
        ..creds.clone()
    };
    let err = sign(&Request::new("GET", URL), &public_only, NOW).unwrap_err();
    assert_eq!(err.code(), "ERR_INVALID_KEY");
    let no_key = Credentials {
        private_key: None,
        ..creds.clone()
    };
    assert_eq!(
        sign(&Request::new("GET", URL), &no_key, NOW)
            .unwrap_err()
            .code(),
        "ERR_INVALID_KEY"
    );
    let no_consumer = Credentials {
        consumer_key: String::new(),
        ..creds
    };
    assert_eq!(
        sign(&Request::new("GET", URL), &no_consumer, NOW)
            .unwrap_err()
            .code(),
        "ERR_OAUTH_INVALID_REQUEST"
    );
    assert_eq!(
        sign(
            &Request::new("GET", "/rest/api/2/myself"),
            &rsa_creds(&keys.pkcs8),
            NOW
        )
        .unwrap_err()
        .code(),
        "ERR_INVALID_URL"
    );
    let err = verify(&Request::new("GET", URL), None, &VerifyOptions::new(NOW)).unwrap_err();
    assert_eq!(err.code(), "ERR_INVALID_INPUT");
}
