//! The compact writer: JSON text byte for byte as serde_json writes it.

use core::fmt;

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
/// serde_json writes it: `1.0`, `0.001`, `1e-7`, `1.5e+300`; fixed notation for decimal
/// exponents -5 to 15, with `.0` on integers.
pub(super) fn write_f64(out: &mut String, f: f64) {
    use fmt::Write as _;
    if f.is_sign_negative() {
        out.push('-');
    }
    let f = f.abs();
    if f == 0.0 {
        out.push_str("0.0");
        return;
    }
    // `{:e}` writes the shortest digits that read back as `f`: "1.2345e-7", "5e20". When two
    // such digit strings are equally close to `f`, serde_json takes the even one and Rust the
    // upper one; the same number of digits correctly rounded (ties to even) is the even one.
    // At a power of two 2^k the interval of numbers that read back as `f` reaches 2^(k-54)
    // below it and 2^(k-53) above: the correctly rounded digits stand there only for a tie
    // (`f` exactly halfway between them and the shortest) that lies inside the interval.
    let mut shortest = String::new();
    let _ = write!(shortest, "{f:e}");
    let mantissa_len = shortest.split_once('e').map_or(0, |(m, _)| m.len());
    let precision = mantissa_len.saturating_sub(2);
    let mut sci = String::new();
    let _ = write!(sci, "{f:.precision$e}");
    if sci != shortest && f.to_bits() & ((1 << 52) - 1) == 0 {
        let mut exact = String::new();
        let _ = write!(exact, "{f:.p$e}", p = precision + 41);
        let rest = exact
            .bytes()
            .filter(u8::is_ascii_digit)
            .skip(precision + 1)
            .take(41);
        let tie = rest
            .enumerate()
            .all(|(i, d)| d == if i == 0 { b'5' } else { b'0' });
        // Half a unit of the last digit is 10^j / 2; inside when 10^j <= 2^(k-53), or
        // 2^(k-52) above `f` (never equal: no power of ten but 1 is a power of two).
        let k = ((f.to_bits() >> 52) as i32) - 1023;
        let j = sci
            .split_once('e')
            .and_then(|(_, e)| e.parse::<i32>().ok())
            .unwrap_or(0)
            - precision as i32;
        let above = sci > shortest;
        let inside =
            f64::from(j) * core::f64::consts::LOG2_10 <= f64::from(k - 53 + i32::from(above));
        if !(tie && inside) {
            sci = shortest;
        }
    }
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let len = digits.len() as i32;
    if (-5..=15).contains(&exp) {
        if len - 1 <= exp {
            out.push_str(&digits);
            for _ in 0..exp - (len - 1) {
                out.push('0');
            }
            out.push_str(".0");
        } else if exp >= 0 {
            let (int, frac) = digits.split_at(exp as usize + 1);
            out.push_str(int);
            out.push('.');
            out.push_str(frac);
        } else {
            out.push_str("0.");
            for _ in 0..-exp - 1 {
                out.push('0');
            }
            out.push_str(&digits);
        }
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        write_u64(out, u64::from(exp.unsigned_abs()));
    }
}
