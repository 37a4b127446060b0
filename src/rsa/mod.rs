//! The crate's own RSA (RFC 8017): keys, the private-key operation with CRT, PKCS#1 v1.5
//! and PSS signatures, key generation, and the DER structures keys travel in.
//!
//! Constant-time: the private-key operation (reductions, exponentiations with a fixed
//! window and masked table reads, the CRT recombination) and key loading do not branch on
//! or index memory by secret values; only sizes (limb counts, bit lengths of the primes)
//! decide the work done. Public-key operations (verification, the check after signing) use a
//! variable-time exponentiation on public values. Key generation tests random candidates and
//! throws away the rejected ones, which takes a random amount of time, as everywhere.
//! Secret limb vectors are overwritten with zeros when dropped.

pub mod der;
pub mod num;

use self::der::{Reader, TAG_BIT_STRING, TAG_OCTET_STRING, TAG_SEQUENCE};
use self::num::{Mont, Nat};

/// The smallest modulus accepted, in bits (as before: the OAuth wiki's published 1024-bit
/// certificate must still verify; PS* signing asks for 2048 separately).
pub const MIN_BITS: usize = 1024;
/// The largest modulus accepted, in bits.
pub const MAX_BITS: usize = 16384;
/// The largest public exponent accepted (as the `rsa` crate did: 2^33 - 1).
pub const MAX_E: u64 = (1 << 33) - 1;

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
        let mut h = sha::Hasher::new(match self {
            Hash::Sha1 => sha::Algorithm::Sha1,
            Hash::Sha256 => sha::Algorithm::Sha256,
            Hash::Sha384 => sha::Algorithm::Sha384,
            Hash::Sha512 => sha::Algorithm::Sha512,
        });
        for p in parts {
            h.update(p);
        }
        h.finalize().as_slice().to_vec()
    }

    /// The DER DigestInfo header that precedes the digest (RFC 8017 section 9.2 note 1).
    fn digest_info_prefix(self) -> &'static [u8] {
        match self {
            Hash::Sha1 => &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14,
            ],
            Hash::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
            Hash::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x02, 0x05, 0x00, 0x04, 0x30,
            ],
            Hash::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x03, 0x05, 0x00, 0x04, 0x40,
            ],
        }
    }
}

/// Why an RSA operation failed (turned into the crate's error by the callers).
pub type RsaResult<T> = core::result::Result<T, String>;

/// An RSA public key (n, e).
#[derive(Clone)]
pub struct PublicKey {
    n: Nat,
    e: u64,
    bits: usize,
    mont: Mont,
}

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "PublicKey({} bits, e = {})", self.bits, self.e)
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.e == other.e && num::cmp_vartime(&self.n, &other.n).is_eq()
    }
}

impl Eq for PublicKey {}

impl PublicKey {
    /// A public key from big-endian n and e, validated: n odd and 1024 to 16384 bits, e odd,
    /// at least 3 and at most 2^33 - 1.
    pub fn new(n_be: &[u8], e_be: &[u8]) -> RsaResult<PublicKey> {
        let n_limbs = n_be.len().div_ceil(4).max(1);
        let n = num::from_be(n_be, n_limbs).ok_or("the modulus does not fit")?;
        let bits = num::bits_vartime(&n);
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
        if n[0] & 1 == 0 {
            return Err("the RSA modulus n is even, so this is not a valid RSA key".into());
        }
        let e_trim: Vec<u8> = e_be.iter().copied().skip_while(|&b| b == 0).collect();
        if e_trim.len() > 8 {
            return Err(
                "the RSA public exponent e is too large (at most 2^33 - 1; 65537 is usual)".into(),
            );
        }
        let e = e_trim
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        if e > MAX_E {
            return Err(format!(
                "the RSA public exponent e = {e} is too large (at most 2^33 - 1; 65537 is usual)"
            ));
        }
        if e < 3 || e & 1 == 0 {
            return Err(format!(
                "the RSA public exponent e = {e} is not usable: it must be odd and at least 3 \
                 (65537 is usual)"
            ));
        }
        let n = num::resized(&n, bits.div_ceil(32));
        let mont = Mont::new(&n).ok_or("the modulus is not odd")?;
        Ok(PublicKey { n, e, bits, mont })
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// The modulus size in bytes (the length of every signature).
    pub fn size(&self) -> usize {
        self.bits.div_ceil(8)
    }

    /// The modulus, big-endian without leading zeros.
    pub fn n_bytes(&self) -> Vec<u8> {
        num::to_be_trimmed_vartime(&self.n)
    }

    /// The public exponent.
    pub fn e(&self) -> u64 {
        self.e
    }

    /// The public exponent, big-endian without leading zeros.
    pub fn e_bytes(&self) -> Vec<u8> {
        let b = self.e.to_be_bytes();
        let skip = b.iter().take_while(|&&x| x == 0).count();
        b[skip..].to_vec()
    }

    fn e_limbs(&self) -> [u32; 2] {
        [self.e as u32, (self.e >> 32) as u32]
    }

    /// `x^e mod n` on limbs (x < n).
    fn public_op(&self, x: &[u32]) -> Nat {
        self.mont.modpow_vartime(x, &self.e_limbs())
    }

    /// The raw public operation (RSAVP1): `c^e mod n`, `None` when `c` is not below n.
    /// Output is `size()` bytes.
    pub fn raw_public(&self, c: &[u8]) -> Option<Vec<u8>> {
        let x = self.int_below_n(c)?;
        Some(num::to_be(&self.public_op(&x), self.size()))
    }

    /// Big-endian bytes as an integer below n (`None` otherwise).
    fn int_below_n(&self, c: &[u8]) -> Option<Nat> {
        let x = num::from_be(c, self.n.len())?;
        num::cmp_vartime(&x, &self.n).is_lt().then_some(x)
    }

    /// The recovered encoded message of a signature, `size()` bytes, or `None` when the
    /// signature has the wrong length or is not below n (RFC 8017 section 5.2.2 step 1).
    fn open(&self, sig: &[u8]) -> Option<Vec<u8>> {
        if sig.len() != self.size() {
            return None;
        }
        self.raw_public(sig)
    }

    /// RSASSA-PKCS1-v1_5 verification of `digest` (already hashed with `hash`).
    pub fn verify_pkcs1v15(&self, hash: Hash, digest: &[u8], sig: &[u8]) -> bool {
        let Some(em) = self.open(sig) else {
            return false;
        };
        let Ok(expected) = pkcs1v15_encode(hash, digest, self.size()) else {
            return false;
        };
        subtle::ConstantTimeEq::ct_eq(&em[..], &expected[..]).into()
    }

    /// RSASSA-PSS verification (MGF1 with the same hash, salt length = digest length, as
    /// RFC 7518 section 3.5 fixes for PS256/384/512).
    pub fn verify_pss(&self, hash: Hash, digest: &[u8], sig: &[u8]) -> bool {
        let Some(m) = self.open(sig) else {
            return false;
        };
        let em_bits = self.bits - 1;
        let em_len = em_bits.div_ceil(8);
        // m < 2^emBits must hold; with emLen = size - 1 the first byte must be zero.
        let (lead, em) = m.split_at(m.len() - em_len);
        if lead.iter().any(|&b| b != 0) {
            return false;
        }
        pss_verify(hash, digest, em, em_bits)
    }
}

/// EMSA-PKCS1-v1_5 (RFC 8017 section 9.2) into `k` bytes.
fn pkcs1v15_encode(hash: Hash, digest: &[u8], k: usize) -> RsaResult<Vec<u8>> {
    if digest.len() != hash.output_len() {
        return Err("the digest has the wrong length for its hash".into());
    }
    let prefix = hash.digest_info_prefix();
    let t_len = prefix.len() + digest.len();
    if k < t_len + 11 {
        return Err("the RSA key is too short for this hash".into());
    }
    let mut em = vec![0xffu8; k];
    em[0] = 0;
    em[1] = 1;
    em[k - t_len - 1] = 0;
    em[k - t_len..k - digest.len()].copy_from_slice(prefix);
    em[k - digest.len()..].copy_from_slice(digest);
    Ok(em)
}

/// MGF1 (RFC 8017 appendix B.2.1), XORed into `out`.
fn mgf1_xor(hash: Hash, seed: &[u8], out: &mut [u8]) {
    for (counter, chunk) in out.chunks_mut(hash.output_len()).enumerate() {
        let c = (counter as u32).to_be_bytes();
        let block = hash.digest(&[seed, &c]);
        for (o, b) in chunk.iter_mut().zip(block) {
            *o ^= b;
        }
    }
}

/// EMSA-PSS-ENCODE (RFC 8017 section 9.1.1) with a salt as long as the digest.
fn pss_encode(hash: Hash, digest: &[u8], em_bits: usize, salt: &[u8]) -> RsaResult<Vec<u8>> {
    let h_len = hash.output_len();
    let em_len = em_bits.div_ceil(8);
    if digest.len() != h_len {
        return Err("the digest has the wrong length for its hash".into());
    }
    if em_len < h_len + salt.len() + 2 {
        return Err("the RSA key is too short for PSS with this hash".into());
    }
    let h = hash.digest(&[&[0u8; 8], digest, salt]);
    let db_len = em_len - h_len - 1;
    let mut em = vec![0u8; em_len];
    em[db_len - salt.len() - 1] = 1;
    em[db_len - salt.len()..db_len].copy_from_slice(salt);
    mgf1_xor(hash, &h, &mut em[..db_len]);
    em[0] &= 0xff >> (8 * em_len - em_bits);
    em[db_len..em_len - 1].copy_from_slice(&h);
    em[em_len - 1] = 0xbc;
    Ok(em)
}

/// EMSA-PSS-VERIFY (RFC 8017 section 9.1.2), salt length = digest length.
fn pss_verify(hash: Hash, digest: &[u8], em: &[u8], em_bits: usize) -> bool {
    let h_len = hash.output_len();
    let s_len = h_len;
    let em_len = em.len();
    if digest.len() != h_len || em_len < h_len + s_len + 2 || em[em_len - 1] != 0xbc {
        return false;
    }
    let db_len = em_len - h_len - 1;
    let top_mask = 0xffu8 >> (8 * em_len - em_bits);
    if em[0] & !top_mask != 0 {
        return false;
    }
    let h = &em[db_len..em_len - 1];
    let mut db = em[..db_len].to_vec();
    mgf1_xor(hash, h, &mut db);
    db[0] &= top_mask;
    let ps_len = db_len - s_len - 1;
    if db[..ps_len].iter().any(|&b| b != 0) || db[ps_len] != 1 {
        return false;
    }
    let salt = &db[ps_len + 1..];
    let h2 = hash.digest(&[&[0u8; 8], digest, salt]);
    subtle::ConstantTimeEq::ct_eq(h, &h2[..]).into()
}

/// The CRT form of a private key.
#[derive(Clone)]
struct Crt {
    p: Nat,
    q: Nat,
    dp: Nat,
    dq: Nat,
    qinv: Nat,
    mp: Mont,
    mq: Mont,
}

/// An RSA private key: the public key, d, and (normally) p, q and the CRT values.
#[derive(Clone)]
pub struct PrivateKey {
    public: PublicKey,
    d: Nat,
    crt: Option<Crt>,
}

impl core::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "PrivateKey({} bits, e = {}, {})",
            self.public.bits,
            self.public.e,
            if self.crt.is_some() { "CRT" } else { "no CRT" }
        )
    }
}

/// Big-endian components of a private key as a file or JWK holds them.
#[derive(Default)]
pub struct PrivateParts<'a> {
    /// Modulus.
    pub n: &'a [u8],
    /// Public exponent.
    pub e: &'a [u8],
    /// Private exponent.
    pub d: &'a [u8],
    /// First prime (with `q`), optional.
    pub p: Option<&'a [u8]>,
    /// Second prime.
    pub q: Option<&'a [u8]>,
    /// q^-1 mod p, optional (computed when absent).
    pub qinv: Option<&'a [u8]>,
}

fn odd_prime_nat(be: &[u8], name: &str) -> RsaResult<(Nat, Mont)> {
    let x = num::from_be(be, be.len().div_ceil(4).max(1)).ok_or("cannot happen")?;
    let bits = num::bits_vartime(&x);
    let x = num::resized(&x, bits.div_ceil(32).max(1));
    match Mont::new(&x) {
        Some(m) if bits >= 64 => Ok((x, m)),
        _ => Err(format!(
            "the prime {name} is even or too small, so the key is damaged"
        )),
    }
}

impl PrivateKey {
    /// A private key from its components, validated: the public part as in
    /// [`PublicKey::new`], 0 < d < n, and with primes: p·q = n, e·d = 1 modulo p-1 and q-1,
    /// and qInv·q = 1 mod p. dp and dq are always recomputed from d; qInv is checked when
    /// given and computed (q^(p-2) mod p) when not.
    pub fn from_parts(parts: &PrivateParts<'_>) -> RsaResult<PrivateKey> {
        let public = PublicKey::new(parts.n, parts.e)?;
        let k = public.n.len();
        let d = num::from_be(parts.d, k)
            .filter(|d| num::ct_lt(d, &public.n))
            .ok_or("the private exponent d is not below the modulus n")?;
        if num::ct_eq(&d, &Nat::zero(k)) {
            return Err("the private exponent d is zero".into());
        }
        let crt = match (parts.p, parts.q) {
            (Some(p), Some(q)) => Some(Self::crt(&public, &d, p, q, parts.qinv)?),
            (None, None) => None,
            _ => return Err("the key has one prime but not the other".into()),
        };
        Ok(PrivateKey { public, d, crt })
    }

    fn crt(
        public: &PublicKey,
        d: &[u32],
        p_be: &[u8],
        q_be: &[u8],
        qinv_be: Option<&[u8]>,
    ) -> RsaResult<Crt> {
        let (p, mp) = odd_prime_nat(p_be, "p")?;
        let (q, mq) = odd_prime_nat(q_be, "q")?;
        let pq = num::mul(&p, &q);
        let pq_n = num::resized(&pq, public.n.len());
        if num::bits_vartime(&pq) != public.bits || !num::ct_eq(&pq_n, &public.n) {
            return Err("the primes p and q do not multiply to the modulus n".into());
        }
        let e = [public.e as u32, (public.e >> 32) as u32];
        let exponent = |prime: &Nat| -> RsaResult<Nat> {
            let mut pm1 = prime.clone();
            pm1[0] ^= 1; // p is odd: p - 1
            let dx = num::ct_rem(d, &pm1);
            let check = num::ct_rem(&num::mul(&dx, &e), &pm1);
            let mut one = Nat::zero(pm1.len());
            one[0] = 1;
            if !num::ct_eq(&check, &one) {
                return Err(
                    "the private exponent d does not match e and the primes (e·d is not 1 \
                     modulo p-1 and q-1), so the key is damaged"
                        .into(),
                );
            }
            Ok(dx)
        };
        let dp = exponent(&p)?;
        let dq = exponent(&q)?;
        let kp = p.len();
        let qinv = match qinv_be {
            Some(b) => num::from_be(b, kp)
                .filter(|x| num::ct_lt(x, &p))
                .ok_or("the coefficient qInv is not below p, so the key is damaged")?,
            None => {
                // Fermat: q^(p-2) mod p, p prime.
                let mut pm2 = p.clone();
                num::sub_assign(&mut pm2, &[2]);
                mp.modpow_ct(&q, &pm2)
            }
        };
        // qInv · q = 1 (mod p): (q·R) · qInv / R.
        let check = mp.mul_new(&mp.to_mont(&q), &qinv);
        let mut one = Nat::zero(kp);
        one[0] = 1;
        if !num::ct_eq(&check, &one) {
            return Err(
                "the coefficient qInv is not the inverse of q modulo p, so the key is damaged"
                    .into(),
            );
        }
        Ok(Crt {
            p,
            q,
            dp,
            dq,
            qinv,
            mp,
            mq,
        })
    }

    /// The public half.
    pub fn as_public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The public half, owned.
    pub fn to_public_key(&self) -> PublicKey {
        self.public.clone()
    }

    /// The modulus size in bytes.
    pub fn size(&self) -> usize {
        self.public.size()
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.public.bits
    }

    /// Whether the key has its primes (and so signs with the CRT).
    pub fn has_primes(&self) -> bool {
        self.crt.is_some()
    }

    /// `c^d mod n` with the CRT when the primes are known, then checked with `s^e mod n = c`
    /// (a fault in the computation must not leak a prime through a wrong signature).
    fn private_op(&self, c: &[u32]) -> RsaResult<Nat> {
        let s = match &self.crt {
            Some(crt) => {
                let m1 = crt.mp.pow_ct(&crt.mp.to_mont(c), &crt.dp);
                let m2 = crt
                    .mq
                    .from_mont(&crt.mq.pow_ct(&crt.mq.to_mont(c), &crt.dq));
                // h = qInv · (m1 - m2) mod p, in Montgomery form until the last product.
                let mut diff = m1;
                crt.mp.sub(&mut diff, &crt.mp.to_mont(&m2));
                let h = crt.mp.mul_new(&diff, &crt.qinv);
                // s = m2 + h·q < q + (p-1)·q = n.
                let mut s = num::mul(&h, &crt.q);
                num::add_assign(&mut s, &m2);
                num::resized(&s, self.public.n.len())
            }
            None => self.public.mont.modpow_ct(c, &self.d),
        };
        let back = self.public.public_op(&s);
        if !num::ct_eq(&back, c) {
            return Err(
                "the RSA result failed its check (s^e mod n differs from the input): a \
                 computation fault, or a private key whose d does not belong to n and e; no \
                 signature was released"
                    .into(),
            );
        }
        Ok(s)
    }

    /// The raw private operation (RSASP1): `m^d mod n` for `m` below n, `size()` bytes.
    pub fn raw_private(&self, m: &[u8]) -> RsaResult<Vec<u8>> {
        let x = self
            .public
            .int_below_n(m)
            .ok_or("the value is not below the RSA modulus")?;
        let s = self.private_op(&x)?;
        Ok(num::to_be(&s, self.size()))
    }

    fn sign_em(&self, em: &[u8]) -> RsaResult<Vec<u8>> {
        let x = num::from_be(em, self.public.n.len()).ok_or("encoded message too long")?;
        let s = self.private_op(&x)?;
        Ok(num::to_be(&s, self.size()))
    }

    /// RSASSA-PKCS1-v1_5 signature of `digest` (already hashed with `hash`).
    pub fn sign_pkcs1v15(&self, hash: Hash, digest: &[u8]) -> RsaResult<Vec<u8>> {
        let em = pkcs1v15_encode(hash, digest, self.size())?;
        self.sign_em(&em)
    }

    /// RSASSA-PSS signature of `digest` with MGF1(hash) and a random salt as long as the
    /// digest.
    pub fn sign_pss(&self, hash: Hash, digest: &[u8]) -> RsaResult<Vec<u8>> {
        let mut salt = vec![0u8; hash.output_len()];
        getrandom::fill(&mut salt).map_err(|e| format!("no randomness for the PSS salt: {e}"))?;
        let em = pss_encode(hash, digest, self.public.bits - 1, &salt)?;
        self.sign_em(&em)
    }

    /// PKCS#1 RSAPrivateKey DER (RFC 8017 appendix A.1.2); `None` without the primes.
    pub fn to_pkcs1_der(&self) -> Option<Vec<u8>> {
        let crt = self.crt.as_ref()?;
        let mut body = Vec::new();
        der::push_uint(&mut body, &[0]);
        der::push_uint(&mut body, &self.public.n_bytes());
        der::push_uint(&mut body, &self.public.e_bytes());
        for x in [&self.d, &crt.p, &crt.q, &crt.dp, &crt.dq, &crt.qinv] {
            let mut b = num::to_be_trimmed_vartime(x);
            der::push_uint(&mut body, &b);
            num::wipe_bytes(&mut b);
        }
        let out = der::tlv(TAG_SEQUENCE, &body);
        num::wipe_bytes(&mut body);
        Some(out)
    }

    /// PKCS#8 PrivateKeyInfo DER (RFC 5208) around the PKCS#1 key; `None` without primes.
    pub fn to_pkcs8_der(&self) -> Option<Vec<u8>> {
        let mut pkcs1 = self.to_pkcs1_der()?;
        let mut body = Vec::new();
        der::push_uint(&mut body, &[0]);
        body.extend_from_slice(&der::rsa_algorithm_identifier());
        der::push_tlv(&mut body, TAG_OCTET_STRING, &pkcs1);
        num::wipe_bytes(&mut pkcs1);
        let out = der::tlv(TAG_SEQUENCE, &body);
        num::wipe_bytes(&mut body);
        Some(out)
    }

    /// Generates a key of `bits` bits (2048, 3072 or 4096; any multiple of 16 from 1024
    /// works) with e = 65537.
    pub fn generate(bits: usize) -> RsaResult<PrivateKey> {
        keygen::generate(bits)
    }
}

impl PublicKey {
    /// PKCS#1 RSAPublicKey DER (RFC 8017 appendix A.1.1).
    pub fn to_pkcs1_der(&self) -> Vec<u8> {
        let mut body = Vec::new();
        der::push_uint(&mut body, &self.n_bytes());
        der::push_uint(&mut body, &self.e_bytes());
        der::tlv(TAG_SEQUENCE, &body)
    }

    /// SubjectPublicKeyInfo DER (RFC 5280 section 4.1.2.7, RFC 3279 section 2.3.1).
    pub fn to_spki_der(&self) -> Vec<u8> {
        let mut bits = vec![0u8];
        bits.extend_from_slice(&self.to_pkcs1_der());
        let mut body = der::rsa_algorithm_identifier();
        der::push_tlv(&mut body, TAG_BIT_STRING, &bits);
        der::tlv(TAG_SEQUENCE, &body)
    }

    /// Reads PKCS#1 RSAPublicKey DER.
    pub fn from_pkcs1_der(der_bytes: &[u8]) -> RsaResult<PublicKey> {
        let mut r = Reader::new(der::outer(der_bytes, TAG_SEQUENCE, "RSAPublicKey")?);
        let n = r.uint("the modulus n")?;
        let e = r.uint("the public exponent e")?;
        r.finish("the public exponent")?;
        PublicKey::new(n, e)
    }

    /// Reads SubjectPublicKeyInfo DER holding an rsaEncryption key.
    pub fn from_spki_der(der_bytes: &[u8]) -> RsaResult<PublicKey> {
        let mut r = Reader::new(der::outer(der_bytes, TAG_SEQUENCE, "SubjectPublicKeyInfo")?);
        der::check_rsa_algorithm(r.expect(TAG_SEQUENCE, "the algorithm identifier")?)?;
        let bits = r.expect(TAG_BIT_STRING, "the public key BIT STRING")?;
        r.finish("the public key")?;
        match bits {
            [0, inner @ ..] => PublicKey::from_pkcs1_der(inner),
            _ => Err("the public key BIT STRING has unused bits".into()),
        }
    }
}

impl PrivateKey {
    /// Reads PKCS#1 RSAPrivateKey DER (two-prime, version 0).
    pub fn from_pkcs1_der(der_bytes: &[u8]) -> RsaResult<PrivateKey> {
        let mut r = Reader::new(der::outer(der_bytes, TAG_SEQUENCE, "RSAPrivateKey")?);
        match r.uint("the version")? {
            [] => {}
            [1] => {
                return Err(
                    "multi-prime RSA keys (RSAPrivateKey version 1) are not supported; use a \
                     two-prime key (openssl genpkey -algorithm RSA makes one)"
                        .into(),
                )
            }
            _ => return Err("the RSAPrivateKey version is not 0".into()),
        }
        let n = r.uint("the modulus n")?;
        let e = r.uint("the public exponent e")?;
        let d = r.uint("the private exponent d")?;
        let p = r.uint("the prime p")?;
        let q = r.uint("the prime q")?;
        let _dp = r.uint("the exponent dp")?;
        let _dq = r.uint("the exponent dq")?;
        let qinv = r.uint("the coefficient qInv")?;
        r.finish("the coefficient qInv")?;
        PrivateKey::from_parts(&PrivateParts {
            n,
            e,
            d,
            p: Some(p),
            q: Some(q),
            qinv: Some(qinv),
        })
    }

    /// Reads PKCS#8 PrivateKeyInfo DER (RFC 5208; RFC 5958 version 1 accepted) holding an
    /// rsaEncryption key.
    pub fn from_pkcs8_der(der_bytes: &[u8]) -> RsaResult<PrivateKey> {
        let mut r = Reader::new(der::outer(der_bytes, TAG_SEQUENCE, "PrivateKeyInfo")?);
        match r.uint("the version")? {
            [] | [1] => {}
            _ => return Err("the PrivateKeyInfo version is not 0 or 1".into()),
        }
        der::check_rsa_algorithm(r.expect(TAG_SEQUENCE, "the algorithm identifier")?)?;
        let inner = r.expect(TAG_OCTET_STRING, "the private key OCTET STRING")?;
        // Optional [0] attributes and [1] public key (RFC 5958) are skipped.
        while !r.is_empty() {
            match r.any("the optional attributes")? {
                (0xa0, _) | (0x80..=0xbf, _) => {}
                _ => return Err("unexpected data after the private key".into()),
            }
        }
        PrivateKey::from_pkcs1_der(inner)
    }
}

mod keygen {
    //! Key generation (FIPS 186-5 appendix A.1.3 in spirit: random probable primes).
    use super::num::{self, Mont, Nat};
    use super::{PrivateKey, PrivateParts, RsaResult};

    const E: u64 = 65537;

    /// Odd primes below 2048 for trial division.
    fn small_primes() -> Vec<u32> {
        const LIMIT: usize = 2048;
        let mut sieve = vec![true; LIMIT];
        let mut out = Vec::new();
        for i in 3..LIMIT {
            if sieve[i] {
                if i % 2 == 1 {
                    out.push(i as u32);
                }
                for j in (i * i..LIMIT).step_by(i) {
                    sieve[j] = false;
                }
            }
        }
        out
    }

    fn random_bytes(len: usize) -> RsaResult<Vec<u8>> {
        let mut b = vec![0u8; len];
        getrandom::fill(&mut b).map_err(|e| format!("no randomness for key generation: {e}"))?;
        Ok(b)
    }

    /// Miller–Rabin rounds with random bases, the same for every size. FIPS 186-5 table B.1
    /// gives the minimum per prime size; that 8 meets it for 1024- to 2048-bit primes is
    /// from memory, not re-checked against the table here.
    const MR_ROUNDS: usize = 8;

    fn miller_rabin(w: &Nat, mont: &Mont) -> RsaResult<bool> {
        let k = w.len();
        let mut wm1 = w.clone();
        wm1[0] ^= 1; // w odd
        let mut a = 0;
        while (wm1[a / 32] >> (a % 32)) & 1 == 0 {
            a += 1;
        }
        // m = (w - 1) >> a
        let mut m = Nat::zero(k);
        for i in 0..k * 32 - a {
            let src = i + a;
            if (wm1[src / 32] >> (src % 32)) & 1 == 1 {
                m[i / 32] |= 1 << (i % 32);
            }
        }
        let one = Nat(mont.one().to_vec());
        let mut minus_one = Nat(mont.modulus().to_vec());
        num::sub_assign(&mut minus_one, &one);
        let bits = num::bits_vartime(w);
        let mut t = mont.scratch();
        let mut tmp = Nat::zero(k);
        'rounds: for _ in 0..MR_ROUNDS {
            // A random base 1 < b < w - 1: bits - 1 random bits.
            let b = loop {
                let bytes = random_bytes(k * 4)?;
                let mut b = num::from_be(&bytes, k).ok_or("cannot happen")?;
                let top = bits - 1;
                for (i, limb) in b.iter_mut().enumerate() {
                    if i * 32 >= top {
                        *limb = 0;
                    } else if top - i * 32 < 32 {
                        *limb &= (1u32 << (top - i * 32)) - 1;
                    }
                }
                if num::bits_vartime(&b) > 1 {
                    break b;
                }
            };
            let mut z = mont.pow_ct(&mont.to_mont(&b), &m);
            if num::ct_eq(&z, &one) || num::ct_eq(&z, &minus_one) {
                continue;
            }
            for _ in 1..a {
                mont.mul(&mut tmp, &z, &z, &mut t);
                core::mem::swap(&mut z, &mut tmp);
                if num::ct_eq(&z, &minus_one) {
                    continue 'rounds;
                }
                if num::ct_eq(&z, &one) {
                    return Ok(false);
                }
            }
            return Ok(false);
        }
        Ok(true)
    }

    fn random_prime(bits: usize, primes: &[u32]) -> RsaResult<Nat> {
        let k = bits.div_ceil(32);
        'candidates: loop {
            let bytes = random_bytes(bits / 8)?;
            let mut w = num::from_be(&bytes, k).ok_or("cannot happen")?;
            // Top two bits set (so p·q has exactly 2·bits bits), odd.
            let top = bits - 1;
            w[top / 32] |= 1 << (top % 32);
            w[(top - 1) / 32] |= 1 << ((top - 1) % 32);
            w[0] |= 1;
            for &sp in primes {
                if num::rem_small(&w, sp) == 0 {
                    continue 'candidates;
                }
            }
            // gcd(e, w - 1) = 1 with e prime: w mod e != 1.
            if num::rem_small(&w, E as u32) == 1 {
                continue;
            }
            let mont = Mont::new(&w).ok_or("cannot happen")?;
            if miller_rabin(&w, &mont)? {
                return Ok(w);
            }
        }
    }

    /// x^-1 mod E for x not divisible by E (E prime: Fermat, fixed exponent).
    fn inv_mod_e(x: u64) -> u64 {
        let mut result = 1u64;
        let mut base = x % E;
        let mut exp = E - 2;
        while exp > 0 {
            let r = result * base % E;
            result = if exp & 1 == 1 { r } else { result };
            base = base * base % E;
            exp >>= 1;
        }
        result
    }

    /// (1 + k·m) / E with k = -m^-1 mod E: the inverse of E modulo m.
    fn inverse_of_e(m: &[u32]) -> Nat {
        let r = u64::from(num::rem_small(m, E as u32));
        let k = (E - inv_mod_e(r)) % E;
        let mut x = num::mul_small(m, k);
        num::add_assign(&mut x, &[1]);
        num::div_small(&x, E).0
    }

    pub(super) fn generate(bits: usize) -> RsaResult<PrivateKey> {
        if bits < 1024 || bits % 16 != 0 {
            return Err(format!("RSA key size {bits} is not supported"));
        }
        let half = bits / 2;
        let primes = small_primes();
        loop {
            let p = random_prime(half, &primes)?;
            let q = random_prime(half, &primes)?;
            // |p - q| > 2^(bits/2 - 100).
            let (big, small) = if num::cmp_vartime(&p, &q).is_gt() {
                (&p, &q)
            } else {
                (&q, &p)
            };
            let mut diff = big.clone();
            num::sub_assign(&mut diff, small);
            if num::bits_vartime(&diff) <= half - 100 {
                continue;
            }
            let n = num::mul(&p, &q);
            let mut pm1 = p.clone();
            pm1[0] ^= 1;
            let mut qm1 = q.clone();
            qm1[0] ^= 1;
            let phi = num::mul(&pm1, &qm1);
            let d = inverse_of_e(&phi);
            // FIPS 186-5: d > 2^(bits/2).
            if num::bits_vartime(&d) <= half {
                continue;
            }
            let mp = Mont::new(&p).ok_or("cannot happen")?;
            let mut pm2 = p.clone();
            num::sub_assign(&mut pm2, &[2]);
            let qinv = mp.modpow_ct(&q, &pm2);
            let len = bits / 8;
            let be = |x: &[u32]| num::to_be(x, len);
            let (n_b, d_b, p_b, q_b, qi_b) = (be(&n), be(&d), be(&p), be(&q), be(&qinv));
            let key = PrivateKey::from_parts(&PrivateParts {
                n: &n_b,
                e: &E.to_be_bytes(),
                d: &d_b,
                p: Some(&p_b),
                q: Some(&q_b),
                qinv: Some(&qi_b),
            });
            for mut b in [d_b, p_b, q_b, qi_b] {
                num::wipe_bytes(&mut b);
            }
            return key;
        }
    }
}
