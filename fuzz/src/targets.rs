//! The bodies of the fuzz targets, shared by `cargo fuzz` (fuzz/fuzz_targets/*.rs) and the
//! stable corpus replay (`tests/fuzz_corpus.rs` includes this file with `#[path]`).
//!
//! Only the public API of `atlassian_sign` is used, so the targets survive changes to the
//! crate's internals (the RSA back end in particular).
//!
//! Input layout, every target: the first byte is a flag byte that picks options; the rest is
//! split on the ASCII unit separator (0x1F) into text fields (lossy UTF-8). A missing field is
//! empty. Every target asserts invariants beyond "does not panic"; an assertion failure is a
//! finding.

#![allow(dead_code, unexpected_cfgs, clippy::unwrap_used, clippy::expect_used)]

use std::sync::OnceLock;

use atlassian_sign::error::Error;
use atlassian_sign::json::{self, Map, Value};
use atlassian_sign::jwt::{self, Algorithm, JwtKey, QshCheck, Validation};
use atlassian_sign::keys::{self, RsaKey};
use atlassian_sign::oauth1::{self, Credentials, Request, SignatureMethod, VerifyOptions};
use atlassian_sign::qsh::{self, PathForm, QshOptions};
use atlassian_sign::request::{normalize_method, Url};
use atlassian_sign::{asap, encoding, forge, incoming, trusted_apps};
use atlassian_sign_explain::{self as explain, Explanation, OAuthRefusal, QshProblem};

/// The field separator of every target's input.
pub const SEP: u8 = 0x1F;

/// A fixed "now" (seconds), well inside the range every check accepts.
const NOW: i64 = 1_700_000_000;

/// Splits an input into its flag byte and text fields.
pub struct Input {
    /// The flag byte (0 when the input is empty).
    pub flags: u8,
    fields: Vec<String>,
}

impl Input {
    /// Parses raw fuzzer bytes.
    pub fn new(data: &[u8]) -> Input {
        let (flags, rest) = match data.split_first() {
            Some((f, r)) => (*f, r),
            None => (0, &[][..]),
        };
        let fields = rest
            .split(|b| *b == SEP)
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        Input { flags, fields }
    }

    /// Field `i`, empty when absent.
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map(String::as_str).unwrap_or("")
    }

    /// Field `i`, `None` when absent or empty.
    pub fn opt(&self, i: usize) -> Option<&str> {
        self.fields
            .get(i)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// Flag bit `b`.
    pub fn bit(&self, b: u8) -> bool {
        self.flags & (1 << b) != 0
    }
}

/// Builds an input from a flag byte and fields (for seeds and unit tests).
pub fn make_input(flags: u8, fields: &[&str]) -> Vec<u8> {
    let mut out = vec![flags];
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(SEP);
        }
        out.extend_from_slice(f.as_bytes());
    }
    out
}

/// The 2048-bit test key of `tests/vectors/test-key-pkcs8.pem`, parsed once.
fn test_key() -> &'static RsaKey {
    static KEY: OnceLock<RsaKey> = OnceLock::new();
    KEY.get_or_init(|| {
        keys::parse_rsa_key(include_str!("../../tests/vectors/test-key-pkcs8.pem"))
            .expect("the test key parses")
    })
}

fn is_lower_hex_64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn is_encoded(s: &str, extra: &[u8]) -> bool {
    s.bytes()
        .all(|b| encoding::is_unreserved(b) || b == b'%' || extra.contains(&b))
}

fn check_error(e: &Error) {
    assert!(
        !e.to_string().trim().is_empty(),
        "an error without a message: {e:?}"
    );
    assert!(Error::CODES.contains(&e.code()));
}

// ------------------------------------------------------------------------------------------
// canonical: Url::parse, qsh::canonical_request, qsh::qsh
// ------------------------------------------------------------------------------------------

/// Fields: method, url, base URL, form body. Flags: bit 0 = pass the body, bit 1 = decoded
/// path form.
pub fn canonical(data: &[u8]) {
    let input = Input::new(data);
    let (method, url) = (input.get(0), input.get(1));
    let options = QshOptions {
        base_url: input.opt(2).map(str::to_owned),
        body: input.bit(0).then(|| encoding::parse_form(input.get(3))),
        path_form: if input.bit(1) {
            PathForm::Decoded
        } else {
            PathForm::Wire
        },
    };

    if let Ok(u) = Url::parse(url) {
        if u.is_absolute() {
            assert!(!u.host.is_empty());
            assert_eq!(u.host, u.host.to_ascii_lowercase());
            assert!(
                u.path.starts_with('/'),
                "absolute URL without a path: {u:?}"
            );
        }
        assert!(!u.path.contains('?') && !u.path.contains('#'));
        assert!(
            u.path.bytes().all(|b| b > b' ' && b < 0x7f),
            "path not sent as-is on the wire: {:?}",
            u.path
        );
    }

    let canon = qsh::canonical_request(method, url, &options);
    let hash = qsh::qsh(method, url, &options);
    match (&canon, &hash) {
        (Ok(c), Ok(h)) => {
            assert!(is_lower_hex_64(h), "qsh is not 64 lowercase hex: {h:?}");
            assert_eq!(*h, qsh::hash_canonical(c));
            let mut parts = c.splitn(3, '&');
            let (m, uri, query) = (
                parts.next().unwrap(),
                parts.next().expect("canonical request has a URI part"),
                parts.next().expect("canonical request has a query part"),
            );
            assert_eq!(m, normalize_method(method).unwrap());
            assert!(uri.starts_with('/'), "canonical URI {uri:?}");
            assert!(
                is_encoded(query, b"=,&"),
                "canonical query is not percent-encoded: {query:?}"
            );
            // The method is case-insensitive.
            assert_eq!(
                qsh::canonical_request(&method.to_ascii_lowercase(), url, &options).as_ref(),
                Ok(c)
            );
            // The jwt parameter never takes part.
            let plain = url == url.trim_matches(|ch: char| ch <= ' ') && !url.contains('#');
            if plain && options.body.is_none() {
                let with_jwt = if url.contains('?') {
                    format!("{url}&jwt=eyJ.x.y")
                } else {
                    format!("{url}?jwt=eyJ.x.y")
                };
                assert_eq!(
                    qsh::canonical_request(method, &with_jwt, &options).as_ref(),
                    Ok(c),
                    "adding jwt= changed the canonical request of {url:?}"
                );
            }
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b);
            check_error(a);
        }
        _ => panic!("canonical_request and qsh disagree: {canon:?} / {hash:?}"),
    }
}

// ------------------------------------------------------------------------------------------
// oauth: Authorization header parser, base string, sign -> verify (HMAC, PLAINTEXT)
// ------------------------------------------------------------------------------------------

/// Fields: method, url, Authorization header, form body, consumer key, consumer secret,
/// token, token secret, nonce, realm. Flags: bits 0-1 = method (HMAC-SHA1, HMAC-SHA256,
/// PLAINTEXT, HMAC-SHA1), bit 2 = send oauth_version, bit 3 = realm, bit 4 = signed URL.
pub fn oauth(data: &[u8]) {
    let input = Input::new(data);
    let (method, url, header, body) = (input.get(0), input.get(1), input.get(2), input.get(3));
    let form = encoding::parse_form(body);

    match oauth1::parse_authorization_header(header) {
        Ok(pairs) => {
            // What we write, we read back.
            let again = oauth1::authorization_header(None, &pairs);
            assert_eq!(
                oauth1::parse_authorization_header(&again).as_ref(),
                Ok(&pairs),
                "header round trip through {again:?}"
            );
            if let Ok(u) = Url::parse(url) {
                if let Ok(bs) = oauth1::base_string(method, &u, &form, &pairs) {
                    assert_eq!(bs.matches('&').count(), 2, "base string {bs:?}");
                    assert!(is_encoded(&bs, b"&"), "base string {bs:?}");
                    let params = explain::decoded_params(&bs).expect("our base string splits");
                    let e = explain::explain_oauth_base_strings(&bs, &bs)
                        .expect("a base string compares with itself");
                    assert!(
                        e.diff.is_empty(),
                        "{bs:?} differs from itself: {:?}",
                        e.diff
                    );
                    let _ = params;
                }
            }
        }
        Err(e) => check_error(&e),
    }
    if let Err(e) = oauth1::parse_problem(header) {
        check_error(&e);
    }
    if let Err(e) = oauth1::parse_token_response(body) {
        check_error(&e);
    }

    // sign -> verify with the same secrets must say ok.
    let signature_method = [
        SignatureMethod::HmacSha1,
        SignatureMethod::HmacSha256,
        SignatureMethod::Plaintext,
        SignatureMethod::HmacSha1,
    ][usize::from(input.flags & 3)];
    let mut request = Request::new(method, url).with_form_body(body);
    if input.bit(4) {
        request = request.with_signed_url(input.get(10));
    }
    let credentials = Credentials {
        consumer_key: input.get(4).to_owned(),
        consumer_secret: input.get(5).to_owned(),
        token: input.opt(6).map(str::to_owned),
        token_secret: input.get(7).to_owned(),
        signature_method,
        nonce: Some(input.opt(8).unwrap_or("fixed-nonce").to_owned()),
        timestamp: Some(NOW as u64),
        include_version: input.bit(2),
        realm: input.bit(3).then(|| input.get(9).to_owned()),
        ..Credentials::default()
    };
    match oauth1::sign(&request, &credentials, NOW as u64) {
        Ok(signed) => {
            let accepted = [signature_method];
            let mut options = VerifyOptions::new(NOW as u64);
            options.consumer_secret = Some(&credentials.consumer_secret);
            options.token_secret = &credentials.token_secret;
            options.accepted_methods = Some(&accepted);
            let outcome = oauth1::verify(&request, Some(&signed.authorization), &options)
                .expect("verify accepts a request sign accepted");
            match outcome {
                oauth1::VerifyOutcome::Ok { base_string, .. } => {
                    assert_eq!(base_string, signed.base_string)
                }
                // The caller put its own oauth_version in the URL or body (sign only adds
                // one when asked); a verifier rightly refuses anything but 1.0.
                oauth1::VerifyOutcome::VersionRejected { version }
                    if !input.bit(2) && version != oauth1::OAUTH_VERSION => {}
                other => panic!("a request we signed does not verify: {other:?}"),
            }
            // The header we send parses back to the parameters we signed.
            let mut parsed = oauth1::parse_authorization_header(&signed.authorization)
                .expect("our Authorization header parses");
            parsed.retain(|(n, _)| n != "realm");
            assert_eq!(parsed, signed.params);
        }
        Err(e) => check_error(&e),
    }
}

// ------------------------------------------------------------------------------------------
// jwt: decode, verify (HS and RS keys), claim checks, encode -> decode round trip
// ------------------------------------------------------------------------------------------

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            _ if x == y => true,
            (Some(p), Some(q)) => (p - q).abs() <= 1e-9 * p.abs().max(q.abs()),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => map_eq(x, y),
        _ => a == b,
    }
}

fn map_eq(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((k1, v1), (k2, v2))| k1 == k2 && json_eq(v1, v2))
}

/// Fields: token, claims JSON, extra header JSON, HMAC secret, Authorization header, URL,
/// issuer. Flags: bits 0-1 = HS256/384/512 for the round trip, bits 2-3 = qsh rule (none,
/// context, request, request or context), bit 4 = require `iss`.
pub fn jwt(data: &[u8]) {
    let input = Input::new(data);
    let token = input.get(0);
    let secret = input.get(3).as_bytes();

    let qsh_rule = match (input.flags >> 2) & 3 {
        0 => QshCheck::None,
        1 => QshCheck::Context,
        n => QshCheck::Request {
            method: "GET".into(),
            url: input.get(5).to_owned(),
            options: QshOptions::default(),
            allow_context: n == 3,
        },
    };
    let validation = Validation {
        algorithms: Algorithm::ALL.to_vec(),
        issuer: input.opt(6).map(str::to_owned).into_iter().collect(),
        audience: Vec::new(),
        subject: None,
        leeway: 30,
        now: NOW,
        required_claims: if input.bit(4) {
            vec!["iss".into()]
        } else {
            Vec::new()
        },
        qsh: qsh_rule,
    };

    match jwt::decode(token) {
        Ok(d) => {
            assert_eq!(d.signing_input.matches('.').count(), 1);
            assert!(token.contains(&d.signing_input));
            if let Err(e) = jwt::check_claims(&d.payload, &validation) {
                check_error(&e);
            }
            for key in [JwtKey::Secret(secret), JwtKey::Rsa(test_key())] {
                if let Err(e) = jwt::verify(token, &key, &validation) {
                    check_error(&e);
                }
            }
        }
        Err(e) => {
            check_error(&e);
            // verify never accepts what decode refuses.
            assert!(jwt::verify(token, &JwtKey::Secret(secret), &validation).is_err());
        }
    }
    let _ = incoming::token_from_request(input.opt(4), input.get(5));
    let _ = incoming::unverified_issuer(token);
    let _ = incoming::unverified_kid(token);
    let _ = asap::token_kid(token);
    if asap::validate_kid(input.get(6)).is_ok() {
        let _ = incoming::install_key_url(input.get(6));
    }

    // encode -> decode -> verify.
    let Ok(Value::Object(claims)) = json::from_str(input.get(1)) else {
        return;
    };
    let header = match json::from_str(input.get(2)) {
        Ok(Value::Object(h)) => h,
        _ => Map::new(),
    };
    let alg = [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::HS256,
    ][usize::from(input.flags & 3)];
    let key = JwtKey::Secret(secret);
    if secret.is_empty() {
        // Refused on both sides: an empty secret would let anyone sign.
        let e = jwt::encode(alg, &key, &header, &claims).expect_err("an empty secret is refused");
        assert_eq!(e.code(), "ERR_INVALID_KEY");
        return;
    }
    let encoded = jwt::encode(alg, &key, &header, &claims).expect("HMAC encoding cannot fail");
    if encoded.len() > jwt::MAX_TOKEN_LEN {
        return;
    }
    let d = jwt::decode(&encoded).expect("a token we encode decodes");
    assert!(
        map_eq(&d.payload, &claims),
        "claims round trip: {claims:?} -> {:?}",
        d.payload
    );
    assert_eq!(d.alg(), Some(alg.name()));
    for (k, v) in &header {
        if k != "alg" {
            assert!(json_eq(&d.header[k], v), "header member {k}");
        }
    }
    jwt::verify_signature(alg, &key, d.signing_input.as_bytes(), &d.signature)
        .expect("our signature verifies");
    let strict = Validation {
        algorithms: vec![alg],
        ..validation
    };
    match jwt::verify(&encoded, &key, &strict) {
        Ok(v) => assert!(map_eq(&v.payload, &claims)),
        Err(e) => {
            check_error(&e);
            let claim_error = matches!(
                e,
                Error::JwtExpired(_)
                    | Error::JwtNotYetValid(_)
                    | Error::JwtClaimMissing(_)
                    | Error::JwtClaimInvalid(_)
                    | Error::QshMissing(_)
                    | Error::QshMismatch { .. }
                    | Error::QshContextNotAllowed(_)
                    | Error::InvalidUrl(_)
                    | Error::InvalidMethod(_)
            ) || (matches!(e, Error::JwtMalformed(_))
                && header.contains_key("crit"));
            assert!(
                claim_error,
                "a token we signed fails for another reason: {e:?}"
            );
        }
    }
}

// ------------------------------------------------------------------------------------------
// trusted_apps: header verification, certificate parsing, sign -> verify
// ------------------------------------------------------------------------------------------

const NOW_MS: i64 = NOW * 1000;

/// Fields: app id, version, certificate, key, magic, signature, url, username,
/// appTrustCertificate text (read when shorter than 800 bytes). Flags: bits 0-5 = which of the
/// six headers are present; flags 0xFF = also sign the url/username (v3 when the version field
/// is "3", else v2) and check that it verifies (stable replay only, see below).
pub fn trusted_apps(data: &[u8]) {
    let input = Input::new(data);
    let names = [
        trusted_apps::HEADER_ID,
        trusted_apps::HEADER_VERSION,
        trusted_apps::HEADER_CERT,
        trusted_apps::HEADER_KEY,
        trusted_apps::HEADER_MAGIC,
        trusted_apps::HEADER_SIGNATURE,
    ];
    let header = |name: &str| {
        let i = names.iter().position(|n| n.eq_ignore_ascii_case(name))?;
        input.bit(i as u8).then(|| input.get(i).to_owned())
    };
    let (url, username) = (input.get(6), input.get(7));
    match trusted_apps::verify(&header, test_key(), url, NOW_MS, 300_000, true) {
        Ok(v) => assert_eq!(Some(v.app_id), header(trusted_apps::HEADER_ID)),
        Err(e) => {
            check_error(&e);
            assert_eq!(e.code(), "ERR_TRUSTED_APPS_REJECTED", "{e:?}");
        }
    }
    // A public key only: parsing a private key costs milliseconds (the keys target covers it).
    if input.get(8).len() < 800 {
        if let Err(e) = trusted_apps::parse_app_trust_certificate(input.get(8)) {
            check_error(&e);
        }
    }

    // RSA signing costs 40-250 ms an input in the instrumented build (the fuzzer then spends
    // its time there), so the sign -> verify round trip runs on the stable replay only.
    if input.flags == 0xFF && !cfg!(fuzzing) {
        let version = if input.get(1).trim() == "3" { 3 } else { 2 };
        let app_id = input.get(0);
        match trusted_apps::sign(version, app_id, test_key(), username, url, NOW_MS) {
            Ok(headers) => {
                let lookup = |name: &str| {
                    headers
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v.clone())
                };
                let v = trusted_apps::verify(&lookup, test_key(), url, NOW_MS, 300_000, true)
                    .expect("headers we sign verify");
                assert_eq!(v.app_id, app_id);
                assert_eq!(v.username, username);
                assert_eq!(v.timestamp_ms, NOW_MS);
                assert_eq!(v.version, version);
            }
            Err(e) => check_error(&e),
        }
    }
}

// ------------------------------------------------------------------------------------------
// explain: the parsing behind explain() for qsh, OAuth and trusted apps
// ------------------------------------------------------------------------------------------

fn check_explanation(e: &Explanation) {
    assert!(!e.cause.is_empty());
    assert_eq!(e.causes.first().copied(), Some(e.cause), "{e:?}");
    assert!(!e.summary.trim().is_empty(), "{e:?}");
    assert!(!e.fix.trim().is_empty(), "{e:?}");
}

/// Fields: message, method, url, base URL, form body, client base string / client URL,
/// Authorization header, signed URL. Flags: bits 0-1 = scheme (qsh, oauth, trusted-apps,
/// qsh); bit 2 = build the server's side from the fields (a qsh pair, an echoed base string,
/// a BAD_SIGNATURE header) instead of using the message as it is.
pub fn explain(data: &[u8]) {
    let input = Input::new(data);
    let (message, method, url) = (input.get(0), input.get(1), input.get(2));
    let body = input.opt(4).map(encoding::parse_form);
    let result = match input.flags & 3 {
        1 => {
            let mut response = message.to_owned();
            if input.bit(2) {
                // The server echoes the base string of the URL it saw.
                let params = oauth1::parse_authorization_header(input.get(6)).unwrap_or_default();
                if let Ok(u) = Url::parse(input.get(7)) {
                    if let Ok(bs) = oauth1::base_string(
                        method,
                        &u,
                        body.as_deref().unwrap_or_default(),
                        &params,
                    ) {
                        response = format!(
                            "oauth_problem=signature_invalid&oauth_signature_base_string={}",
                            encoding::percent_encode(&bs)
                        );
                    }
                }
            }
            if let (Some(a), Some(b)) = (input.opt(5), input.opt(7)) {
                match explain::explain_oauth_base_strings(a, b) {
                    Ok(e) => check_explanation(&e),
                    Err(e) => check_error(&e),
                }
            }
            explain::explain_oauth(&OAuthRefusal {
                response,
                client_base_string: input.opt(5).map(str::to_owned),
                method: method.to_owned(),
                url: url.to_owned(),
                body: body.clone().unwrap_or_default(),
                authorization: input.opt(6).map(str::to_owned),
            })
        }
        2 => {
            let header = if input.bit(2) {
                format!(
                    "BAD_SIGNATURE;\tBad signature for URL: {{0}};\t{}",
                    Value::from(vec![Value::from(input.get(7))])
                )
            } else {
                message.to_owned()
            };
            if let Ok(p) = explain::parse_trusted_apps_error(&header) {
                assert!(!p.code.is_empty());
            }
            explain::explain_trusted_apps(&header, input.opt(2))
        }
        _ => {
            let (mut expected, mut actual) = explain::parse_qsh_message(message);
            for h in expected.iter().chain(actual.iter()) {
                assert!(is_lower_hex_64(h), "parse_qsh_message gave {h:?}");
            }
            let base_url = input.opt(3).map(str::to_owned);
            if input.bit(2) {
                // The client signed the URL in field 5, the server hashed the one sent.
                let options = QshOptions {
                    base_url: base_url.clone(),
                    body: body.clone(),
                    ..QshOptions::default()
                };
                expected = qsh::qsh(method, url, &options).ok();
                actual = qsh::qsh(method, input.get(5), &options).ok();
            }
            explain::explain_qsh(&QshProblem {
                expected,
                actual,
                method: method.to_owned(),
                url: url.to_owned(),
                base_url,
                body,
            })
        }
    };
    match result {
        Ok(e) => check_explanation(&e),
        Err(e) => check_error(&e),
    }
}

// ------------------------------------------------------------------------------------------
// keys: PEM, bare base64 DER, JWK; export -> parse round trips
// ------------------------------------------------------------------------------------------

fn same_public(a: &RsaKey, b: &RsaKey) {
    assert_eq!(
        keys::public_key_jwk(a.public_key()),
        keys::public_key_jwk(b.public_key())
    );
}

fn key_round_trips(k: &RsaKey) {
    let jwk = keys::public_key_jwk(k.public_key());
    let from_jwk = keys::rsa_key_from_jwk(&jwk).expect("our public JWK parses");
    same_public(k, &from_jwk);
    for pem in [
        keys::public_key_spki_pem(k.public_key()),
        keys::public_key_pkcs1_pem(k.public_key()),
    ] {
        let pem = pem.expect("a parsed public key exports");
        let back = keys::parse_rsa_key(&pem).expect("our public PEM parses");
        same_public(k, &back);
    }
    if let Ok(private) = k.private_key() {
        match keys::private_key_pkcs8_pem(private) {
            Ok(pem) => {
                let back = keys::parse_rsa_key(&pem).expect("our PKCS#8 PEM parses");
                assert!(back.private_key().is_ok());
                same_public(k, &back);
            }
            // Only a key read without its primes (a JWK with n, e and d) has no PKCS#8 form.
            Err(e) => check_error(&e),
        }
        // What a parsed private key signs, its public half verifies; or signing refuses with a
        // typed error (a d that does not match n and e is caught by the check after signing).
        // Large moduli are skipped: a 16384-bit private operation in this build takes seconds.
        if k.bits() <= 2048 {
            for alg in [Algorithm::RS256, Algorithm::PS256] {
                match jwt::sign(alg, &JwtKey::Rsa(k), b"fuzz") {
                    Ok(sig) => assert!(
                        jwt::verify_signature(alg, &JwtKey::Rsa(k), b"fuzz", &sig).is_ok(),
                        "a signature we made does not verify"
                    ),
                    Err(e) => check_error(&e),
                }
            }
        }
    }
}

/// The whole input after the flag byte is key text (PEM, base64 DER or JWK JSON). Flags: bit 0
/// = also read it as an ASAP private key (`data:` URI or PEM), bit 1 = also look it up as a
/// JWKS with the kid "k1".
pub fn keys(data: &[u8]) {
    let flags = data.first().copied().unwrap_or(0);
    let text = String::from_utf8_lossy(data.get(1..).unwrap_or_default());
    match keys::parse_rsa_key(&text) {
        Ok(k) => key_round_trips(&k),
        Err(e) => check_error(&e),
    }
    if flags & 1 != 0 {
        match asap::parse_private_key(&text) {
            Ok((k, _)) => assert!(k.private_key().is_ok()),
            Err(e) => check_error(&e),
        }
    }
    if let Ok(v) = json::from_str(&text) {
        match keys::rsa_key_from_jwk(&v) {
            Ok(k) => key_round_trips(&k),
            Err(e) => check_error(&e),
        }
        if flags & 2 != 0 {
            if let Ok(jwk) = forge::select_jwk(&v, "k1") {
                let _ = keys::rsa_key_from_jwk(jwk);
            }
        }
    }
}
