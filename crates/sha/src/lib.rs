//! SHA-1, SHA-256, SHA-384 and SHA-512 (FIPS 180-4), and HMAC over them (RFC 2104): the
//! only hash code of atlassian-sign.
//!
//! Written for wasm: each compression function is unrolled over local variables (which wasm
//! keeps in locals and V8 in registers), the message schedule is a rolling 16-word window, the
//! round constants are immediates, and words are read with `from_be_bytes` from fixed-size
//! arrays, so the rounds have no bounds checks or memory traffic beyond the block itself.
//! One type, [`Hasher`], serves all four algorithms (a `match` per call, not per block), so
//! the buffering, padding and HMAC code exist once in the module.
//!
//! A crate of its own so that it alone is built at `opt-level = 3` (the root Cargo.toml's
//! release profile); the rest of atlassian-sign stays at `s`.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

/// A hash algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// SHA-1 (OAuth 1.0a HMAC-SHA1 and RSA-SHA1, trusted apps).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Algorithm {
    /// The digest length in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            Algorithm::Sha1 => 20,
            Algorithm::Sha256 => 32,
            Algorithm::Sha384 => 48,
            Algorithm::Sha512 => 64,
        }
    }

    /// The block length in bytes (what HMAC pads the key to).
    pub const fn block_len(self) -> usize {
        match self {
            Algorithm::Sha1 | Algorithm::Sha256 => 64,
            Algorithm::Sha384 | Algorithm::Sha512 => 128,
        }
    }
}

/// A digest or MAC tag (up to 64 bytes); read it with [`Output::as_slice`].
#[derive(Clone)]
pub struct Output {
    bytes: [u8; 64],
    len: usize,
}

impl Output {
    /// The digest bytes.
    pub fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl AsRef<[u8]> for Output {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

/// The hash of `data` with `alg`.
pub fn digest(alg: Algorithm, data: &[u8]) -> Output {
    let mut h = Hasher::new(alg);
    h.update(data);
    h.finalize()
}

/// An incremental hash: [`Hasher::update`] any number of times, then [`Hasher::finalize`].
#[derive(Clone)]
pub struct Hasher(State);

#[derive(Clone)]
enum State {
    Sha1(Engine<[u32; 5], 64>),
    Sha256(Engine<[u32; 8], 64>),
    /// SHA-384 and SHA-512 share the compression; the output length tells them apart.
    Sha512(Engine<[u64; 8], 128>, usize),
}

impl Hasher {
    /// A hash of nothing yet.
    pub fn new(alg: Algorithm) -> Hasher {
        Hasher(match alg {
            Algorithm::Sha1 => State::Sha1(Engine::new(SHA1_IV)),
            Algorithm::Sha256 => State::Sha256(Engine::new(SHA256_IV)),
            Algorithm::Sha384 => State::Sha512(Engine::new(SHA384_IV), 48),
            Algorithm::Sha512 => State::Sha512(Engine::new(SHA512_IV), 64),
        })
    }

    /// Appends `data` to the message.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            State::Sha1(e) => e.update(data),
            State::Sha256(e) => e.update(data),
            State::Sha512(e, _) => e.update(data),
        }
    }

    /// The digest of everything passed to [`Hasher::update`].
    pub fn finalize(self) -> Output {
        let mut out = Output {
            bytes: [0; 64],
            len: 0,
        };
        match self.0 {
            State::Sha1(e) => {
                out.len = 20;
                for (o, w) in out.bytes.chunks_exact_mut(4).zip(e.finish()) {
                    o.copy_from_slice(&w.to_be_bytes());
                }
            }
            State::Sha256(e) => {
                out.len = 32;
                for (o, w) in out.bytes.chunks_exact_mut(4).zip(e.finish()) {
                    o.copy_from_slice(&w.to_be_bytes());
                }
            }
            State::Sha512(e, len) => {
                out.len = len;
                for (o, w) in out.bytes.chunks_exact_mut(8).zip(e.finish()) {
                    o.copy_from_slice(&w.to_be_bytes());
                }
            }
        }
        out
    }
}

/// A compression function over a chaining state `Self` and `B`-byte blocks.
trait Compress<const B: usize>: Copy {
    fn compress(&mut self, block: &[u8; B]);
}

/// Buffering and Merkle-Damgard padding around a compression function.
#[derive(Clone)]
struct Engine<S, const B: usize> {
    state: S,
    buf: [u8; B],
    /// Bytes waiting in `buf` (always below `B`).
    fill: usize,
    /// Message length in bytes (mod 2^64; the 2^61-byte limit of SHA-1/256 is far away).
    len: u64,
}

impl<S: Compress<B>, const B: usize> Engine<S, B> {
    fn new(state: S) -> Self {
        Engine {
            state,
            buf: [0; B],
            fill: 0,
            len: 0,
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        self.len = self.len.wrapping_add(data.len() as u64);
        if self.fill > 0 {
            let room = B - self.fill;
            if data.len() < room {
                if let Some(dst) = self.buf.get_mut(self.fill..self.fill + data.len()) {
                    dst.copy_from_slice(data);
                }
                self.fill += data.len();
                return;
            }
            let (head, rest) = data.split_at(room);
            if let Some(dst) = self.buf.get_mut(self.fill..) {
                dst.copy_from_slice(head);
            }
            self.state.compress(&self.buf);
            self.fill = 0;
            data = rest;
        }
        let mut blocks = data.chunks_exact(B);
        for block in &mut blocks {
            if let Ok(block) = block.try_into() {
                self.state.compress(block);
            }
        }
        let rest = blocks.remainder();
        if let Some(dst) = self.buf.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.fill = rest.len();
    }

    /// Pads (0x80, zeros, the bit length big-endian in the last 8 or 16 bytes) and returns
    /// the final chaining state.
    fn finish(mut self) -> S {
        let fill = self.fill;
        let len_bytes = B / 8;
        if let Some(tail) = self.buf.get_mut(fill..) {
            tail.fill(0);
            if let Some(b) = tail.first_mut() {
                *b = 0x80;
            }
        }
        if fill + 1 > B - len_bytes {
            self.state.compress(&self.buf);
            self.buf = [0; B];
        }
        if let Some(dst) = self.buf.get_mut(B - 8..) {
            dst.copy_from_slice(&(self.len << 3).to_be_bytes());
        }
        if B == 128 {
            // The high half of SHA-512's 128-bit length.
            if let Some(dst) = self.buf.get_mut(B - 16..B - 8) {
                dst.copy_from_slice(&(self.len >> 61).to_be_bytes());
            }
        }
        self.state.compress(&self.buf);
        self.state
    }
}

/// HMAC (RFC 2104) keyed with a key; [`Clone`] it to reuse the keyed state (inner and outer
/// pads already hashed) for another message.
#[derive(Clone)]
pub struct Hmac {
    inner: Hasher,
    outer: Hasher,
}

impl Hmac {
    /// HMAC with `alg` keyed with `key` (any length; keys longer than a block are hashed).
    pub fn new(alg: Algorithm, key: &[u8]) -> Hmac {
        let block = alg.block_len();
        let mut k = [0u8; 128];
        if key.len() > block {
            let d = digest(alg, key);
            if let Some(dst) = k.get_mut(..d.len) {
                dst.copy_from_slice(d.as_slice());
            }
        } else if let Some(dst) = k.get_mut(..key.len()) {
            dst.copy_from_slice(key);
        }
        let mut inner = Hasher::new(alg);
        let mut outer = Hasher::new(alg);
        let mut pad = [0u8; 128];
        for (p, x) in pad.iter_mut().zip(k) {
            *p = x ^ 0x36;
        }
        inner.update(pad.get(..block).unwrap_or(&[]));
        for (p, x) in pad.iter_mut().zip(k) {
            *p = x ^ 0x5c;
        }
        outer.update(pad.get(..block).unwrap_or(&[]));
        wipe(&mut k);
        wipe(&mut pad);
        Hmac { inner, outer }
    }

    /// Appends `data` to the message.
    pub fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    /// The tag of everything passed to [`Hmac::update`].
    pub fn finalize(self) -> Output {
        let inner = self.inner.finalize();
        let mut outer = self.outer;
        outer.update(inner.as_slice());
        outer.finalize()
    }

    /// Whether `tag` is the tag of the message, compared in constant time (a tag of another
    /// length does not match).
    pub fn verify(self, tag: &[u8]) -> bool {
        ct_eq(self.finalize().as_slice(), tag)
    }
}

/// Whether `a` and `b` are equal, in time that depends only on their lengths.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    subtle::ConstantTimeEq::ct_eq(a, b).into()
}

/// Overwrites secret bytes with zeros in a way the optimiser keeps.
fn wipe(v: &mut [u8]) {
    v.fill(0);
    core::hint::black_box(&mut *v);
}

const SHA1_IV: [u32; 5] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

const SHA256_IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

const SHA384_IV: [u64; 8] = [
    0xcbbb9d5dc1059ed8,
    0x629a292a367cd507,
    0x9159015a3070dd17,
    0x152fecd8f70e5939,
    0x67332667ffc00b31,
    0x8eb44a8768581511,
    0xdb0c2e0d64f98fa7,
    0x47b5481dbefa4fa4,
];

const SHA512_IV: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];

const K256: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const K512: [u64; 80] = [
    0x428a2f98d728ae22,
    0x7137449123ef65cd,
    0xb5c0fbcfec4d3b2f,
    0xe9b5dba58189dbbc,
    0x3956c25bf348b538,
    0x59f111f1b605d019,
    0x923f82a4af194f9b,
    0xab1c5ed5da6d8118,
    0xd807aa98a3030242,
    0x12835b0145706fbe,
    0x243185be4ee4b28c,
    0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f,
    0x80deb1fe3b1696b1,
    0x9bdc06a725c71235,
    0xc19bf174cf692694,
    0xe49b69c19ef14ad2,
    0xefbe4786384f25e3,
    0x0fc19dc68b8cd5b5,
    0x240ca1cc77ac9c65,
    0x2de92c6f592b0275,
    0x4a7484aa6ea6e483,
    0x5cb0a9dcbd41fbd4,
    0x76f988da831153b5,
    0x983e5152ee66dfab,
    0xa831c66d2db43210,
    0xb00327c898fb213f,
    0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2,
    0xd5a79147930aa725,
    0x06ca6351e003826f,
    0x142929670a0e6e70,
    0x27b70a8546d22ffc,
    0x2e1b21385c26c926,
    0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df,
    0x650a73548baf63de,
    0x766a0abb3c77b2a8,
    0x81c2c92e47edaee6,
    0x92722c851482353b,
    0xa2bfe8a14cf10364,
    0xa81a664bbc423001,
    0xc24b8b70d0f89791,
    0xc76c51a30654be30,
    0xd192e819d6ef5218,
    0xd69906245565a910,
    0xf40e35855771202a,
    0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8,
    0x1e376c085141ab53,
    0x2748774cdf8eeb99,
    0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63,
    0x4ed8aa4ae3418acb,
    0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc,
    0x78a5636f43172f60,
    0x84c87814a1f0ab72,
    0x8cc702081a6439ec,
    0x90befffa23631e28,
    0xa4506cebde82bde9,
    0xbef9a3f7b2c67915,
    0xc67178f2e372532b,
    0xca273eceea26619c,
    0xd186b8c721c0c207,
    0xeada7dd6cde0eb1e,
    0xf57d4f7fee6ed178,
    0x06f067aa72176fba,
    0x0a637dc5a2c898a6,
    0x113f9804bef90dae,
    0x1b710b35131c471b,
    0x28db77f523047d84,
    0x32caab7b40c72493,
    0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6,
    0x597f299cfc657e2a,
    0x5fcb6fab3ad6faec,
    0x6c44198c4a475817,
];

/// Runs `$body` with `$j` bound to each of 0..16 in turn (unrolled).
#[rustfmt::skip]
macro_rules! repeat16 {
    ($j:ident, $body:block) => {
        { let $j = 0; $body } { let $j = 1; $body } { let $j = 2; $body } { let $j = 3; $body }
        { let $j = 4; $body } { let $j = 5; $body } { let $j = 6; $body } { let $j = 7; $body }
        { let $j = 8; $body } { let $j = 9; $body } { let $j = 10; $body } { let $j = 11; $body }
        { let $j = 12; $body } { let $j = 13; $body } { let $j = 14; $body } { let $j = 15; $body }
    };
}

// The rounds run in groups of 16, unrolled within a group: the message schedule is a window
// of the last 16 words, so every window index is a constant and the window lives in locals,
// while the code is a quarter (SHA-256) or a fifth (SHA-1, SHA-512) of a full unroll. Before
// each group but the first, the window advances by 16 words.

/// The 16 big-endian words of a 64-byte block.
#[inline(always)]
fn words32(block: &[u8; 64]) -> [u32; 16] {
    let mut w = [0u32; 16];
    for (w, c) in w.iter_mut().zip(block.chunks_exact(4)) {
        if let Ok(c) = c.try_into() {
            *w = u32::from_be_bytes(c);
        }
    }
    w
}

/// The SHA-2 compression function (FIPS 180-4 sections 6.2.2 and 6.4.2) over the eight working
/// variables of type `$t`: SHA-256 and SHA-512 differ only in the word type, the round
/// constants and the rotation amounts (`σ0`, `σ1` of the schedule, `Σ0`, `Σ1` of the rounds).
/// The rounds run in groups of 16 so that the schedule's window indices are constants.
macro_rules! sha2_rounds {
    ($state:expr, $w:ident, $t:ty, $k:expr, $s0:expr, $s1:expr, $b0:expr, $b1:expr) => {{
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *$state;
        for (n, k) in $k.chunks_exact(16).enumerate() {
            if n > 0 {
                repeat16!(j, {
                    let w15 = $w[(j + 1) & 15];
                    let w2 = $w[(j + 14) & 15];
                    let s0 = w15.rotate_right($s0.0) ^ w15.rotate_right($s0.1) ^ (w15 >> $s0.2);
                    let s1 = w2.rotate_right($s1.0) ^ w2.rotate_right($s1.1) ^ (w2 >> $s1.2);
                    $w[j] = $w[j]
                        .wrapping_add(s0)
                        .wrapping_add($w[(j + 9) & 15])
                        .wrapping_add(s1);
                });
            }
            let k: &[$t; 16] = k.try_into().unwrap_or(&[0; 16]);
            repeat16!(j, {
                let t1 = h
                    .wrapping_add(
                        e.rotate_right($b1.0) ^ e.rotate_right($b1.1) ^ e.rotate_right($b1.2),
                    )
                    .wrapping_add(g ^ (e & (f ^ g)))
                    .wrapping_add(k[j])
                    .wrapping_add($w[j]);
                let t2 = (a.rotate_right($b0.0) ^ a.rotate_right($b0.1) ^ a.rotate_right($b0.2))
                    .wrapping_add((a & b) | (c & (a | b)));
                h = g;
                g = f;
                f = e;
                e = d.wrapping_add(t1);
                d = c;
                c = b;
                b = a;
                a = t1.wrapping_add(t2);
            });
        }
        for (s, v) in $state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *s = s.wrapping_add(v);
        }
    }};
}

impl Compress<64> for [u32; 8] {
    fn compress(&mut self, block: &[u8; 64]) {
        let mut w = words32(block);
        sha2_rounds!(
            self,
            w,
            u32,
            K256,
            (7, 18, 3),
            (17, 19, 10),
            (2, 13, 22),
            (6, 11, 25)
        );
    }
}

impl Compress<64> for [u32; 5] {
    /// Fully unrolled instead: the round function changes every 20 rounds, which a group of
    /// 16 would have to select at run time (measured 1.5x slower in V8).
    fn compress(&mut self, block: &[u8; 64]) {
        let mut w = words32(block);
        let [mut a, mut b, mut c, mut d, mut e] = *self;
        macro_rules! group {
            ($n:expr) => {
                repeat16!(j, {
                    let i: usize = 16 * $n + j;
                    if i >= 16 {
                        w[j] = (w[(j + 13) & 15] ^ w[(j + 8) & 15] ^ w[(j + 2) & 15] ^ w[j])
                            .rotate_left(1);
                    }
                    let (fk, k) = if i < 20 {
                        (d ^ (b & (c ^ d)), 0x5a827999u32)
                    } else if i < 40 {
                        (b ^ c ^ d, 0x6ed9eba1)
                    } else if i < 60 {
                        ((b & c) | (d & (b | c)), 0x8f1bbcdc)
                    } else {
                        (b ^ c ^ d, 0xca62c1d6)
                    };
                    let t = a
                        .rotate_left(5)
                        .wrapping_add(fk)
                        .wrapping_add(e)
                        .wrapping_add(k)
                        .wrapping_add(w[j]);
                    e = d;
                    d = c;
                    c = b.rotate_left(30);
                    b = a;
                    a = t;
                });
            };
        }
        group!(0);
        group!(1);
        group!(2);
        group!(3);
        group!(4);
        for (s, v) in self.iter_mut().zip([a, b, c, d, e]) {
            *s = s.wrapping_add(v);
        }
    }
}

impl Compress<128> for [u64; 8] {
    fn compress(&mut self, block: &[u8; 128]) {
        let mut w = [0u64; 16];
        for (w, c) in w.iter_mut().zip(block.chunks_exact(8)) {
            if let Ok(c) = c.try_into() {
                *w = u64::from_be_bytes(c);
            }
        }
        sha2_rounds!(
            self,
            w,
            u64,
            K512,
            (1, 8, 7),
            (19, 61, 6),
            (28, 34, 39),
            (14, 18, 41)
        );
    }
}
