//! The DER subset RSA keys use (X.690): one TLV walker for reading, and a writer for the
//! three structures this crate emits (SPKI, PKCS#1 RSAPublicKey, PKCS#8 with a PKCS#1
//! RSAPrivateKey inside).
//!
//! Reading is strict where it matters: definite lengths only, in their shortest form, no
//! bytes after the outer element. INTEGERs with a redundant leading zero are accepted, as
//! OpenSSL does; negative INTEGERs are refused where a key value is expected.

/// Universal tags.
pub const TAG_INTEGER: u8 = 0x02;
/// BIT STRING.
pub const TAG_BIT_STRING: u8 = 0x03;
/// OCTET STRING.
pub const TAG_OCTET_STRING: u8 = 0x04;
/// NULL.
pub const TAG_NULL: u8 = 0x05;
/// OBJECT IDENTIFIER.
pub const TAG_OID: u8 = 0x06;
/// SEQUENCE (constructed).
pub const TAG_SEQUENCE: u8 = 0x30;

/// rsaEncryption, 1.2.840.113549.1.1.1, as DER content bytes.
pub const OID_RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// One DER element: (tag, the whole element, its content, what follows).
pub type Tlv<'a> = (u8, &'a [u8], &'a [u8], &'a [u8]);

/// The next DER element of `input`. `None` when the header is malformed, the length is
/// indefinite or not minimal, or the input is short.
pub fn der_next(input: &[u8]) -> Option<Tlv<'_>> {
    let tag = *input.first()?;
    if tag & 0x1f == 0x1f {
        // High tag numbers never occur in RSA keys or certificates' outer structure.
        return None;
    }
    let first = *input.get(1)? as usize;
    let (len, hdr) = if first < 0x80 {
        (first, 2)
    } else {
        let n = first & 0x7f;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *input.get(2 + i)? as usize;
        }
        // Shortest form: no leading zero byte, and the long form only from 128 up.
        if len < 0x80 || len >> (8 * (n - 1)) == 0 {
            return None;
        }
        (len, 2 + n)
    };
    let end = hdr.checked_add(len)?;
    if end > input.len() {
        return None;
    }
    Some((tag, &input[..end], &input[hdr..end], &input[end..]))
}

/// A cursor over the elements of a constructed value.
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads the elements of `content`.
    pub fn new(content: &'a [u8]) -> Self {
        Reader { rest: content }
    }

    /// Whether everything has been read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next tag without consuming it.
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The next element, which must have tag `tag`; returns its content.
    pub fn expect(&mut self, tag: u8, what: &str) -> Result<&'a [u8], String> {
        let (t, _, content, rest) = der_next(self.rest)
            .ok_or_else(|| format!("the DER is truncated or malformed at {what}"))?;
        if t != tag {
            return Err(format!(
                "expected {what} (DER tag 0x{tag:02x}) but found tag 0x{t:02x}"
            ));
        }
        self.rest = rest;
        Ok(content)
    }

    /// The next element, whatever its tag: (tag, whole element).
    pub fn any(&mut self, what: &str) -> Result<(u8, &'a [u8]), String> {
        let (t, whole, _, rest) = der_next(self.rest)
            .ok_or_else(|| format!("the DER is truncated or malformed at {what}"))?;
        self.rest = rest;
        Ok((t, whole))
    }

    /// A non-negative INTEGER as big-endian magnitude bytes (a leading zero stripped).
    pub fn uint(&mut self, what: &str) -> Result<&'a [u8], String> {
        let c = self.expect(TAG_INTEGER, what)?;
        match c {
            [] => Err(format!("{what} is an empty INTEGER")),
            [b, ..] if b & 0x80 != 0 => Err(format!("{what} is negative")),
            [0, rest @ ..] => Ok(rest),
            _ => Ok(c),
        }
    }

    /// Fails when anything is left.
    pub fn finish(&self, what: &str) -> Result<(), String> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(format!("unexpected data after {what}"))
        }
    }
}

/// The content of the single outer element of `der`, which must have tag `tag` and be
/// followed by nothing.
pub fn outer<'a>(der: &'a [u8], tag: u8, what: &str) -> Result<&'a [u8], String> {
    let mut r = Reader::new(der);
    let c = r.expect(tag, what)?;
    if !r.is_empty() {
        return Err(format!("{} bytes follow the end of {what}", r.rest.len()));
    }
    Ok(c)
}

/// The SubjectPublicKeyInfo element of an X.509 certificate (RFC 5280 section 4.1).
pub fn certificate_spki(der: &[u8]) -> Option<&[u8]> {
    let (tag, _, cert, _) = der_next(der)?;
    if tag != TAG_SEQUENCE {
        return None;
    }
    let (tag, _, tbs, _) = der_next(cert)?;
    if tag != TAG_SEQUENCE {
        return None;
    }
    let mut rest = tbs;
    // [0] EXPLICIT version, optional.
    if rest.first() == Some(&0xa0) {
        rest = der_next(rest)?.3;
    }
    // serialNumber, signature, issuer, validity, subject.
    for _ in 0..5 {
        rest = der_next(rest)?.3;
    }
    let (tag, whole, _, _) = der_next(rest)?;
    (tag == TAG_SEQUENCE).then_some(whole)
}

/// Appends a TLV with tag `tag` and content `content`.
pub fn push_tlv(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
}

/// A TLV as a new vector.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    push_tlv(&mut out, tag, content);
    out
}

/// Appends a non-negative INTEGER from big-endian magnitude bytes (minimal encoding).
pub fn push_uint(out: &mut Vec<u8>, be: &[u8]) {
    let skip = be.iter().take_while(|&&b| b == 0).count();
    let mag = &be[skip..];
    let mut content = Vec::with_capacity(mag.len() + 1);
    if mag.first().is_none_or(|&b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(mag);
    push_tlv(out, TAG_INTEGER, &content);
    super::num::wipe_bytes(&mut content);
}

/// The AlgorithmIdentifier of rsaEncryption with NULL parameters.
pub fn rsa_algorithm_identifier() -> Vec<u8> {
    let mut alg = tlv(TAG_OID, OID_RSA_ENCRYPTION);
    push_tlv(&mut alg, TAG_NULL, &[]);
    tlv(TAG_SEQUENCE, &alg)
}

/// Reads an AlgorithmIdentifier and checks that it is rsaEncryption with NULL or absent
/// parameters.
pub fn check_rsa_algorithm(alg: &[u8]) -> Result<(), String> {
    let mut r = Reader::new(alg);
    let oid = r.expect(TAG_OID, "the algorithm OID")?;
    if oid != OID_RSA_ENCRYPTION {
        return Err(format!(
            "the key's algorithm is {} rather than rsaEncryption (1.2.840.113549.1.1.1); \
             only RSA keys are supported",
            oid_text(oid)
        ));
    }
    if !r.is_empty() {
        let c = r.expect(TAG_NULL, "the rsaEncryption parameters (NULL)")?;
        if !c.is_empty() {
            return Err("the rsaEncryption parameters are not NULL".into());
        }
    }
    r.finish("the algorithm identifier")
}

/// Dotted text of an OID (for messages).
pub fn oid_text(oid: &[u8]) -> String {
    let mut parts: Vec<u64> = Vec::new();
    let mut v: u64 = 0;
    for &b in oid {
        v = (v << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if parts.is_empty() {
                let first = (v / 40).min(2);
                parts.push(first);
                parts.push(v - 40 * first);
            } else {
                parts.push(v);
            }
            v = 0;
        }
        if v > u64::MAX >> 8 {
            return "an unreadable OID".into();
        }
    }
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}
