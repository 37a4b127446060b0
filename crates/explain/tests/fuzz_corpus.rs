//! Replays the fuzz corpora (fuzz/corpus/<target>/) and every input that once crashed a
//! target (fuzz/regressions/<target>/) through the same code `cargo fuzz` runs, on stable.
//! See fuzz/README.md.

#[path = "../../../fuzz/src/targets.rs"]
mod targets;

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut count = 0;
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for file in files.into_iter().filter(|f| f.is_file()) {
            let data = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{target}: {} fails", file.display());
            count += 1;
        }
    }
    assert!(count > 0, "no corpus for the {target} target");
}

#[test]
fn canonical_corpus() {
    replay("canonical", targets::canonical);
}

#[test]
fn oauth_corpus() {
    replay("oauth", targets::oauth);
}

#[test]
fn jwt_corpus() {
    replay("jwt", targets::jwt);
}

#[test]
fn trusted_apps_corpus() {
    replay("trusted_apps", targets::trusted_apps);
}

#[test]
fn explain_corpus() {
    replay("explain", targets::explain);
}

#[test]
fn keys_corpus() {
    replay("keys", targets::keys);
}

// Named regression tests for what the fuzz targets found (inputs under fuzz/regressions/).

/// keys: `asap::parse_private_key` returned a PEM public key as if it were the private key; the
/// data: URI branch already refused it. Now both refuse it with ERR_INVALID_KEY up front.
#[test]
fn asap_parse_private_key_refuses_a_public_key() {
    let pem = atlassian_sign::keys::public_key_spki_pem(
        atlassian_sign::keys::parse_rsa_key(include_str!(
            "../../../tests/vectors/test-key-pkcs8.pem"
        ))
        .unwrap()
        .public_key(),
    )
    .unwrap();
    let err = atlassian_sign::asap::parse_private_key(&pem).unwrap_err();
    assert_eq!(err.code(), "ERR_INVALID_KEY");
    assert!(err.to_string().contains("private key"), "{err}");
}

/// canonical: for a scheme other than http(s), `\` ended the host but stayed in the path, so
/// `foo://host\x` parsed to a path without its leading `/`. Now `\` ends the host only for
/// http(s) (where it is a path separator); elsewhere the host refuses it.
#[test]
fn backslash_ends_the_host_only_for_http() {
    use atlassian_sign::request::Url;
    assert_eq!(
        Url::parse("foo://host\\x").unwrap_err().code(),
        "ERR_INVALID_URL"
    );
    let u = Url::parse("https://host\\x\\y").unwrap();
    assert_eq!((u.host.as_str(), u.path.as_str()), ("host", "/x/y"));
}

/// oauth: `Url::parse` took `http://a:b:80/x` as host `a:b` port 80, so the OAuth base string
/// URI `http://a:b/x` did not parse back (explain could not read its own base string). A host
/// outside IPv6 brackets now refuses `:`, `[` and `]`.
#[test]
fn host_refuses_a_colon_outside_ipv6_brackets() {
    use atlassian_sign::request::Url;
    assert_eq!(
        Url::parse("http://a:b:80/x").unwrap_err().code(),
        "ERR_INVALID_URL"
    );
    assert_eq!(
        Url::parse("http://a]b/").unwrap_err().code(),
        "ERR_INVALID_URL"
    );
    let u = Url::parse("http://[::1]:8080/x").unwrap();
    assert_eq!((u.host.as_str(), u.port), ("[::1]", Some(8080)));
}

/// explain: `explain_oauth` computed the clock skew of a `timestamp_refused` answer in i64,
/// which overflowed (a panic with overflow checks, a wrong number without) for timestamps near
/// the ends of the range; the values come from the wire. Now in i128.
#[test]
fn timestamp_refused_skew_does_not_overflow() {
    let e = atlassian_sign_explain::explain_oauth(&atlassian_sign_explain::OAuthRefusal {
        response: "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=\
                   18446744073709551615-18446744073709551615"
            .into(),
        authorization: Some("OAuth oauth_timestamp=\"-9223372036854775808\"".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(e.cause, "CLOCK_SKEW");
    assert!(
        e.summary.contains("27670116110564327423 s behind"),
        "{}",
        e.summary
    );
}
