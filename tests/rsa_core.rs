//! The crate's own RSA (src/rsa): fixed vectors from node:crypto (OpenSSL), Montgomery
//! arithmetic against a slow reference, DER round trips and rejection, key generation.

use atlassian_sign::encoding::b64_decode;
use atlassian_sign::keys::{parse_rsa_key, RsaKey};
use atlassian_sign::rsa::num::{self, Mont};
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
    assert!(PrivateKey::from_pkcs8_der(&long)
        .unwrap_err()
        .contains("follow"));
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
    assert!(!bare.has_primes());
    assert_eq!(bare.sign_pkcs1v15(Hash::Sha256, &digest).unwrap(), expected);
    assert!(bare.to_pkcs8_der().is_none());
    // n, e and a wrong d: loads (nothing to check it against), but the check after the
    // private operation refuses to release the wrong signature.
    let mut wrong_d = ints[3].clone();
    wrong_d[20] ^= 4;
    let wrong = PrivateKey::from_parts(&PrivateParts {
        n: &ints[1],
        e: &ints[2],
        d: &wrong_d,
        ..Default::default()
    })
    .unwrap();
    assert!(wrong
        .sign_pkcs1v15(Hash::Sha256, &digest)
        .unwrap_err()
        .contains("failed its check"));
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
    .contains("private exponent"));
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
    let (_, _, mut rest, _) = atlassian_sign::rsa::der::der_next(der).unwrap();
    let mut out = Vec::new();
    while let Some((_, _, c, r)) = atlassian_sign::rsa::der::der_next(rest) {
        out.push(c.iter().copied().skip_while(|&b| b == 0).collect());
        rest = r;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Montgomery arithmetic against a slow reference.

/// Reference: (a * b) mod m, schoolbook product then restoring division, bit by bit.
fn ref_mulmod(a: &[u32], b: &[u32], m: &[u32]) -> Vec<u32> {
    let mut prod = vec![0u32; a.len() + b.len()];
    for (i, &x) in a.iter().enumerate() {
        let mut carry = 0u64;
        for (j, &y) in b.iter().enumerate() {
            let s = prod[i + j] as u64 + x as u64 * y as u64 + carry;
            prod[i + j] = s as u32;
            carry = s >> 32;
        }
        prod[i + b.len()] = carry as u32;
    }
    ref_mod(&prod, m)
}

fn ref_mod(x: &[u32], m: &[u32]) -> Vec<u32> {
    // r as u128-free big number: Vec<u32> with m.len() + 1 limbs.
    let k = m.len();
    let mut r = vec![0u32; k + 1];
    let ge = |r: &[u32]| {
        for i in (0..k + 1).rev() {
            let mi = if i < k { m[i] } else { 0 };
            if r[i] != mi {
                return r[i] > mi;
            }
        }
        true
    };
    for i in (0..x.len() * 32).rev() {
        let mut carry = (x[i / 32] >> (i % 32)) & 1;
        for limb in r.iter_mut() {
            let top = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = top;
        }
        if ge(&r) {
            let mut borrow = 0i64;
            for j in 0..k + 1 {
                let mj = if j < k { m[j] as i64 } else { 0 };
                let mut d = r[j] as i64 - mj - borrow;
                borrow = 0;
                if d < 0 {
                    d += 1 << 32;
                    borrow = 1;
                }
                r[j] = d as u32;
            }
        }
    }
    r.truncate(k);
    r
}

fn ref_powmod(b: &[u32], e: &[u32], m: &[u32]) -> Vec<u32> {
    let mut one = vec![0u32; m.len()];
    one[0] = 1;
    let mut acc = ref_mod(&one, m);
    let base = ref_mod(b, m);
    for i in (0..e.len() * 32).rev() {
        acc = ref_mulmod(&acc, &acc, m);
        if (e[i / 32] >> (i % 32)) & 1 == 1 {
            acc = ref_mulmod(&acc, &base, m);
        }
    }
    acc
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as u32
    }
    fn limbs(&mut self, n: usize) -> Vec<u32> {
        (0..n).map(|_| self.next()).collect()
    }
}

#[test]
fn montgomery_matches_reference() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut moduli: Vec<Vec<u32>> = vec![
        vec![3],
        vec![0xffff_ffff],
        vec![0xffff_ffff; 4],
        vec![1, 0, 0, 0x8000_0000],
        vec![0xffff_fff1, 0xffff_ffff, 0x0000_0001],
    ];
    for k in [1, 2, 3, 5, 8, 17, 32] {
        let mut m = rng.limbs(k);
        m[0] |= 1;
        moduli.push(m.clone());
        m[k - 1] |= 0x8000_0000;
        moduli.push(m);
    }
    for m in &moduli {
        let k = m.len();
        let mont = Mont::new(m).unwrap();
        let k = k.min(num::bits_vartime(m).div_ceil(32));
        let mut m_minus_1 = m[..k].to_vec();
        m_minus_1[0] -= 1;
        let bases: Vec<Vec<u32>> = vec![
            vec![0; k],
            {
                let mut one = vec![0; k];
                one[0] = 1;
                one
            },
            m_minus_1.clone(),
            vec![0xffff_ffff; k],
            vec![0xffff_ffff; 2 * k + 1], // longer than m: reduced on the way in
            rng.limbs(k),
            rng.limbs(2 * k),
        ];
        // Full-length exponents for small moduli; the slow reference keeps them short above.
        let exps: Vec<Vec<u32>> = if k <= 5 {
            vec![
                vec![0; k],
                vec![1],
                vec![0xffff_ffff; k],
                m_minus_1.clone(),
                rng.limbs(k),
                vec![65537],
            ]
        } else {
            vec![
                vec![0],
                vec![1],
                vec![0xffff_ffff; 2],
                rng.limbs(2),
                vec![65537],
            ]
        };
        for b in &bases {
            assert_eq!(
                &mont.from_mont(&mont.to_mont(b))[..],
                &ref_mod(b, &m[..k])[..]
            );
            for e in &exps {
                let want = ref_powmod(b, e, &m[..k]);
                assert_eq!(
                    &mont.modpow_ct(b, e)[..],
                    &want[..],
                    "m={m:x?} b={b:x?} e={e:x?}"
                );
                assert_eq!(&mont.modpow_vartime(b, e)[..], &want[..]);
            }
            for c in &bases {
                let (bm, cm) = (mont.to_mont(b), mont.to_mont(c));
                let prod = mont.from_mont(&mont.mul_new(&bm, &cm));
                assert_eq!(
                    &prod[..],
                    &ref_mulmod(&ref_mod(b, &m[..k]), &ref_mod(c, &m[..k]), &m[..k])[..]
                );
                let mut sum = bm.clone();
                mont.add(&mut sum, &cm);
                let mut diff = sum.clone();
                mont.sub(&mut diff, &cm);
                assert_eq!(&diff[..], &bm[..]);
            }
        }
    }
}

#[test]
fn ct_rem_matches_reference() {
    let mut rng = Rng(42);
    for (xl, ml) in [(1, 1), (4, 2), (64, 32), (65, 33), (8, 8)] {
        for _ in 0..5 {
            let x = rng.limbs(xl);
            let mut m = rng.limbs(ml);
            if m.iter().all(|&l| l == 0) {
                m[0] = 1;
            }
            m[0] &= !1; // even moduli too
            m[0] |= 2;
            assert_eq!(&num::ct_rem(&x, &m)[..], &ref_mod(&x, &m)[..]);
        }
    }
}

#[test]
fn generated_keys_are_consistent() {
    let key = atlassian_sign::keys::generate_rsa_key(2048).unwrap();
    assert_eq!(key.bits(), 2048);
    assert!(key.has_primes());
    // from_parts checked p·q = n, e·d = 1 mod p-1 and q-1, qInv; round trip through PKCS#8.
    let der = key.to_pkcs8_der().unwrap();
    let again = PrivateKey::from_pkcs8_der(&der).unwrap();
    assert_eq!(again.to_pkcs8_der().unwrap(), der);
    let ints = integers(&key.to_pkcs1_der().unwrap());
    assert_eq!(ints[2], vec![1, 0, 1]);
    let (p, q, n) = (&ints[4], &ints[5], &ints[1]);
    assert_eq!(p.len(), 128);
    assert_eq!(q.len(), 128);
    assert!(p[0] >= 0xc0 && q[0] >= 0xc0, "top two bits set");
    let prod = num::mul(&num::from_be(p, 32).unwrap(), &num::from_be(q, 32).unwrap());
    assert_eq!(num::to_be(&prod, 256), *n);
    let digest = Hash::Sha1.digest(&[b"m"]);
    let sig = key.sign_pkcs1v15(Hash::Sha1, &digest).unwrap();
    assert!(key
        .to_public_key()
        .verify_pkcs1v15(Hash::Sha1, &digest, &sig));
    assert!(atlassian_sign::keys::generate_rsa_key(1024).is_err());
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
        let _ = atlassian_sign::rsa::der::certificate_spki(&bytes);
    }
}
