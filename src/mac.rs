//! HMAC (RFC 2104) over any RustCrypto digest: the one place that computes and checks a MAC.

use hmac::{KeyInit, Mac};

/// The MAC of `data` under `key`. HMAC takes keys of any length, so keying cannot fail.
pub(crate) fn sign<M: Mac + KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
    match <M as KeyInit>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Checks `tag` in constant time (`verify_slice`).
pub(crate) fn verify<M: Mac + KeyInit>(key: &[u8], data: &[u8], tag: &[u8]) -> bool {
    match <M as KeyInit>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.verify_slice(tag).is_ok()
        }
        Err(_) => false,
    }
}
