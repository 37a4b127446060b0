//! RSA through the `rsa` crate (src/primitives/rsa.rs): fixed vectors from node:crypto
//! (OpenSSL), DER round trips and rejection with messages, keys without primes, key generation.

use atlassian_sign::encoding::b64_decode;
use atlassian_sign::keys::{parse_rsa_key, RsaKey};
use atlassian_sign::rsa::{Hash, PrivateKey, PrivateParts, PublicKey};
use proptest::prelude::*;
use serde_json::Value;

fn vectors() -> Value {
    let path = format!(
        "{}/tests/vectors/rsa-signatures.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .concat();
    b64_decode(&body).unwrap()
}

fn private(k: &RsaKey) -> &PrivateKey {
    k.private_key().unwrap()
}

fn hash_of(name: &str) -> Hash {
    match name {
        "sha1" => Hash::Sha1,
        "sha256" => Hash::Sha256,
        "sha384" => Hash::Sha384,
        "sha512" => Hash::Sha512,
        _ => unreachable!(),
    }
}

#[test]
fn signatures_match_openssl() {
    let v = vectors();
    let msg = hex(v["message_hex"].as_str().unwrap());
    for entry in v["keys"].as_array().unwrap() {
        let name = entry["name"].as_str().unwrap();
        let key = parse_rsa_key(entry["private_pem"].as_str().unwrap()).unwrap();
        let public = parse_rsa_key(entry["public_spki_pem"].as_str().unwrap()).unwrap();
        assert_eq!(key.bits() as u64, entry["bits"].as_u64().unwrap(), "{name}");
        assert_eq!(key.public_key(), public.public_key(), "{name}");
        for (h, sig) in entry["pkcs1v15"].as_object().unwrap() {
            let hash = hash_of(h);
            let digest = hash.digest(&[&msg]);
            let sig = hex(sig.as_str().unwrap());
            // PKCS#1 v1.5 is deterministic: our signature is OpenSSL's, byte for byte.
            assert_eq!(
                private(&key).sign_pkcs1v15(hash, &digest).unwrap(),
                sig,
                "{name} {h}"
            );
            assert!(public.public_key().verify_pkcs1v15(hash, &digest, &sig));
            let mut bad = sig.clone();
            bad[10] ^= 1;
            assert!(!public.public_key().verify_pkcs1v15(hash, &digest, &bad));
            assert!(!public
                .public_key()
                .verify_pkcs1v15(hash, &digest, &sig[1..]));
            let other = hash.digest(&[b"other"]);
            assert!(!public.public_key().verify_pkcs1v15(hash, &other, &sig));
        }
        for (h, sig) in entry["pss"].as_object().unwrap() {
            let hash = hash_of(h);
            let digest = hash.digest(&[&msg]);
            let sig = hex(sig.as_str().unwrap());
            assert!(
                public.public_key().verify_pss(hash, &digest, &sig),
                "{name} PSS {h} from OpenSSL"
            );
            let mut bad = sig.clone();
            bad[0] ^= 0x40;
            assert!(!public.public_key().verify_pss(hash, &digest, &bad));
            // Ours verifies with ours (OpenSSL/jose acceptance is checked in the Node tests).
            let mine = private(&key).sign_pss(hash, &digest).unwrap();
            assert_eq!(mine.len(), public.public_key().size());
            assert_ne!(mine, sig, "random salt");
            assert!(
                public.public_key().verify_pss(hash, &digest, &mine),
                "{name} PSS {h}"
            );
            assert!(!public.public_key().verify_pkcs1v15(hash, &digest, &mine));
        }
        // The raw private operation (trusted apps v2) and its inverse.
        let size = key.public_key().size();
        let mut two = vec![0u8; size];
        two[size - 1] = 2;
        let raw = private(&key).raw_private(&two).unwrap();
        assert_eq!(
            raw,
            hex(entry["raw_private_of_2"].as_str().unwrap()),
            "{name}"
        );
        assert_eq!(key.public_key().raw_public(&raw).unwrap(), two);
        // Not below n: refused.
        let n = key.public_key().n_bytes();
        assert!(private(&key).raw_private(&n).is_err());
        assert!(key.public_key().raw_public(&n).is_none());
    }
}

#[test]
fn der_round_trips_and_matches_openssl_bytes() {
    let v = vectors();
    for entry in v["keys"].as_array().unwrap() {
        let pem = entry["private_pem"].as_str().unwrap();
        let der = pem_der(pem);
        let key = parse_rsa_key(pem).unwrap();
        let k = private(&key);
        let pkcs8 = k.to_pkcs8_der().unwrap();
        let pkcs1 = k.to_pkcs1_der().unwrap();
        // node:crypto writes the same canonical DER.
        if pem.contains("BEGIN PRIVATE KEY") {
            assert_eq!(pkcs8, der);
        } else {
            assert_eq!(pkcs1, der);
        }
        let again = PrivateKey::from_pkcs8_der(&pkcs8).unwrap();
        assert_eq!(again.to_pkcs8_der().unwrap(), pkcs8);
        assert_eq!(
            PrivateKey::from_pkcs1_der(&pkcs1)
                .unwrap()
                .to_pkcs1_der()
                .unwrap(),
            pkcs1
        );
        let spki = k.as_public_key().to_spki_der();
        assert_eq!(spki, pem_der(entry["public_spki_pem"].as_str().unwrap()));
        assert_eq!(&PublicKey::from_spki_der(&spki).unwrap(), k.as_public_key());
        let p1 = k.as_public_key().to_pkcs1_der();
        assert_eq!(&PublicKey::from_pkcs1_der(&p1).unwrap(), k.as_public_key());
    }
}

#[test]
fn damaged_der_is_refused_with_a_message() {
    let v = vectors();
    let pem = v["keys"][0]["private_pem"].as_str().unwrap();
    let der = pem_der(pem);
    let key = PrivateKey::from_pkcs8_der(&der).unwrap();
    let pkcs1 = key.to_pkcs1_der().unwrap();
    // Trailing garbage after the outer element.
    let mut long = der.clone();
    long.push(0);
    let e = PrivateKey::from_pkcs8_der(&long).unwrap_err();
    assert!(e.contains("trailing"), "{e}");
    // Every truncation.
    for cut in 0..der.len() {
        assert!(PrivateKey::from_pkcs8_der(&der[..cut]).is_err());
    }
    // A non-minimal length (0x82 0x00 0x05 for 5).
    assert!(PublicKey::from_pkcs1_der(&[0x30, 0x82, 0x00, 0x05, 2, 1, 1, 2, 1, 3]).is_err());
    // Indefinite length.
    assert!(PublicKey::from_pkcs1_der(&[0x30, 0x80, 2, 1, 1, 2, 1, 3, 0, 0]).is_err());
    // Multi-prime (version 1) keys: a clear message.
    let mut multi = pkcs1.clone();
    let version_at = multi.windows(3).position(|w| w == [2, 1, 0]).unwrap();
    multi[version_at + 2] = 1;
    assert!(PrivateKey::from_pkcs1_der(&multi)
        .unwrap_err()
        .contains("multi-prime"));
    // A changed prime: p·q no longer n.
    let e = parse_rsa_key(&format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----",
        atlassian_sign::encoding::b64_encode(&flip_in_last_integer(&pkcs1, 5))
    ))
    .unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_KEY");
    assert!(e.to_string().contains("PKCS#1 private key"), "{e}");
    // An even modulus, a too-small one, e = 1.
    let mut even = [0xffu8; 256];
    even[255] = 0xfe;
    assert!(PublicKey::new(&even, &[1, 0, 1])
        .unwrap_err()
        .contains("even"));
    let mut n = [0xffu8; 100];
    n[99] = 0xf1;
    assert!(PublicKey::new(&n, &[1, 0, 1])
        .unwrap_err()
        .contains("at least 1024"));
    assert!(PublicKey::new(&[0xff; 256], &[1])
        .unwrap_err()
        .contains("odd"));
}

/// `der` with one bit flipped in the content of the `nth` INTEGER of the first SEQUENCE.
fn flip_in_last_integer(der: &[u8], nth: usize) -> Vec<u8> {
    let mut out = der.to_vec();
    let mut pos = 4; // 30 82 xx xx
    for _ in 0..nth {
        let (len, hdr) = match out[pos + 1] {
            l if l < 0x80 => (l as usize, 2),
            0x81 => (out[pos + 2] as usize, 3),
            _ => (((out[pos + 2] as usize) << 8) | out[pos + 3] as usize, 4),
        };
        pos += hdr + len;
    }
    let hdr = if out[pos + 1] < 0x80 {
        2
    } else {
        2 + (out[pos + 1] & 0x7f) as usize
    };
    out[pos + hdr + 5] ^= 0x10;
    out
}

#[test]
fn keys_without_crt_values_and_jwk_forms() {
    let v = vectors();
    let pem = v["keys"][1]["private_pem"].as_str().unwrap();
    let key = parse_rsa_key(pem).unwrap();
    let k = private(&key);
    let digest = Hash::Sha256.digest(&[b"x"]);
    let expected = k.sign_pkcs1v15(Hash::Sha256, &digest).unwrap();
    // n, e, d only: no CRT, same signature.
    let der = k.to_pkcs1_der().unwrap();
    let ints = integers(&der);
    let bare = PrivateKey::from_parts(&PrivateParts {
        n: &ints[1],
        e: &ints[2],
        d: &ints[3],
        ..Default::default()
    })
    .unwrap();
    // The rsa crate recovers p and q from n, e and d (NIST SP 800-56B appendix C.2), so the
    // key signs with the CRT and exports to PKCS#8 like the full key.
    assert!(bare.has_primes());
    assert_eq!(bare.sign_pkcs1v15(Hash::Sha256, &digest).unwrap(), expected);
    assert_eq!(bare.to_pkcs1_der().unwrap(), der);
    // n, e and a wrong d: the primes cannot be recovered, so the key is refused at load
    // instead of producing a wrong signature.
    let mut wrong_d = ints[3].clone();
    wrong_d[20] ^= 4;
    assert!(PrivateKey::from_parts(&PrivateParts {
        n: &ints[1],
        e: &ints[2],
        d: &wrong_d,
        ..Default::default()
    })
    .unwrap_err()
    .contains("private exponent d"));
    // Primes without qInv: computed.
    let no_qi = PrivateKey::from_parts(&PrivateParts {
        n: &ints[1],
        e: &ints[2],
        d: &ints[3],
        p: Some(&ints[4]),
        q: Some(&ints[5]),
        qinv: None,
    })
    .unwrap();
    assert_eq!(no_qi.to_pkcs1_der().unwrap(), der);
    // A wrong qInv, a wrong d: refused.
    let mut bad_qi = ints[8].clone();
    bad_qi[3] ^= 1;
    assert!(PrivateKey::from_parts(&PrivateParts {
        n: &ints[1],
        e: &ints[2],
        d: &ints[3],
        p: Some(&ints[4]),
        q: Some(&ints[5]),
        qinv: Some(&bad_qi),
    })
    .unwrap_err()
    .contains("qInv"));
    let mut bad_d = ints[3].clone();
    bad_d[7] ^= 1;
    assert!(PrivateKey::from_parts(&PrivateParts {
        n: &ints[1],
        e: &ints[2],
        d: &bad_d,
        p: Some(&ints[4]),
        q: Some(&ints[5]),
        qinv: Some(&ints[8]),
    })
    .unwrap_err()
    .contains("private exponent d"));
    // Swapped primes (q > p) work too.
    let swapped = PrivateKey::from_parts(&PrivateParts {
        n: &ints[1],
        e: &ints[2],
        d: &ints[3],
        p: Some(&ints[5]),
        q: Some(&ints[4]),
        qinv: None,
    })
    .unwrap();
    assert_eq!(
        swapped.sign_pkcs1v15(Hash::Sha256, &digest).unwrap(),
        expected
    );
}

/// The INTEGER contents (magnitudes) of a flat SEQUENCE.
fn integers(der: &[u8]) -> Vec<Vec<u8>> {
    // (tag, content, rest) of the first TLV; definite lengths only, as DER has.
    fn tlv(b: &[u8]) -> (u8, &[u8], &[u8]) {
        let (len, hdr) = match b[1] {
            l if l < 0x80 => (l as usize, 2),
            l => {
                let k = (l & 0x7f) as usize;
                (
                    b[2..2 + k].iter().fold(0, |a, &x| (a << 8) | x as usize),
                    2 + k,
                )
            }
        };
        (b[0], &b[hdr..hdr + len], &b[hdr + len..])
    }
    let (_, mut rest, _) = tlv(der);
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (tag, c, r) = tlv(rest);
        assert_eq!(tag, 2, "an INTEGER");
        out.push(c.iter().copied().skip_while(|&b| b == 0).collect());
        rest = r;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn garbled_der_never_panics(flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4),
                                cut in any::<usize>()) {
        let v = vectors();
        let mut der = pem_der(v["keys"][3]["private_pem"].as_str().unwrap());
        for (at, x) in flips {
            let i = at % der.len();
            der[i] ^= x;
        }
        let _ = PrivateKey::from_pkcs8_der(&der);
        let _ = PrivateKey::from_pkcs1_der(&der);
        let _ = PublicKey::from_spki_der(&der);
        let _ = PublicKey::from_pkcs1_der(&der);
        let cut = cut % der.len();
        prop_assert!(PrivateKey::from_pkcs8_der(&der[..cut]).is_err());
        let _ = PublicKey::from_spki_der(&der[cut..]);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = PrivateKey::from_pkcs8_der(&bytes);
        let _ = PrivateKey::from_pkcs1_der(&bytes);
        let _ = PublicKey::from_spki_der(&bytes);
        let _ = PublicKey::from_pkcs1_der(&bytes);
        let _ = atlassian_sign::rsa::certificate_spki(&bytes);
    }
}
