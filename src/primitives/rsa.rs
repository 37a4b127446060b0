//! RSA over the audited RustCrypto `rsa` crate (0.10, constant-time crypto-bigint arithmetic):
//! keys, PKCS#1 v1.5 and PSS signatures, the raw operations trusted applications v2 needs, key
//! generation, and the DER forms keys travel in (`pkcs1`, `pkcs8`, `spki` through `der`).
//!
//! This module only adapts: it turns the crate's errors into messages a person can act on and
//! keeps the key API the rest of the crate uses. No arithmetic, padding or DER encoding is ours.
//!
//! Signing is unblinded: crypto-bigint's modular exponentiation is constant time, so blinding
//! buys no side-channel protection here and costs about 1.8x (the design's measurements; Go's
//! crypto/rsa makes the same choice since 1.20). The crate checks every private-key result
//! with the public key (`rsa_decrypt_and_check`) before a signature leaves it.

use rsa::hazmat::{rsa_decrypt_and_check, rsa_encrypt};
use rsa::pkcs1::der::{Decode, Encode, Reader, SliceReader};
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey, RsaPrivateKeyRef, RsaPublicKeyRef};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, PrivateKeyInfoRef, SubjectPublicKeyInfoRef};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BoxedUint, Pkcs1v15Sign, Pss};
use sha1::Digest;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// The smallest modulus accepted, in bits: old Atlassian guides generated 1024-bit OAuth and
/// trusted-application keys. JWT algorithms ask for 2048 on their own.
pub const MIN_BITS: usize = 1024;
/// The largest modulus accepted, in bits (the `rsa` crate's limit).
pub const MAX_BITS: usize = 8192;

pub use crate::primitives::hash::Hash;

/// The PKCS#1 v1.5 padding (DigestInfo prefix) for a hash.
fn pkcs1v15(hash: Hash) -> Pkcs1v15Sign {
    match hash {
        Hash::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
        Hash::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
        Hash::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
        Hash::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
    }
}

/// PSS with MGF1 over the same hash and a salt as long as the digest (RFC 7518 section 3.5),
/// unblinded (see the module comment). `None` for SHA-1, which no JWT algorithm pairs with PSS.
fn pss<D: Digest + rsa::pkcs8::der::oid::AssociatedOid>() -> Pss<D> {
    let mut p = Pss::<D>::new();
    p.blinded = false;
    p
}

/// Why an RSA operation failed (turned into the crate's error by the callers).
pub type RsaResult<T> = core::result::Result<T, String>;

/// The crate's error as a sentence about the key.
fn key_error(e: rsa::Error) -> String {
    use rsa::Error as E;
    match e {
        E::ModulusTooSmall => format!(
            "the RSA modulus is under {MIN_BITS} bits; at least {MIN_BITS} are needed (2048 or \
             more is recommended)"
        ),
        E::ModulusTooLarge => {
            format!("the RSA modulus is over {MAX_BITS} bits; at most {MAX_BITS} are supported")
        }
        E::InvalidModulus => "the RSA modulus n is even or zero, so the key is damaged".into(),
        E::PublicExponentTooSmall | E::PublicExponentTooLarge | E::InvalidExponent => {
            "the public exponent e must be odd and between 3 and 2^33 - 1 (65537 is usual)".into()
        }
        E::InvalidPrime | E::NprimesTooSmall => {
            "the primes p and q do not belong to the modulus n and the exponents, so the key \
             is damaged"
                .into()
        }
        E::InvalidCoefficient => {
            "the coefficient qInv is not the inverse of q modulo p, so the key is damaged".into()
        }
        E::InvalidArguments => "the private exponent d does not match n and e, and the primes \
                                could not be recovered from them"
            .into(),
        other => format!("the RSA key is not usable ({other})"),
    }
}

fn der_error(e: impl core::fmt::Display) -> String {
    format!("the DER structure is malformed ({e})")
}

/// Big-endian bytes as an integer of `bits` bits of storage, without leading zero bytes mattering.
fn uint(be: &[u8], bits: u32) -> RsaResult<BoxedUint> {
    let start = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    let be = &be[start..];
    let precision = bits.max(64).next_multiple_of(64);
    BoxedUint::from_be_slice(be, precision).map_err(|_| "a key integer is too large".to_string())
}

/// The bit length of big-endian bytes (leading zero bytes ignored).
fn bit_len(be: &[u8]) -> usize {
    match be.iter().position(|&b| b != 0) {
        Some(i) => (be.len() - i) * 8 - be[i].leading_zeros() as usize,
        None => 0,
    }
}

/// An RSA public key (n, e).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(rsa::PublicKey);

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "PublicKey({} bits, e = {})", self.bits(), self.e())
    }
}

impl PublicKey {
    /// A public key from big-endian n and e, validated: n odd and 1024 to 8192 bits, e odd,
    /// at least 3 and at most 2^33 - 1.
    pub fn new(n_be: &[u8], e_be: &[u8]) -> RsaResult<PublicKey> {
        let bits = bit_len(n_be);
        if bits < MIN_BITS {
            return Err(format!(
                "the RSA modulus has {bits} bits; at least {MIN_BITS} are needed (2048 or more \
                 is recommended)"
            ));
        }
        if bits > MAX_BITS {
            return Err(format!(
                "the RSA modulus has {bits} bits; at most {MAX_BITS} are supported"
            ));
        }
        if bit_len(e_be) > 64 {
            return Err(key_error(rsa::Error::PublicExponentTooLarge));
        }
        let n = uint(n_be, bits as u32)?;
        let e = uint(e_be, 64)?;
        rsa::PublicKey::new_with_size_limits(n, e, MIN_BITS..=MAX_BITS)
            .map(PublicKey)
            .map_err(key_error)
    }

    /// The size of the modulus in bits.
    pub fn bits(&self) -> usize {
        self.0.n().bit_width() as usize
    }

    /// The size of the modulus (and of a signature) in bytes.
    pub fn size(&self) -> usize {
        self.0.size()
    }

    /// The modulus n, big-endian, without leading zeros.
    pub fn n_bytes(&self) -> Vec<u8> {
        self.0.n().as_ref().to_be_bytes_trimmed_vartime().into_vec()
    }

    /// The public exponent e.
    pub fn e(&self) -> u64 {
        let b = self.e_bytes();
        b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x))
    }

    /// The public exponent e, big-endian, without leading zeros.
    pub fn e_bytes(&self) -> Vec<u8> {
        self.0.e().to_be_bytes_trimmed_vartime().into_vec()
    }

    /// Big-endian bytes as an integer below n (`None` otherwise).
    fn int_below_n(&self, c: &[u8]) -> Option<BoxedUint> {
        let x = BoxedUint::from_be_slice(c, self.0.n_bits_precision()).ok()?;
        (x < *self.0.n().as_ref()).then_some(x)
    }

    /// The raw public operation (RSAVP1): `c^e mod n`, `None` when `c` is not below n.
    /// Output is `size()` bytes.
    pub fn raw_public(&self, c: &[u8]) -> Option<Vec<u8>> {
        let x = self.int_below_n(c)?;
        let m = rsa_encrypt(&self.0, &x).ok()?;
        Some(be_padded(&m, self.size()))
    }

    /// RSASSA-PKCS1-v1_5 verification of `digest` (already hashed with `hash`).
    pub fn verify_pkcs1v15(&self, hash: Hash, digest: &[u8], sig: &[u8]) -> bool {
        self.0.verify(pkcs1v15(hash), digest, sig).is_ok()
    }

    /// RSASSA-PSS verification (MGF1 with the same hash, salt length = digest length, as
    /// RFC 7518 section 3.5 fixes for PS256/384/512).
    pub fn verify_pss(&self, hash: Hash, digest: &[u8], sig: &[u8]) -> bool {
        let r = match hash {
            Hash::Sha1 => return false,
            Hash::Sha256 => self.0.verify(pss::<sha2::Sha256>(), digest, sig),
            Hash::Sha384 => self.0.verify(pss::<sha2::Sha384>(), digest, sig),
            Hash::Sha512 => self.0.verify(pss::<sha2::Sha512>(), digest, sig),
        };
        r.is_ok()
    }

    /// The PKCS#1 `RSAPublicKey` DER.
    pub fn to_pkcs1_der(&self) -> Vec<u8> {
        self.0
            .to_pkcs1_der()
            .map(|d| d.into_vec())
            .unwrap_or_default()
    }

    /// The `SubjectPublicKeyInfo` DER.
    pub fn to_spki_der(&self) -> Vec<u8> {
        self.0
            .to_public_key_der()
            .map(|d| d.into_vec())
            .unwrap_or_default()
    }

    /// Reads a PKCS#1 `RSAPublicKey`.
    pub fn from_pkcs1_der(der_bytes: &[u8]) -> RsaResult<PublicKey> {
        let k = RsaPublicKeyRef::from_der(der_bytes).map_err(der_error)?;
        PublicKey::new(k.modulus.as_bytes(), k.public_exponent.as_bytes())
    }

    /// Reads a `SubjectPublicKeyInfo` holding an RSA key.
    pub fn from_spki_der(der_bytes: &[u8]) -> RsaResult<PublicKey> {
        let spki = SubjectPublicKeyInfoRef::from_der(der_bytes).map_err(der_error)?;
        check_rsa_algorithm(&spki.algorithm.oid)?;
        let bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or("the public key BIT STRING has unused bits")?;
        PublicKey::from_pkcs1_der(bits)
    }
}

fn check_rsa_algorithm(oid: &rsa::pkcs8::ObjectIdentifier) -> RsaResult<()> {
    if *oid == rsa::pkcs1::ALGORITHM_OID {
        Ok(())
    } else {
        Err(format!(
            "the key's algorithm is {oid}, not RSA (1.2.840.113549.1.1.1)"
        ))
    }
}

/// `x` as exactly `len` big-endian bytes.
fn be_padded(x: &BoxedUint, len: usize) -> Vec<u8> {
    let mut bytes = x.to_be_bytes();
    let mut out = vec![0u8; len];
    let skip = bytes.len().saturating_sub(len);
    let src = &bytes[skip..];
    out[len - src.len()..].copy_from_slice(src);
    bytes.zeroize();
    out
}

/// An RSA private key (two primes; the primes are recovered when only n, e and d are given).
#[derive(Clone)]
pub struct PrivateKey {
    inner: rsa::PrivateKey,
    public: PublicKey,
}

impl core::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "PrivateKey({} bits, e = {})",
            self.bits(),
            self.public.e()
        )
    }
}

/// The integers of a private key, big-endian.
#[derive(Default)]
pub struct PrivateParts<'a> {
    /// The modulus.
    pub n: &'a [u8],
    /// The public exponent.
    pub e: &'a [u8],
    /// The private exponent.
    pub d: &'a [u8],
    /// The first prime (with `q`, or neither).
    pub p: Option<&'a [u8]>,
    /// The second prime.
    pub q: Option<&'a [u8]>,
    /// The CRT coefficient `q^-1 mod p`, checked when given.
    pub qinv: Option<&'a [u8]>,
}

impl PrivateKey {
    /// A private key from its integers, validated by the `rsa` crate (p·q = n, e·d = 1 modulo
    /// λ(n)); a given qInv must be the inverse of q modulo p.
    pub fn from_parts(parts: &PrivateParts<'_>) -> RsaResult<PrivateKey> {
        let public = PublicKey::new(parts.n, parts.e)?;
        let bits = public.0.n_bits_precision();
        let n = public.0.n().as_ref().clone();
        let e = public.0.e().clone();
        let d = uint(parts.d, bits)?;
        if bool::from(d.is_zero()) {
            return Err("the private exponent d is zero".into());
        }
        if d >= n {
            return Err("the private exponent d is not below the modulus n".into());
        }
        let primes = match (parts.p, parts.q) {
            (Some(p), Some(q)) => vec![uint(p, bits)?, uint(q, bits)?],
            (None, None) => Vec::new(),
            _ => return Err("the key has one prime but not the other".into()),
        };
        let inner = rsa::PrivateKey::from_components(n, e, d, primes).map_err(|err| match err {
            // e was checked with the public key above, so an exponent error is about d.
            rsa::Error::InvalidPrime
            | rsa::Error::InvalidModulus
            | rsa::Error::InvalidExponent
            | rsa::Error::Internal => {
                "the private exponent d or the primes p and q do not match the modulus n and \
                 e (e·d is not 1 modulo p-1 and q-1, or p·q is not n), so the key is damaged"
                    .to_string()
            }
            other => key_error(other),
        })?;
        if let Some(qinv) = parts.qinv {
            let want = inner
                .crt_coefficient()
                .ok_or_else(|| key_error(rsa::Error::InvalidPrime))?;
            let mut want = want.to_be_bytes_trimmed_vartime();
            let start = qinv.iter().position(|&b| b != 0).unwrap_or(qinv.len());
            let same: bool = want.as_ref().ct_eq(&qinv[start..]).into();
            want.zeroize();
            if !same {
                return Err(key_error(rsa::Error::InvalidCoefficient));
            }
        }
        Ok(PrivateKey { inner, public })
    }

    /// The public half.
    pub fn as_public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The public half, owned.
    pub fn to_public_key(&self) -> PublicKey {
        self.public.clone()
    }

    /// The size of the modulus (and of a signature) in bytes.
    pub fn size(&self) -> usize {
        self.public.size()
    }

    /// The size of the modulus in bits.
    pub fn bits(&self) -> usize {
        self.public.bits()
    }

    /// Whether the primes are known (always, since the `rsa` crate recovers them from n, e, d).
    pub fn has_primes(&self) -> bool {
        self.inner.primes().len() == 2
    }

    /// The raw private operation (RSASP1, `m^d mod n`) with the crate's check by the public
    /// key; `m` must be below n. Output is `size()` bytes.
    pub fn raw_private(&self, m: &[u8]) -> RsaResult<Vec<u8>> {
        let x = self
            .public
            .int_below_n(m)
            .ok_or("the value is not below the RSA modulus")?;
        let s = rsa_decrypt_and_check(&self.inner, None::<&mut getrandom::SysRng>, &x)
            .map_err(|e| sign_error(&e))?;
        Ok(be_padded(&s, self.size()))
    }

    /// RSASSA-PKCS1-v1_5 signature of `digest` (already hashed with `hash`).
    pub fn sign_pkcs1v15(&self, hash: Hash, digest: &[u8]) -> RsaResult<Vec<u8>> {
        // `sign` without the crate's `getrandom` feature passes no randomness: unblinded.
        self.inner
            .sign(pkcs1v15(hash), digest)
            .map_err(|e| sign_error(&e))
    }

    /// RSASSA-PSS signature (MGF1 with the same hash, salt length = digest length) with a
    /// random salt from the platform.
    pub fn sign_pss(&self, hash: Hash, digest: &[u8]) -> RsaResult<Vec<u8>> {
        let mut rng = getrandom::SysRng;
        let r = match hash {
            Hash::Sha1 => return Err("PSS is used with SHA-256, -384 or -512 only".into()),
            Hash::Sha256 => self
                .inner
                .sign_with_rng(&mut rng, pss::<sha2::Sha256>(), digest),
            Hash::Sha384 => self
                .inner
                .sign_with_rng(&mut rng, pss::<sha2::Sha384>(), digest),
            Hash::Sha512 => self
                .inner
                .sign_with_rng(&mut rng, pss::<sha2::Sha512>(), digest),
        };
        r.map_err(|e| sign_error(&e))
    }

    /// The private key's integers as a JWK's members (`n`, `e`, `d`, `p`, `q`, `dp`, `dq`,
    /// `qi`, big-endian, without leading zeros), for WebCrypto's `importKey('jwk', ...)`.
    /// Wiped by the caller after use.
    pub fn jwk_integers(&self) -> Option<[(&'static str, Vec<u8>); 8]> {
        let trimmed = |x: &BoxedUint| x.to_be_bytes_trimmed_vartime().into_vec();
        let primes = self.inner.primes();
        let [p, q] = primes else { return None };
        Some([
            ("n", self.public.n_bytes()),
            ("e", self.public.e_bytes()),
            ("d", trimmed(self.inner.d())),
            ("p", trimmed(p.as_ref())),
            ("q", trimmed(q.as_ref())),
            ("dp", trimmed(self.inner.dp()?)),
            ("dq", trimmed(self.inner.dq()?)),
            ("qi", trimmed(&self.inner.crt_coefficient()?)),
        ])
    }

    /// The PKCS#1 `RSAPrivateKey` DER (wiped when the caller drops it into a zeroizing buffer).
    pub fn to_pkcs1_der(&self) -> Option<Vec<u8>> {
        let doc = self.inner.to_pkcs1_der().ok()?;
        Some(doc.as_bytes().to_vec())
    }

    /// The PKCS#8 `PrivateKeyInfo` DER.
    pub fn to_pkcs8_der(&self) -> Option<Vec<u8>> {
        let doc = self.inner.to_pkcs8_der().ok()?;
        Some(doc.as_bytes().to_vec())
    }

    /// Reads a PKCS#1 `RSAPrivateKey` (two-prime).
    pub fn from_pkcs1_der(der_bytes: &[u8]) -> RsaResult<PrivateKey> {
        let k = RsaPrivateKeyRef::from_der(der_bytes).map_err(|e| {
            if is_multi_prime(der_bytes) {
                MULTI_PRIME.to_string()
            } else {
                der_error(e)
            }
        })?;
        if k.other_prime_infos.is_some() {
            return Err(MULTI_PRIME.into());
        }
        PrivateKey::from_parts(&PrivateParts {
            n: k.modulus.as_bytes(),
            e: k.public_exponent.as_bytes(),
            d: k.private_exponent.as_bytes(),
            p: Some(k.prime1.as_bytes()),
            q: Some(k.prime2.as_bytes()),
            qinv: Some(k.coefficient.as_bytes()),
        })
    }

    /// Reads a PKCS#8 `PrivateKeyInfo` holding an RSA key.
    pub fn from_pkcs8_der(der_bytes: &[u8]) -> RsaResult<PrivateKey> {
        let info = PrivateKeyInfoRef::from_der(der_bytes).map_err(der_error)?;
        check_rsa_algorithm(&info.algorithm.oid)?;
        PrivateKey::from_pkcs1_der(info.private_key.as_bytes())
    }
}

const MULTI_PRIME: &str = "multi-prime RSA keys (RSAPrivateKey version 1) are not supported; use \
                           a two-prime key (openssl genpkey -algorithm RSA makes one)";

/// Whether an `RSAPrivateKey` DER starts with version 1 (multi-prime).
fn is_multi_prime(der_bytes: &[u8]) -> bool {
    let Ok(mut r) = SliceReader::new(der_bytes) else {
        return false;
    };
    rsa::pkcs1::der::Header::decode(&mut r).is_ok() && r.decode::<u8>().is_ok_and(|v| v == 1)
}

fn sign_error(e: &rsa::Error) -> String {
    match e {
        rsa::Error::Internal => "the RSA result failed its check (s^e mod n differs from the \
                                 input): a computation fault, or a private key whose d does \
                                 not belong to n and e; no signature was released"
            .into(),
        rsa::Error::MessageTooLong => "the RSA key is too short for this hash".into(),
        rsa::Error::Rng => "no randomness for the PSS salt on this platform".into(),
        other => format!("RSA signing failed ({other})"),
    }
}

/// The `SubjectPublicKeyInfo` DER of an X.509 certificate (RFC 5280 section 4.1), or `None`
/// when the bytes are not a certificate.
pub fn certificate_spki(cert: &[u8]) -> Option<Vec<u8>> {
    use rsa::pkcs1::der::asn1::AnyRef;
    use rsa::pkcs1::der::{Tag, TagNumber};
    let mut outer = SliceReader::new(cert).ok()?;
    let spki = outer
        .sequence(|c| {
            let spki = c.sequence(|tbs| {
                // version [0] EXPLICIT, optional
                if Tag::peek(tbs)?
                    == (Tag::ContextSpecific {
                        constructed: true,
                        number: TagNumber(0),
                    })
                {
                    tbs.decode::<AnyRef<'_>>()?;
                }
                for _ in 0..5 {
                    // serialNumber, signature, issuer, validity, subject
                    tbs.decode::<AnyRef<'_>>()?;
                }
                let spki: SubjectPublicKeyInfoRef<'_> = tbs.decode()?;
                // issuerUniqueID, subjectUniqueID, extensions
                while !tbs.is_finished() {
                    tbs.decode::<AnyRef<'_>>()?;
                }
                spki.to_der()
            })?;
            while !c.is_finished() {
                c.decode::<AnyRef<'_>>()?;
            }
            Ok::<_, rsa::pkcs1::der::Error>(spki)
        })
        .ok()?;
    outer.finish().ok()?;
    Some(spki)
}
