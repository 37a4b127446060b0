//! The compact writer: JSON text byte for byte as serde_json writes it.

use super::{Map, Number, Value, N};

/// The compact JSON text of `v` (no spaces; `"`, `\` and control characters escaped, the
/// other characters as they are).
pub fn to_string(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

/// Appends the compact JSON text of `v` to `out`.
pub fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_str(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, x);
            }
            out.push(']');
        }
        Value::Object(m) => write_object(out, m),
    }
}

/// Appends the compact JSON text of the object `m` to `out`.
pub fn write_object(out: &mut String, m: &Map<String, Value>) {
    write_members(out, m.iter().map(|(k, v)| (k.as_str(), v)));
}

/// Appends a compact JSON object of `members`, in order, to `out` (names must be unique).
pub fn write_members<'a>(out: &mut String, members: impl Iterator<Item = (&'a str, &'a Value)>) {
    out.push('{');
    for (i, (k, x)) in members.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(out, k);
        out.push(':');
        write_value(out, x);
    }
    out.push('}');
}

/// Appends `s` as a JSON string: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other control
/// characters as `\u00xx` (lowercase hex), everything else as it is.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0C => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0x00..=0x1F => b'u',
            _ => continue,
        };
        // `i` is at an ASCII byte, so both slices end on character boundaries.
        out.push_str(&s[start..i]);
        out.push('\\');
        out.push(short as char);
        if short == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xF)] as char);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

fn write_u64(out: &mut String, mut u: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    for &d in &buf[i..] {
        out.push(d as char);
    }
}

pub(super) fn write_number(out: &mut String, n: &Number) {
    match n.0 {
        N::PosInt(u) => write_u64(out, u),
        N::NegInt(i) => {
            out.push('-');
            write_u64(out, i.unsigned_abs());
        }
        N::Float(f) => write_f64(out, f),
    }
}

/// A finite `f64` in the shortest form that reads back as the same number, laid out as
/// serde_json writes it (`1.0`, `0.001`, `1e-7`, `1.5e+300`: fixed notation for decimal
/// exponents -5 to 15, with `.0` on integers), by the formatter serde_json itself uses (`zmij`).
/// Core's float formatting (Grisu and Dragon4, about 20 KB of wasm) is not linked in: no message
/// formats an `f64` with `{}` (claims are shown as the token writes them).
pub(super) fn write_f64(out: &mut String, f: f64) {
    out.push_str(zmij::Buffer::new().format_finite(f));
}
