//! HMAC (RFC 2104, `crates/sha`): the one place that computes and checks a MAC.

use std::cell::RefCell;

use sha::{Algorithm, Hmac};
use subtle::ConstantTimeEq;

/// The last key, its algorithm, and the keyed MAC.
type Keyed = Option<(Algorithm, Vec<u8>, Hmac)>;

thread_local! {
    // The keyed state (inner and outer pads already hashed) of the last key used: a Connect app
    // or OAuth consumer signs many requests with one secret, and keying costs two of the about
    // eight compressions of a typical HMAC-SHA256 token.
    static LAST: RefCell<Keyed> = const { RefCell::new(None) };
}

/// A MAC keyed with `key`, from the one-entry cache when the key is the last one used.
fn keyed(alg: Algorithm, key: &[u8]) -> Hmac {
    let hit = LAST.with(|c| match &*c.borrow() {
        Some((a, k, m)) if *a == alg && bool::from(k.as_slice().ct_eq(key)) => Some(m.clone()),
        _ => None,
    });
    if let Some(m) = hit {
        return m;
    }
    let m = Hmac::new(alg, key);
    LAST.with(|c| {
        let mut c = c.borrow_mut();
        if let Some((_, old, _)) = c.as_mut() {
            crate::rsa::num::wipe_bytes(old);
        }
        *c = Some((alg, key.to_vec(), m.clone()));
    });
    m
}

/// The MAC of `data` under `key`.
pub(crate) fn sign(alg: Algorithm, key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = keyed(alg, key);
    m.update(data);
    m.finalize().as_slice().to_vec()
}

/// Checks `tag` in constant time (a tag of another length does not match).
pub(crate) fn verify(alg: Algorithm, key: &[u8], data: &[u8], tag: &[u8]) -> bool {
    let mut m = keyed(alg, key);
    m.update(data);
    m.verify(tag)
}

#[cfg(test)]
mod tests {
    use sha::Algorithm;

    #[test]
    fn cached_keys_give_the_rfc_4231_and_2202_tags() {
        // RFC 4231 test case 2 and RFC 2202 test case 2, interleaved so the cache switches.
        let want256 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        let want1 = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";
        for _ in 0..3 {
            for _ in 0..2 {
                let t = super::sign(Algorithm::Sha256, b"Jefe", b"what do ya want for nothing?");
                assert_eq!(crate::encoding::hex_lower(&t), want256);
            }
            let t = super::sign(Algorithm::Sha1, b"Jefe", b"what do ya want for nothing?");
            assert_eq!(crate::encoding::hex_lower(&t), want1);
            assert!(super::verify(
                Algorithm::Sha1,
                b"Jefe",
                b"what do ya want for nothing?",
                &t
            ));
            assert!(!super::verify(
                Algorithm::Sha256,
                b"Jefe!",
                b"what do ya want for nothing?",
                &t
            ));
        }
    }
}
