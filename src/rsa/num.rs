//! Naturals as little-endian `u32` limb vectors (u64 intermediate products: wasm32 has no
//! 64×64→128 multiply), and Montgomery arithmetic modulo an odd number.
//!
//! Constant time here means: for inputs of a given length (limb count) and a given modulus,
//! the sequence of operations and memory accesses does not depend on the values. Functions
//! named `*_vartime` do depend on their values and are only used on public data (public
//! exponents, signatures being verified, lengths).

use core::hint::black_box;
use core::sync::atomic::{compiler_fence, Ordering};

/// A limb vector that is overwritten with zeros when dropped.
#[derive(Clone, Default)]
pub struct Nat(pub Vec<u32>);

impl Drop for Nat {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

impl core::ops::Deref for Nat {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        &self.0
    }
}

impl core::ops::DerefMut for Nat {
    fn deref_mut(&mut self) -> &mut [u32] {
        &mut self.0
    }
}

impl Nat {
    /// `limbs` zero limbs.
    pub fn zero(limbs: usize) -> Nat {
        Nat(vec![0; limbs])
    }
}

/// Overwrites `v` with zeros in a way the optimiser keeps (the slice escapes to `black_box`
/// after the stores; this crate forbids `unsafe`, so no `write_volatile`).
pub fn wipe(v: &mut [u32]) {
    for x in v.iter_mut() {
        *x = 0;
    }
    black_box(&mut *v);
    compiler_fence(Ordering::SeqCst);
}

/// Zeroes a byte buffer the same way.
pub fn wipe_bytes(v: &mut [u8]) {
    for x in v.iter_mut() {
        *x = 0;
    }
    black_box(&mut *v);
    compiler_fence(Ordering::SeqCst);
}

/// All ones when `a == b`, else zero, without a branch.
#[inline]
pub fn eq_mask(a: u32, b: u32) -> u32 {
    let x = a ^ b;
    ((x | x.wrapping_neg()) >> 31).wrapping_sub(1)
}

/// Big-endian bytes into `limbs` limbs; `None` when the value does not fit.
pub fn from_be(bytes: &[u8], limbs: usize) -> Option<Nat> {
    let mut out = Nat::zero(limbs);
    for (i, &b) in bytes.iter().rev().enumerate() {
        let l = i / 4;
        if l >= limbs {
            if b != 0 {
                return None;
            }
            continue;
        }
        out[l] |= u32::from(b) << (8 * (i % 4));
    }
    Some(out)
}

/// The low `len` bytes of `x`, big-endian.
pub fn to_be(x: &[u32], len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    for i in 0..len {
        let l = i / 4;
        if l < x.len() {
            out[len - 1 - i] = (x[l] >> (8 * (i % 4))) as u8;
        }
    }
    out
}

/// Big-endian bytes without leading zeros (one zero byte for zero).
pub fn to_be_trimmed_vartime(x: &[u32]) -> Vec<u8> {
    let len = bits_vartime(x).div_ceil(8).max(1);
    to_be(x, len)
}

/// The number of significant bits.
pub fn bits_vartime(x: &[u32]) -> usize {
    for i in (0..x.len()).rev() {
        if x[i] != 0 {
            return 32 * i + 32 - x[i].leading_zeros() as usize;
        }
    }
    0
}

/// `x` with exactly `limbs` limbs (dropping limbs above, which the caller knows are zero).
pub fn resized(x: &[u32], limbs: usize) -> Nat {
    let mut out = Nat::zero(limbs);
    let n = limbs.min(x.len());
    out[..n].copy_from_slice(&x[..n]);
    out
}

/// `a += b` (b no longer than a); returns the carry out of `a`.
pub fn add_assign(a: &mut [u32], b: &[u32]) -> u32 {
    let mut carry = 0u64;
    for (i, x) in a.iter_mut().enumerate() {
        let s = u64::from(*x) + u64::from(b.get(i).copied().unwrap_or(0)) + carry;
        *x = s as u32;
        carry = s >> 32;
    }
    carry as u32
}

/// `a -= b` (b no longer than a); returns the borrow (1 when b > a).
pub fn sub_assign(a: &mut [u32], b: &[u32]) -> u32 {
    let mut borrow = 0u64;
    for (i, x) in a.iter_mut().enumerate() {
        let d = u64::from(*x)
            .wrapping_sub(u64::from(b.get(i).copied().unwrap_or(0)))
            .wrapping_sub(borrow);
        *x = d as u32;
        borrow = (d >> 63) & 1;
    }
    borrow as u32
}

/// `out = if mask { a } else { out }` limb by limb, mask all ones or zero.
#[inline]
pub fn select_assign(out: &mut [u32], a: &[u32], mask: u32) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = (x & mask) | (*o & !mask);
    }
}

/// Constant-time equality of two equally long limb vectors.
pub fn ct_eq(a: &[u32], b: &[u32]) -> bool {
    let mut acc = (a.len() ^ b.len()) as u32;
    for (x, y) in a.iter().zip(b) {
        acc |= x ^ y;
    }
    black_box(acc) == 0
}

/// Constant-time `a < b` for equally long vectors (the borrow of `a - b`).
pub fn ct_lt(a: &[u32], b: &[u32]) -> bool {
    let mut borrow = 0u64;
    for (&x, &y) in a.iter().zip(b) {
        let d = u64::from(x).wrapping_sub(u64::from(y)).wrapping_sub(borrow);
        borrow = (d >> 63) & 1;
    }
    black_box(borrow) == 1
}

/// Compares two naturals of any lengths (variable time).
pub fn cmp_vartime(a: &[u32], b: &[u32]) -> core::cmp::Ordering {
    let n = a.len().max(b.len());
    for i in (0..n).rev() {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        if x != y {
            return x.cmp(&y);
        }
    }
    core::cmp::Ordering::Equal
}

/// The full product, `a.len() + b.len()` limbs (schoolbook; constant time for the lengths).
pub fn mul(a: &[u32], b: &[u32]) -> Nat {
    let mut out = Nat::zero(a.len() + b.len());
    for (i, &bi) in b.iter().enumerate() {
        let mut carry = 0u64;
        for (j, &aj) in a.iter().enumerate() {
            let s = u64::from(out[i + j]) + u64::from(aj) * u64::from(bi) + carry;
            out[i + j] = s as u32;
            carry = s >> 32;
        }
        out[i + a.len()] = carry as u32;
    }
    out
}

/// `x mod m` for any nonzero `m` (even ones too), bit by bit, constant time for the lengths
/// of `x` and `m`. Result has `m.len()` limbs. Used at key load and generation, not per sign.
pub fn ct_rem(x: &[u32], m: &[u32]) -> Nat {
    let k = m.len();
    let mut r = Nat::zero(k);
    let mut t = Nat::zero(k);
    for i in (0..x.len() * 32).rev() {
        let bit = (x[i / 32] >> (i % 32)) & 1;
        // r = 2r + bit (r < m, so 2r + 1 < 2m: at most one carry bit).
        let mut carry = bit;
        for limb in r.iter_mut() {
            let top = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = top;
        }
        t.copy_from_slice(&r);
        let borrow = sub_assign(&mut t, m);
        let take = (carry | (borrow ^ 1)).wrapping_neg();
        select_assign(&mut r, &t, take);
    }
    r
}

/// `x mod d` for a small public divisor (variable time in nothing but the length).
pub fn rem_small(x: &[u32], d: u32) -> u32 {
    let d = u64::from(d);
    let mut r = 0u64;
    for &limb in x.iter().rev() {
        r = ((r << 32) | u64::from(limb)) % d;
    }
    r as u32
}

/// `x / d` and `x mod d` for a divisor below 2^33 (the largest public exponent accepted).
pub fn div_small(x: &[u32], d: u64) -> (Nat, u64) {
    // r < d < 2^33, so (r << 32) | limb < 2^65 would overflow u64; use u128 (only at key
    // generation and load, never per signature).
    let d = u128::from(d);
    let mut q = Nat::zero(x.len());
    let mut r = 0u128;
    for i in (0..x.len()).rev() {
        let cur = (r << 32) | u128::from(x[i]);
        q[i] = (cur / d) as u32;
        r = cur % d;
    }
    (q, r as u64)
}

/// `x * s` for a small factor, `x.len() + 2` limbs.
pub fn mul_small(x: &[u32], s: u64) -> Nat {
    mul(x, &[s as u32, (s >> 32) as u32])
}

/// A u64 as limbs.
pub fn from_u64(v: u64, limbs: usize) -> Nat {
    let mut out = Nat::zero(limbs.max(2));
    out[0] = v as u32;
    out[1] = (v >> 32) as u32;
    out
}

/// Montgomery arithmetic modulo an odd `m > 1`, R = 2^(32k) with k the limb count of `m`.
#[derive(Clone)]
pub struct Mont {
    m: Nat,
    /// -m^-1 mod 2^32.
    n0: u32,
    /// R mod m: the Montgomery form of 1.
    one: Nat,
    /// R^2 mod m.
    r2: Nat,
}

impl core::fmt::Debug for Mont {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Mont({} bits)", bits_vartime(&self.m))
    }
}

impl Mont {
    /// Parameters for modulus `m` (odd, > 1). Only the bit length of `m` decides the
    /// sequence of operations, so this is fine for secret primes.
    pub fn new(m: &[u32]) -> Option<Mont> {
        let bits = bits_vartime(m);
        if bits < 2 || m[0] & 1 == 0 {
            return None;
        }
        let k = bits.div_ceil(32);
        let m = resized(m, k);
        // Newton: 3 correct bits (odd m0: m0 * m0 = 1 mod 8), doubling each step.
        let m0 = m[0];
        let mut inv = m0;
        for _ in 0..4 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(m0.wrapping_mul(inv)));
        }
        let mut mont = Mont {
            n0: inv.wrapping_neg(),
            one: Nat::zero(k),
            r2: Nat::zero(k),
            m,
        };
        // R mod m: 2^(bits-1) < m, then double (32k - bits + 1) times modulo m.
        let mut x = Nat::zero(k);
        x[(bits - 1) / 32] = 1 << ((bits - 1) % 32);
        for _ in 0..(32 * k - bits + 1) {
            mont.double(&mut x);
        }
        mont.one = x.clone();
        // R^2 mod m = Montgomery form of 2^(32k): square-and-double over the bits of 32k
        // (a public number), starting from the Montgomery form of 1.
        let e = 32 * k;
        let mut t = Nat::zero(k + 2);
        let mut y = Nat::zero(k);
        for i in (0..usize::BITS as usize - e.leading_zeros() as usize).rev() {
            mont.mul(&mut y, &x, &x, &mut t);
            core::mem::swap(&mut x, &mut y);
            if (e >> i) & 1 == 1 {
                mont.double(&mut x);
            }
        }
        mont.r2 = x;
        Some(mont)
    }

    /// The limb count k.
    pub fn limbs(&self) -> usize {
        self.m.len()
    }

    /// The modulus, k limbs.
    pub fn modulus(&self) -> &[u32] {
        &self.m
    }

    /// The Montgomery form of 1 (R mod m).
    pub fn one(&self) -> &[u32] {
        &self.one
    }

    /// A scratch buffer for [`Mont::mul`].
    pub fn scratch(&self) -> Nat {
        Nat::zero(self.limbs() + 2)
    }

    /// `x = 2x mod m` for `x < m`, constant time.
    fn double(&self, x: &mut [u32]) {
        let mut carry = 0u32;
        for limb in x.iter_mut() {
            let top = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = top;
        }
        let mut t = Nat(x.to_vec());
        let borrow = sub_assign(&mut t, &self.m);
        select_assign(x, &t, (carry | (borrow ^ 1)).wrapping_neg());
    }

    /// `a = a + b mod m` for `a, b < m`, constant time.
    pub fn add(&self, a: &mut [u32], b: &[u32]) {
        let carry = add_assign(a, b);
        let mut t = Nat(a.to_vec());
        let borrow = sub_assign(&mut t, &self.m);
        select_assign(a, &t, (carry | (borrow ^ 1)).wrapping_neg());
    }

    /// `a = a - b mod m` for `a, b < m`, constant time.
    pub fn sub(&self, a: &mut [u32], b: &[u32]) {
        let borrow = sub_assign(a, b);
        let mask = borrow.wrapping_neg();
        let mut carry = 0u64;
        for (x, &mj) in a.iter_mut().zip(self.m.iter()) {
            let s = u64::from(*x) + u64::from(mj & mask) + carry;
            *x = s as u32;
            carry = s >> 32;
        }
    }

    /// `out = a * b / R mod m` (CIOS with the multiplication and reduction passes fused),
    /// for `a < R`, `b < m`; `t` is scratch of k + 2 limbs. The final subtraction is
    /// masked, never branched on.
    pub fn mul(&self, out: &mut [u32], a: &[u32], b: &[u32], t: &mut [u32]) {
        let m = &self.m[..];
        let k = m.len();
        let n0 = self.n0;
        let (a, b, t, out) = (&a[..k], &b[..k], &mut t[..k + 1], &mut out[..k]);
        t.fill(0);
        // Two rows (b[i], b[i+1]) per pass over t: the second row trails the first by one
        // column, so each limb of t, a and m is loaded and stored once per pair.
        let mut i = 0;
        while i + 1 < k {
            let (b0, b1) = (u64::from(b[i]), u64::from(b[i + 1]));
            // Row i, columns 0 and 1.
            let c1 = u64::from(t[0]) + u64::from(a[0]) * b0;
            let mm0 = u64::from((c1 as u32).wrapping_mul(n0));
            let c2 = u64::from(c1 as u32) + mm0 * u64::from(m[0]);
            let (mut r0c1, mut r0c2) = (c1 >> 32, c2 >> 32);
            let c1 = u64::from(t[1]) + u64::from(a[1]) * b0 + r0c1;
            r0c1 = c1 >> 32;
            let c2 = u64::from(c1 as u32) + mm0 * u64::from(m[1]) + r0c2;
            r0c2 = c2 >> 32;
            // Row i+1, column 0, on row i's first output limb.
            let d1 = u64::from(c2 as u32) + u64::from(a[0]) * b1;
            let mm1 = u64::from((d1 as u32).wrapping_mul(n0));
            let d2 = u64::from(d1 as u32) + mm1 * u64::from(m[0]);
            let (mut r1c1, mut r1c2) = (d1 >> 32, d2 >> 32);
            let (mut a_prev, mut m_prev) = (u64::from(a[1]), u64::from(m[1]));
            for j in 2..k {
                let (aj, mj) = (u64::from(a[j]), u64::from(m[j]));
                let c1 = u64::from(t[j]) + aj * b0 + r0c1;
                r0c1 = c1 >> 32;
                let c2 = u64::from(c1 as u32) + mm0 * mj + r0c2;
                r0c2 = c2 >> 32;
                let d1 = u64::from(c2 as u32) + a_prev * b1 + r1c1;
                r1c1 = d1 >> 32;
                let d2 = u64::from(d1 as u32) + mm1 * m_prev + r1c2;
                r1c2 = d2 >> 32;
                t[j - 2] = d2 as u32;
                a_prev = aj;
                m_prev = mj;
            }
            // Row i's top limbs, then row i+1's last column and top.
            let s = u64::from(t[k]) + r0c1 + r0c2;
            let d1 = u64::from(s as u32) + a_prev * b1 + r1c1;
            r1c1 = d1 >> 32;
            let d2 = u64::from(d1 as u32) + mm1 * m_prev + r1c2;
            r1c2 = d2 >> 32;
            t[k - 2] = d2 as u32;
            let s = (s >> 32) + r1c1 + r1c2;
            t[k - 1] = s as u32;
            t[k] = (s >> 32) as u32;
            i += 2;
        }
        if i < k {
            // The last row when k is odd.
            let bi = u64::from(b[i]);
            let c1 = u64::from(t[0]) + u64::from(a[0]) * bi;
            let mm = u64::from((c1 as u32).wrapping_mul(n0));
            let c2 = (c1 & 0xffff_ffff) + mm * u64::from(m[0]);
            let mut carry1 = c1 >> 32;
            let mut carry2 = c2 >> 32;
            for j in 1..k {
                let c1 = u64::from(t[j]) + u64::from(a[j]) * bi + carry1;
                carry1 = c1 >> 32;
                let c2 = (c1 & 0xffff_ffff) + mm * u64::from(m[j]) + carry2;
                carry2 = c2 >> 32;
                t[j - 1] = c2 as u32;
            }
            let s = u64::from(t[k]) + carry1 + carry2;
            t[k - 1] = s as u32;
            t[k] = (s >> 32) as u32;
        }
        // t < 2m: subtract m once if t >= m.
        let mut borrow = 0u64;
        for j in 0..k {
            let d = u64::from(t[j])
                .wrapping_sub(u64::from(m[j]))
                .wrapping_sub(borrow);
            out[j] = d as u32;
            borrow = (d >> 63) & 1;
        }
        let take = (t[k] | (borrow as u32 ^ 1)).wrapping_neg();
        for j in 0..k {
            out[j] = (out[j] & take) | (t[j] & !take);
        }
    }

    /// `a * b / R mod m` into a new vector.
    pub fn mul_new(&self, a: &[u32], b: &[u32]) -> Nat {
        let mut out = Nat::zero(self.limbs());
        let mut t = self.scratch();
        self.mul(&mut out, a, b, &mut t);
        out
    }

    /// The Montgomery form of `x mod m` for any `x` (any length), constant time for the
    /// length of `x`: Horner over k-limb chunks, each chunk c_i < R turned into c_i·R by one
    /// multiplication with R^2.
    pub fn to_mont(&self, x: &[u32]) -> Nat {
        let k = self.limbs();
        let mut acc = Nat::zero(k);
        let mut tmp = Nat::zero(k);
        let mut t = self.scratch();
        let chunks = x.len().div_ceil(k).max(1);
        let mut chunk = Nat::zero(k);
        for c in (0..chunks).rev() {
            // acc = acc * R (in Montgomery form: acc·R^2/R).
            self.mul(&mut tmp, &acc, &self.r2, &mut t);
            for (j, limb) in chunk.iter_mut().enumerate() {
                *limb = x.get(c * k + j).copied().unwrap_or(0);
            }
            self.mul(&mut acc, &chunk, &self.r2, &mut t);
            self.add(&mut acc, &tmp);
        }
        acc
    }

    /// The plain value of a Montgomery form.
    pub fn from_mont(&self, x: &[u32]) -> Nat {
        let mut unit = Nat::zero(self.limbs());
        unit[0] = 1;
        // mul needs b < m; with a = x < m and b = 1 (< m as m > 1).
        self.mul_new(x, &unit)
    }

    /// `base^exp` in Montgomery form (base in Montgomery form), constant time: a fixed 4-bit
    /// window over all `32 * exp.len()` exponent bits, every table entry read for every
    /// window and the wanted one kept by mask.
    pub fn pow_ct(&self, base: &[u32], exp: &[u32]) -> Nat {
        const W: usize = 4;
        const ENTRIES: usize = 1 << W;
        let k = self.limbs();
        let mut t = self.scratch();
        let mut table = Nat::zero(ENTRIES * k);
        table[..k].copy_from_slice(&self.one);
        table[k..2 * k].copy_from_slice(&base[..k]);
        for i in 2..ENTRIES {
            let (done, rest) = table.split_at_mut(i * k);
            self.mul(&mut rest[..k], &done[(i - 1) * k..], base, &mut t);
        }
        let mut acc = Nat(self.one.to_vec());
        let mut tmp = Nat::zero(k);
        let mut sel = Nat::zero(k);
        let windows = exp.len() * 32 / W;
        for w in (0..windows).rev() {
            if w + 1 != windows {
                for _ in 0..W {
                    self.mul(&mut tmp, &acc, &acc, &mut t);
                    core::mem::swap(&mut acc, &mut tmp);
                }
            }
            let idx = (exp[w * W / 32] >> ((w * W) % 32)) & (ENTRIES as u32 - 1);
            sel.fill(0);
            for (i, entry) in table.chunks_exact(k).enumerate() {
                let mask = eq_mask(i as u32, idx);
                for (s, &e) in sel.iter_mut().zip(entry) {
                    *s |= e & mask;
                }
            }
            self.mul(&mut tmp, &acc, &sel, &mut t);
            core::mem::swap(&mut acc, &mut tmp);
        }
        acc
    }

    /// `base^exp` in Montgomery form for a public exponent (left-to-right binary, variable
    /// time in the exponent).
    pub fn pow_vartime(&self, base: &[u32], exp: &[u32]) -> Nat {
        let k = self.limbs();
        let mut t = self.scratch();
        let mut acc = Nat(self.one.to_vec());
        let mut tmp = Nat::zero(k);
        for i in (0..bits_vartime(exp)).rev() {
            self.mul(&mut tmp, &acc, &acc, &mut t);
            core::mem::swap(&mut acc, &mut tmp);
            if (exp[i / 32] >> (i % 32)) & 1 == 1 {
                self.mul(&mut tmp, &acc, base, &mut t);
                core::mem::swap(&mut acc, &mut tmp);
            }
        }
        acc
    }

    /// `x^exp mod m` for plain `x` (any length) and a secret exponent.
    pub fn modpow_ct(&self, x: &[u32], exp: &[u32]) -> Nat {
        let b = self.to_mont(x);
        self.from_mont(&self.pow_ct(&b, exp))
    }

    /// `x^exp mod m` for plain `x` (any length) and a public exponent.
    pub fn modpow_vartime(&self, x: &[u32], exp: &[u32]) -> Nat {
        let b = self.to_mont(x);
        self.from_mont(&self.pow_vartime(&b, exp))
    }
}
