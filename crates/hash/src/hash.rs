//! The hashes the schemes use (SHA-1 for OAuth 1.0a RSA-SHA1 and trusted apps, SHA-2 for
//! everything else), over the RustCrypto `sha1` and `sha2` crates.

use sha1::Digest;

/// A hash for PKCS#1 v1.5 DigestInfo and PSS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    /// SHA-1 (OAuth 1.0a RSA-SHA1, trusted apps).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

fn digest_parts<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
    let mut h = D::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().to_vec()
}

impl Hash {
    /// The digest length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Hash::Sha1 => 20,
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    /// The hash of the concatenation of `parts`.
    pub fn digest(self, parts: &[&[u8]]) -> Vec<u8> {
        match self {
            Hash::Sha1 => digest_parts::<sha1::Sha1>(parts),
            Hash::Sha256 => digest_parts::<sha2::Sha256>(parts),
            Hash::Sha384 => digest_parts::<sha2::Sha384>(parts),
            Hash::Sha512 => digest_parts::<sha2::Sha512>(parts),
        }
    }
}
