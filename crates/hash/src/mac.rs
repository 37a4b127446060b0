//! HMAC (RFC 2104) over the RustCrypto `hmac`, `sha1` and `sha2` crates: the one place that
//! computes and checks a MAC.

use std::cell::RefCell;

use hmac::{KeyInit, Mac};
use subtle::ConstantTimeEq;

use crate::hash::Hash;

/// A keyed MAC of one of the four hashes (non-generic, so it can sit in the cache).
#[derive(Clone)]
enum Keyed {
    Sha1(hmac::Hmac<sha1::Sha1>),
    Sha256(hmac::Hmac<sha2::Sha256>),
    Sha384(hmac::Hmac<sha2::Sha384>),
    Sha512(hmac::Hmac<sha2::Sha512>),
}

impl Keyed {
    fn new(alg: Hash, key: &[u8]) -> Keyed {
        // HMAC takes keys of any length (longer ones are hashed first), so keying cannot fail.
        fn keyed<M: KeyInit>(key: &[u8]) -> M {
            match M::new_from_slice(key) {
                Ok(m) => m,
                Err(_) => unreachable!("HMAC accepts keys of every length"),
            }
        }
        match alg {
            Hash::Sha1 => Keyed::Sha1(keyed(key)),
            Hash::Sha256 => Keyed::Sha256(keyed(key)),
            Hash::Sha384 => Keyed::Sha384(keyed(key)),
            Hash::Sha512 => Keyed::Sha512(keyed(key)),
        }
    }

    fn tag(self, data: &[u8]) -> Vec<u8> {
        fn run<M: Mac>(mut m: M, data: &[u8]) -> Vec<u8> {
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        match self {
            Keyed::Sha1(m) => run(m, data),
            Keyed::Sha256(m) => run(m, data),
            Keyed::Sha384(m) => run(m, data),
            Keyed::Sha512(m) => run(m, data),
        }
    }
}

/// The last key's algorithm, the SHA-256 of the key (not the key), and the keyed MAC.
type Last = Option<(Hash, [u8; 32], Keyed)>;

thread_local! {
    // The keyed state (inner and outer pads already hashed) of the last key used: a Connect app
    // or OAuth consumer signs many requests with one secret, and keying costs two of the about
    // eight compressions of a typical HMAC-SHA256 token, against one to look the key up by its
    // digest. The key text itself is not kept.
    static LAST: RefCell<Last> = const { RefCell::new(None) };
}

fn key_digest(key: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(key).into()
}

/// A MAC keyed with `key`, from the one-entry cache when the key is the last one used.
fn keyed(alg: Hash, key: &[u8]) -> Keyed {
    let id = key_digest(key);
    let hit = LAST.with(|c| match &*c.borrow() {
        Some((a, d, m)) if *a == alg && bool::from(d.ct_eq(&id)) => Some(m.clone()),
        _ => None,
    });
    if let Some(m) = hit {
        return m;
    }
    let m = Keyed::new(alg, key);
    LAST.with(|c| *c.borrow_mut() = Some((alg, id, m.clone())));
    m
}

/// The MAC of `data` under `key`.
pub fn sign(alg: Hash, key: &[u8], data: &[u8]) -> Vec<u8> {
    keyed(alg, key).tag(data)
}

/// Checks `tag` in constant time (a tag of another length does not match).
pub fn verify(alg: Hash, key: &[u8], data: &[u8], tag: &[u8]) -> bool {
    let want = sign(alg, key, data);
    want.len() == tag.len() && bool::from(want.ct_eq(tag))
}

#[cfg(test)]
mod tests {
    use crate::hash::Hash;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn cached_keys_give_the_rfc_4231_and_2202_tags() {
        // RFC 4231 test case 2 and RFC 2202 test case 2, interleaved so the cache switches.
        let want256 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        let want1 = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";
        for _ in 0..3 {
            for _ in 0..2 {
                let t = super::sign(Hash::Sha256, b"Jefe", b"what do ya want for nothing?");
                assert_eq!(hex(&t), want256);
            }
            let t = super::sign(Hash::Sha1, b"Jefe", b"what do ya want for nothing?");
            assert_eq!(hex(&t), want1);
            assert!(super::verify(
                Hash::Sha1,
                b"Jefe",
                b"what do ya want for nothing?",
                &t
            ));
            assert!(!super::verify(
                Hash::Sha256,
                b"Jefe!",
                b"what do ya want for nothing?",
                &t
            ));
            assert!(!super::verify(
                Hash::Sha1,
                b"Jefe",
                b"what do ya want for nothing?",
                &t[..19]
            ));
        }
    }

    #[test]
    fn rfc_4231_sha384_and_sha512() {
        let t = super::sign(Hash::Sha384, b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&t),
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"
        );
        let t = super::sign(Hash::Sha512, b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&t),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
    }
}
