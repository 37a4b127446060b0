//! Wycheproof RSA signature-verification suites (tests/vectors/wycheproof/, see its README)
//! through the public JWS API only: `keys::parse_rsa_key` on the group's `publicKeyPem` and
//! `jwt::verify_signature` with the RS*/PS* algorithm the group's parameters correspond to.
//! The API stays the same when the RSA underneath changes, so this runs on either.
//!
//! Expected results:
//! - "valid": the key parses and the signature verifies.
//! - "invalid": the signature is refused with `ERR_JWT_SIGNATURE_INVALID`, or the key is
//!   refused by `parse_rsa_key` (a key nobody can load verifies nothing).
//! - "acceptable": decided per flag, in `EITHER_WAY`. Either outcome passes only when every
//!   flag of the case is listed there; the outcome is counted and printed. An "acceptable"
//!   case with any other flag fails the test until someone decides about that flag.
//!
//! Groups whose parameters no JWS algorithm has (PSS with another salt length or MGF hash,
//! or a hash other than SHA-256/384/512) are skipped, counted and printed with the reason.

use std::collections::BTreeMap;

use atlassian_sign::jwt::{verify_signature, Algorithm, JwtKey};
use atlassian_sign::keys::parse_rsa_key;
use serde_json::Value;

/// Scheme of a file: RSASSA-PKCS1-v1_5 (RS*) or RSASSA-PSS (PS*).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Scheme {
    Pkcs1,
    Pss,
}

/// Flags for which an "acceptable" case may go either way, and why.
///
/// MissingNull (Wycheproof bugType LEGACY): a PKCS#1 v1.5 DigestInfo whose hash
/// AlgorithmIdentifier omits the NULL parameters. EMSA-PKCS1-v1_5 (RFC 8017 section 9.2)
/// encodes with NULL, yet PKCS#1 also asks implementations to accept the SHA
/// AlgorithmIdentifiers without parameters; Wycheproof says accepting it is not a
/// vulnerability. Verifiers that compare against the one encoding with NULL (the `rsa` crate
/// among them) refuse it, ASN.1-parsing ones may accept it: both are right.
const EITHER_WAY: &[&str] = &["MissingNull"];

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd-length hex {s:?}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// The JWS algorithm a group's parameters are, or why there is none.
fn algorithm(scheme: Scheme, group: &Value) -> Result<Algorithm, String> {
    let sha = group["sha"].as_str().unwrap_or("?");
    let (bits, hash_len) = match sha {
        "SHA-256" => (256, 32),
        "SHA-384" => (384, 48),
        "SHA-512" => (512, 64),
        other => return Err(format!("message hash {other} is not SHA-256/384/512")),
    };
    let name = match scheme {
        Scheme::Pkcs1 => format!("RS{bits}"),
        Scheme::Pss => {
            let mgf = group["mgf"].as_str().unwrap_or("?");
            let mgf_sha = group["mgfSha"].as_str().unwrap_or("?");
            if mgf != "MGF1" || mgf_sha != sha {
                return Err(format!(
                    "{mgf} over {mgf_sha}: MGF1 hash is not the message hash"
                ));
            }
            let s_len = group["sLen"].as_u64().expect("sLen");
            if s_len != hash_len {
                return Err("salt length is not the hash length".to_owned());
            }
            format!("PS{bits}")
        }
    };
    Ok(Algorithm::from_name(&name).expect("a JWS algorithm name"))
}

#[derive(Default)]
struct Counts {
    valid: usize,
    invalid: usize,
    /// "invalid" cases passed because the key itself was refused.
    invalid_by_key: usize,
    acceptable_accepted: usize,
    acceptable_rejected: usize,
    skipped: BTreeMap<String, usize>,
    /// Skipped PSS cases with the message hash and MGF1 hash of a PS algorithm but another
    /// salt length, that this verifier nevertheless accepts (information only).
    other_salt_accepted: usize,
    other_salt_tried: usize,
}

/// What the verifier did with one case.
enum Outcome {
    Accepted,
    Rejected,
    KeyRefused(String),
    /// An error other than ERR_JWT_SIGNATURE_INVALID from verify_signature.
    OtherError(String),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Accepted => f.write_str("the signature verified"),
            Outcome::Rejected => f.write_str("ERR_JWT_SIGNATURE_INVALID"),
            Outcome::KeyRefused(e) => write!(f, "the key was refused ({e})"),
            Outcome::OtherError(e) => write!(f, "another error ({e})"),
        }
    }
}

fn run_file(name: &str, scheme: Scheme, failures: &mut Vec<String>) -> Counts {
    let path = format!(
        "{}/tests/vectors/wycheproof/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("missing vector file {path}: {e}"));
    let file: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let expected_alg = match scheme {
        Scheme::Pkcs1 => "RSASSA-PKCS1-v1_5",
        Scheme::Pss => "RSASSA-PSS",
    };
    assert_eq!(file["algorithm"], expected_alg, "{name}: algorithm");
    let groups = file["testGroups"].as_array().expect("testGroups");
    let mut counts = Counts::default();
    let mut seen = 0usize;
    for group in groups {
        let tests = group["tests"].as_array().expect("tests");
        seen += tests.len();
        let alg = match algorithm(scheme, group) {
            Ok(alg) => alg,
            Err(reason) => {
                *counts.skipped.entry(reason).or_default() += tests.len();
                // Information only: PSS with the right hashes but another salt length.
                if scheme == Scheme::Pss && group["mgfSha"] == group["sha"] {
                    let alg = match group["sha"].as_str() {
                        Some("SHA-256") => "PS256",
                        Some("SHA-384") => "PS384",
                        Some("SHA-512") => "PS512",
                        _ => continue,
                    };
                    let alg = Algorithm::from_name(alg).unwrap();
                    if let Ok(key) = parse_rsa_key(group["publicKeyPem"].as_str().unwrap()) {
                        for t in tests {
                            counts.other_salt_tried += 1;
                            let (msg, sig) = (
                                hex(t["msg"].as_str().unwrap()),
                                hex(t["sig"].as_str().unwrap()),
                            );
                            if verify_signature(alg, &JwtKey::Rsa(&key), &msg, &sig).is_ok() {
                                counts.other_salt_accepted += 1;
                            }
                        }
                    }
                }
                continue;
            }
        };
        let pem = group["publicKeyPem"].as_str().expect("publicKeyPem");
        let key = parse_rsa_key(pem);
        for t in tests {
            let tc_id = t["tcId"].as_u64().expect("tcId");
            let result = t["result"].as_str().expect("result");
            let flags: Vec<&str> = t["flags"]
                .as_array()
                .expect("flags")
                .iter()
                .map(|f| f.as_str().expect("flag"))
                .collect();
            let msg = hex(t["msg"].as_str().expect("msg"));
            let sig = hex(t["sig"].as_str().expect("sig"));
            let outcome = match &key {
                Err(e) => Outcome::KeyRefused(format!("{}: {e}", e.code())),
                Ok(key) => match verify_signature(alg, &JwtKey::Rsa(key), &msg, &sig) {
                    Ok(()) => Outcome::Accepted,
                    Err(e) if e.code() == "ERR_JWT_SIGNATURE_INVALID" => Outcome::Rejected,
                    Err(e) => Outcome::OtherError(format!("{}: {e}", e.code())),
                },
            };
            let ok = match (result, &outcome) {
                ("valid", Outcome::Accepted) => {
                    counts.valid += 1;
                    true
                }
                ("invalid", Outcome::Rejected) => {
                    counts.invalid += 1;
                    true
                }
                ("invalid", Outcome::KeyRefused(_)) => {
                    counts.invalid += 1;
                    counts.invalid_by_key += 1;
                    true
                }
                ("acceptable", o) if flags.iter().all(|f| EITHER_WAY.contains(f)) => match o {
                    Outcome::Accepted => {
                        counts.acceptable_accepted += 1;
                        true
                    }
                    Outcome::Rejected | Outcome::KeyRefused(_) => {
                        counts.acceptable_rejected += 1;
                        true
                    }
                    Outcome::OtherError(_) => false,
                },
                _ => false,
            };
            if !ok {
                failures.push(format!(
                    "{name} tcId {tc_id} ({}): expected {result}, got {outcome}; flags {flags:?}; comment {:?}",
                    alg.name(),
                    t["comment"].as_str().unwrap_or("")
                ));
            }
        }
    }
    let declared = file["numberOfTests"].as_u64().expect("numberOfTests") as usize;
    assert_eq!(seen, declared, "{name}: numberOfTests");
    assert!(seen > 0, "{name}: no test cases");
    let run = seen - counts.skipped.values().sum::<usize>();
    assert!(run > 0, "{name}: every case was skipped");
    counts
}

/// Runs one file, prints its counts, and fails with every case that did not give its
/// expected result.
fn check(name: &str, scheme: Scheme) {
    let mut failures = Vec::new();
    let c = run_file(name, scheme, &mut failures);
    let skipped: usize = c.skipped.values().sum();
    println!(
        "{name}: passed valid {}, invalid {} (by key refusal {}), acceptable {} (accepted {}, rejected {}); failed {}; skipped {skipped}",
        c.valid,
        c.invalid,
        c.invalid_by_key,
        c.acceptable_accepted + c.acceptable_rejected,
        c.acceptable_accepted,
        c.acceptable_rejected,
        failures.len(),
    );
    for (reason, n) in &c.skipped {
        println!("    skipped {n}: {reason}");
    }
    if c.other_salt_tried > 0 {
        println!(
            "    information: {} of {} skipped PSS signatures with the PS hashes but another salt length verify under that PS algorithm",
            c.other_salt_accepted, c.other_salt_tried
        );
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    assert!(
        failures.is_empty(),
        "{name}: {} cases failed",
        failures.len()
    );
}

/// One test per file, so they run in parallel and each reports on its own.
macro_rules! files {
    ($($test:ident: $file:literal, $scheme:ident;)*) => {
        const FILES: &[&str] = &[$($file),*];
        $(
            #[test]
            fn $test() {
                check($file, Scheme::$scheme);
            }
        )*
    };
}

files! {
    pkcs1_2048_sha256: "rsa_signature_2048_sha256_test.json", Pkcs1;
    pkcs1_2048_sha384: "rsa_signature_2048_sha384_test.json", Pkcs1;
    pkcs1_2048_sha512: "rsa_signature_2048_sha512_test.json", Pkcs1;
    pkcs1_3072_sha256: "rsa_signature_3072_sha256_test.json", Pkcs1;
    pkcs1_3072_sha384: "rsa_signature_3072_sha384_test.json", Pkcs1;
    pkcs1_3072_sha512: "rsa_signature_3072_sha512_test.json", Pkcs1;
    pkcs1_4096_sha256: "rsa_signature_4096_sha256_test.json", Pkcs1;
    pkcs1_4096_sha384: "rsa_signature_4096_sha384_test.json", Pkcs1;
    pkcs1_4096_sha512: "rsa_signature_4096_sha512_test.json", Pkcs1;
    pss_2048_sha256_mgf1_32: "rsa_pss_2048_sha256_mgf1_32_test.json", Pss;
    pss_2048_sha384_mgf1_48: "rsa_pss_2048_sha384_mgf1_48_test.json", Pss;
    pss_3072_sha256_mgf1_32: "rsa_pss_3072_sha256_mgf1_32_test.json", Pss;
    pss_4096_sha256_mgf1_32: "rsa_pss_4096_sha256_mgf1_32_test.json", Pss;
    pss_4096_sha384_mgf1_48: "rsa_pss_4096_sha384_mgf1_48_test.json", Pss;
    pss_4096_sha512_mgf1_64: "rsa_pss_4096_sha512_mgf1_64_test.json", Pss;
    pss_misc: "rsa_pss_misc_test.json", Pss;
}

/// Every JSON file in the folder is run by one of the tests above (none forgotten).
#[test]
fn every_vector_file_is_run() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/wycheproof");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .expect("tests/vectors/wycheproof")
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FILES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}
