//! JSON (RFC 8259): a [`Value`] tree with insertion-ordered objects, a strict parser and a
//! compact writer.
//!
//! This replaces serde_json (with `preserve_order`) and reproduces what the crate relied on:
//! the same accepted and refused texts, the same error messages ("expected value at line 1
//! column 5"), the same numbers (`u64`, `i64` or `f64`, parsed with the same arithmetic) and
//! byte for byte the same output. Nesting deeper than 127 arrays or objects is an error, never
//! a stack overflow.

use core::fmt;
use std::borrow::Cow;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, its members in the order they were inserted or written.
    Object(Map<String, Value>),
}

/// A JSON number: an unsigned or negative integer that fits 64 bits, or a finite `f64`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number(N);

#[derive(Debug, Clone, Copy, PartialEq)]
enum N {
    /// Zero or more.
    PosInt(u64),
    /// Below zero.
    NegInt(i64),
    /// Always finite.
    Float(f64),
}

impl Number {
    /// The number as an `f64` (integers rounded to the nearest `f64`).
    pub fn as_f64(&self) -> Option<f64> {
        Some(match self.0 {
            N::PosInt(u) => u as f64,
            N::NegInt(i) => i as f64,
            N::Float(f) => f,
        })
    }

    /// The number as an `i64`, when it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            N::PosInt(u) => i64::try_from(u).ok(),
            N::NegInt(i) => Some(i),
            N::Float(_) => None,
        }
    }

    /// The number as a `u64`, when it is a non-negative integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        match self.0 {
            N::PosInt(u) => Some(u),
            _ => None,
        }
    }

    /// A finite `f64` as a number; `None` for NaN and infinities (JSON has no such numbers).
    pub fn from_f64(f: f64) -> Option<Number> {
        f.is_finite().then_some(Number(N::Float(f)))
    }
}

impl From<u64> for Number {
    fn from(u: u64) -> Number {
        Number(N::PosInt(u))
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Number {
        if i < 0 {
            Number(N::NegInt(i))
        } else {
            Number(N::PosInt(i as u64))
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        write_number(&mut s, self);
        f.write_str(&s)
    }
}

/// A JSON object: members in insertion order. Inserting a name that is already there replaces
/// its value in place. Lookups scan the members, which suits the small objects of tokens.
#[derive(Clone)]
pub struct Map<K, V> {
    entries: Vec<(K, V)>,
}

impl Map<String, Value> {
    /// An empty object.
    pub fn new() -> Self {
        Map {
            entries: Vec::new(),
        }
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no members.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k == key)
    }

    /// The value of member `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value of member `key`, to change it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// True when the object has a member `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets member `key` (in place when it exists, else at the end); returns the old value.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.position(&key) {
            Some(i) => Some(core::mem::replace(&mut self.entries[i].1, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    /// The members in order.
    pub fn iter(&self) -> Iter<'_> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The member names in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The member values in order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.entries.iter().map(|(_, v)| v)
    }
}

/// An iterator over the members of a [`Map`].
pub type Iter<'a> = core::iter::Map<
    core::slice::Iter<'a, (String, Value)>,
    fn(&'a (String, Value)) -> (&'a String, &'a Value),
>;

impl Default for Map<String, Value> {
    fn default() -> Self {
        Map::new()
    }
}

impl fmt::Debug for Map<String, Value> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Equal when both have the same members with equal values, in any order (as serde_json's
/// ordered map compares).
impl PartialEq for Map<String, Value> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl<'a> IntoIterator for &'a Map<String, Value> {
    type Item = (&'a String, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for Map<String, Value> {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// A repeated name keeps its first place and takes the last value, as [`Map::insert`].
impl FromIterator<(String, Value)> for Map<String, Value> {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        let mut m = Map::new();
        let mut names = Names::default();
        for (k, v) in iter {
            match names.find(&m.entries, &k) {
                Ok(i) => m.entries[i].1 = v,
                Err(at) => {
                    names.add(at, m.entries.len());
                    m.entries.push((k, v));
                }
            }
        }
        m
    }
}

static NULL: Value = Value::Null;

/// `map["name"]`: the member's value, or `null` when there is none (never panics).
impl core::ops::Index<&str> for Map<String, Value> {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

/// `value["name"]`: the member's value, or `null` when there is none or `value` is not an
/// object (never panics).
impl core::ops::Index<&str> for Value {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl Value {
    /// The member `key` of an object; `None` for other values.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(m) => m.get(key),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements of an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The members of an object.
    pub fn as_object(&self) -> Option<&Map<String, Value>> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// A boolean's value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A number as an `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// A number as an `i64`, when it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// A number as a `u64`, when it is a non-negative integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// True for an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}
impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}
impl PartialEq<String> for Value {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}
impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}
impl PartialEq<i64> for Value {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}
impl PartialEq<i32> for Value {
    fn eq(&self, other: &i32) -> bool {
        self.as_i64() == Some(i64::from(*other))
    }
}
impl PartialEq<u64> for Value {
    fn eq(&self, other: &u64) -> bool {
        self.as_u64() == Some(*other)
    }
}
impl PartialEq<f64> for Value {
    fn eq(&self, other: &f64) -> bool {
        self.as_f64() == Some(*other)
    }
}

/// Compact JSON text, as [`to_string`] writes it.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&to_string(self))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Number(i.into())
    }
}
impl From<u64> for Value {
    fn from(u: u64) -> Value {
        Value::Number(u.into())
    }
}
impl From<usize> for Value {
    fn from(u: usize) -> Value {
        Value::Number((u as u64).into())
    }
}
impl From<f64> for Value {
    /// A finite number, or `null` for NaN and infinities.
    fn from(f: f64) -> Value {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}
/// `From` for the narrower integers, through the wide ones.
macro_rules! from_widened {
    ($($t:ty => $w:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Value {
                Value::from(<$w>::from(n))
            }
        }
    )*};
}
from_widened!(u32 => u64, u16 => u64, u8 => u64, i32 => i64);
impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}
impl From<Map<String, Value>> for Value {
    fn from(m: Map<String, Value>) -> Value {
        Value::Object(m)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Value {
        Value::Array(v.into_iter().map(Into::into).collect())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    /// `null` for `None`.
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// A Rust value written as JSON by reference, for the crate's `json!` macro.
pub trait ToJson {
    /// This value as JSON.
    fn to_json(&self) -> Value;
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}
impl ToJson for str {
    fn to_json(&self) -> Value {
        Value::String(self.to_owned())
    }
}
impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}
/// `ToJson` for the types that convert with `Value::from`.
macro_rules! to_json_by_from {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                Value::from(*self)
            }
        }
    )*};
}
to_json_by_from!(bool, i64, u64, usize, u32, u16, u8, i32, f64);
impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}
impl ToJson for Map<String, Value> {
    fn to_json(&self) -> Value {
        Value::Object(self.clone())
    }
}
impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}
impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        self.as_slice().to_json()
    }
}
impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToJson::to_json)
    }
}

/// Builds a [`Value`]: `json!({ "name": expr, ... })`, `json!([expr, ...])` or `json!(expr)`.
/// Each `expr` is taken by reference and converted with [`ToJson`], as serde_json's `json!`.
macro_rules! json {
    ({ $($k:literal : $v:expr),* $(,)? }) => {{
        #[allow(unused_mut)]
        let mut m = $crate::primitives::json::Map::new();
        $( m.insert(::std::string::String::from($k), $crate::primitives::json::ToJson::to_json(&$v)); )*
        $crate::primitives::json::Value::Object(m)
    }};
    ([ $($v:expr),* $(,)? ]) => {
        $crate::primitives::json::Value::Array(::std::vec![$( $crate::primitives::json::ToJson::to_json(&$v) ),*])
    };
    ($v:expr) => {
        $crate::primitives::json::ToJson::to_json(&$v)
    };
}
pub(crate) use json;

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

fn write_number(out: &mut String, n: &Number) {
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
fn write_f64(out: &mut String, f: f64) {
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

/// A JSON syntax error, with the line and column (1-based, counted in bytes) where it was
/// found. Its text is serde_json's: `expected value at line 1 column 5`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    msg: Cow<'static, str>,
    line: usize,
    column: usize,
}

impl Error {
    /// The line (1-based).
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column: the byte count from the start of the line up to and including the byte
    /// at fault (0 when the fault is before the line's first byte).
    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.msg, self.line, self.column
        )
    }
}

impl std::error::Error for Error {}

const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_VALUE: &str = "EOF while parsing a value";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_END: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_END: &str = "expected `,` or `}`";
const EXPECTED_IDENT: &str = "expected ident";
const EXPECTED_VALUE: &str = "expected value";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const OUT_OF_RANGE: &str = "number out of range";
const INVALID_CODE_POINT: &str = "invalid unicode code point";
const CONTROL_CHARACTER: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const KEY_NOT_STRING: &str = "key must be a string";
const LONE_SURROGATE: &str = "lone leading surrogate in hex escape";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING_CHARACTERS: &str = "trailing characters";
const END_OF_HEX_ESCAPE: &str = "unexpected end of hex escape";
const RECURSION: &str = "recursion limit exceeded";

/// Parses JSON text: one value, with optional whitespace around it.
pub fn from_str(s: &str) -> Result<Value, Error> {
    from_slice(s.as_bytes())
}

/// Parses JSON text given as bytes; strings must be UTF-8.
pub fn from_slice(s: &[u8]) -> Result<Value, Error> {
    let mut p = Parser::new(s);
    let v = p.value()?;
    p.end()?;
    Ok(v)
}

/// Parses JSON text that must be an object whose member names are unique: a member named
/// twice is an error (`member "a" appears twice`), as is any value other than an object
/// (`invalid type: string "x", expected a JSON object`). Objects nested in it may repeat
/// names; the last value wins there.
pub fn object_from_slice(s: &[u8]) -> Result<Map<String, Value>, Error> {
    let mut p = Parser::new(s);
    let peek = match p.whitespace() {
        Some(b) => b,
        None => return Err(p.peek_error(EOF_VALUE)),
    };
    if peek != b'{' {
        return Err(p.invalid_type("a JSON object"));
    }
    p.depth -= 1;
    p.eat();
    let ret = p.map(true);
    p.depth += 1;
    let end = p.end_map();
    let m = match (ret, end) {
        (Ok(m), Ok(())) => m,
        // An error found after the members were read points past them (serde_json's
        // position for errors of a visitor).
        (Err(e), _) if e.line == 0 => return Err(p.error(e.msg)),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    p.end()?;
    Ok(m)
}

/// The elements of a JSON array of strings; `None` for any other text.
pub fn string_array(s: &str) -> Option<Vec<String>> {
    match from_str(s) {
        Ok(Value::Array(a)) => a
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// Finds the member names of an object being built: a scan while it is small, then a binary
/// search over its members sorted by name, so that a token with thousands of members (an
/// attacker's) is read in well under a millisecond per thousand rather than in quadratic time.
#[derive(Default)]
struct Names {
    /// Indices of the members, in name order; empty while the object is small.
    sorted: Vec<u32>,
}

impl Names {
    const SCAN: usize = 16;

    /// `Ok(index)` of the member named `key`, or `Err(place)` to pass to [`Names::add`].
    fn find(&mut self, entries: &[(String, Value)], key: &str) -> Result<usize, usize> {
        if entries.len() <= Self::SCAN {
            return entries.iter().position(|(k, _)| k == key).ok_or(0);
        }
        if self.sorted.is_empty() {
            for i in 0..entries.len() {
                if let Err(at) = self.search(entries, &entries[i].0) {
                    self.sorted.insert(at, i as u32);
                }
            }
        }
        self.search(entries, key).map(|at| self.sorted[at] as usize)
    }

    fn search(&self, entries: &[(String, Value)], key: &str) -> Result<usize, usize> {
        self.sorted
            .binary_search_by(|&i| entries[i as usize].0.as_str().cmp(key))
    }

    /// Records member `index`, not found at `at`.
    fn add(&mut self, at: usize, index: usize) {
        if !self.sorted.is_empty() {
            self.sorted.insert(at, index as u32);
        }
    }
}

/// Arrays and objects nest at most 127 deep (serde_json's limit).
const MAX_DEPTH: u8 = 128;

struct Parser<'a> {
    s: &'a [u8],
    /// Bytes consumed.
    i: usize,
    /// Levels of nesting left.
    depth: u8,
}

/// `a * 10 + b` would exceed `max`.
fn overflows<T: Copy + Into<u64>>(a: T, b: T, max: T) -> bool {
    let (a, b, max) = (a.into(), b.into(), max.into());
    a >= max / 10 && (a > max / 10 || b > max % 10)
}

impl<'a> Parser<'a> {
    fn new(s: &'a [u8]) -> Self {
        Parser {
            s,
            i: 0,
            depth: MAX_DEPTH,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn peek_or_null(&self) -> u8 {
        self.peek().unwrap_or(0)
    }

    fn eat(&mut self) {
        self.i += 1;
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.i += 1;
        Some(b)
    }

    fn at(&self, i: usize, msg: impl Into<Cow<'static, str>>) -> Error {
        let before = &self.s[..i.min(self.s.len())];
        let start_of_line = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        Error {
            msg: msg.into(),
            line: 1 + before[..start_of_line]
                .iter()
                .filter(|&&b| b == b'\n')
                .count(),
            column: before.len() - start_of_line,
        }
    }

    /// An error at the last byte read.
    #[cold]
    fn error(&self, msg: impl Into<Cow<'static, str>>) -> Error {
        self.at(self.i, msg)
    }

    /// An error at the next byte.
    #[cold]
    fn peek_error(&self, msg: &'static str) -> Error {
        self.at(self.i + 1, msg)
    }

    /// Skips whitespace; the next byte, not consumed.
    fn whitespace(&mut self) -> Option<u8> {
        loop {
            match self.peek() {
                Some(b' ' | b'\n' | b'\t' | b'\r') => self.eat(),
                other => return other,
            }
        }
    }

    fn end(&mut self) -> Result<(), Error> {
        match self.whitespace() {
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Ok(()),
        }
    }

    fn ident(&mut self, rest: &[u8]) -> Result<(), Error> {
        for &expected in rest {
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(b) if b != expected => return Err(self.error(EXPECTED_IDENT)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    fn value(&mut self) -> Result<Value, Error> {
        let peek = match self.whitespace() {
            Some(b) => b,
            None => return Err(self.peek_error(EOF_VALUE)),
        };
        Ok(match peek {
            b'n' => {
                self.eat();
                self.ident(b"ull")?;
                Value::Null
            }
            b't' => {
                self.eat();
                self.ident(b"rue")?;
                Value::Bool(true)
            }
            b'f' => {
                self.eat();
                self.ident(b"alse")?;
                Value::Bool(false)
            }
            b'-' => {
                self.eat();
                Value::Number(self.integer(false)?)
            }
            b'0'..=b'9' => Value::Number(self.integer(true)?),
            b'"' => {
                self.eat();
                Value::String(self.string()?)
            }
            b'[' => {
                self.enter()?;
                let a = self.seq()?;
                self.depth += 1;
                self.end_seq()?;
                Value::Array(a)
            }
            b'{' => {
                self.enter()?;
                let m = self.map(false)?;
                self.depth += 1;
                self.end_map()?;
                Value::Object(m)
            }
            _ => return Err(self.peek_error(EXPECTED_VALUE)),
        })
    }

    /// One level deeper, at a `[` or `{` (consumed).
    fn enter(&mut self) -> Result<(), Error> {
        self.depth -= 1;
        if self.depth == 0 {
            return Err(self.peek_error(RECURSION));
        }
        self.eat();
        Ok(())
    }

    fn seq(&mut self) -> Result<Vec<Value>, Error> {
        let mut out = Vec::new();
        loop {
            let peek = match self.whitespace() {
                Some(b) => b,
                None => return Err(self.peek_error(EOF_LIST)),
            };
            if peek == b']' {
                return Ok(out);
            }
            if !out.is_empty() {
                if peek != b',' {
                    return Err(self.peek_error(EXPECTED_LIST_END));
                }
                self.eat();
                match self.whitespace() {
                    Some(b']') => return Err(self.peek_error(TRAILING_COMMA)),
                    Some(_) => {}
                    None => return Err(self.peek_error(EOF_VALUE)),
                }
            }
            out.push(self.value()?);
        }
    }

    fn end_seq(&mut self) -> Result<(), Error> {
        match self.whitespace() {
            Some(b']') => {
                self.eat();
                Ok(())
            }
            Some(b',') => {
                self.eat();
                match self.whitespace() {
                    Some(b']') => Err(self.peek_error(TRAILING_COMMA)),
                    _ => Err(self.peek_error(TRAILING_CHARACTERS)),
                }
            }
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Err(self.peek_error(EOF_LIST)),
        }
    }

    /// The members of an object, after its `{`. With `unique`, a repeated name is an error
    /// without a position (line 0), which the caller places.
    fn map(&mut self, unique: bool) -> Result<Map<String, Value>, Error> {
        let mut m = Map::new();
        let mut names = Names::default();
        let mut first = true;
        loop {
            let peek = match self.whitespace() {
                Some(b) => b,
                None => return Err(self.peek_error(EOF_OBJECT)),
            };
            if peek == b'}' {
                return Ok(m);
            }
            if first {
                first = false;
                if peek != b'"' {
                    return Err(self.peek_error(KEY_NOT_STRING));
                }
            } else if peek == b',' {
                self.eat();
                match self.whitespace() {
                    Some(b'"') => {}
                    Some(b'}') => return Err(self.peek_error(TRAILING_COMMA)),
                    Some(_) => return Err(self.peek_error(KEY_NOT_STRING)),
                    None => return Err(self.peek_error(EOF_VALUE)),
                }
            } else {
                return Err(self.peek_error(EXPECTED_OBJECT_END));
            }
            self.eat();
            let key = self.string()?;
            match self.whitespace() {
                Some(b':') => self.eat(),
                Some(_) => return Err(self.peek_error(EXPECTED_COLON)),
                None => return Err(self.peek_error(EOF_OBJECT)),
            }
            let value = self.value()?;
            match names.find(&m.entries, &key) {
                Ok(_) if unique => {
                    return Err(Error {
                        msg: format!("member {key:?} appears twice").into(),
                        line: 0,
                        column: 0,
                    });
                }
                // A repeated name keeps its place and takes the last value.
                Ok(i) => m.entries[i].1 = value,
                Err(at) => {
                    names.add(at, m.entries.len());
                    m.entries.push((key, value));
                }
            }
        }
    }

    fn end_map(&mut self) -> Result<(), Error> {
        match self.whitespace() {
            Some(b'}') => {
                self.eat();
                Ok(())
            }
            Some(b',') => Err(self.peek_error(TRAILING_COMMA)),
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Err(self.peek_error(EOF_OBJECT)),
        }
    }

    /// "invalid type: ..., expected {what}" for the value at the next byte.
    #[cold]
    fn invalid_type(&mut self, what: &str) -> Error {
        let found = match self.peek_or_null() {
            b'n' => {
                self.eat();
                if let Err(e) = self.ident(b"ull") {
                    return e;
                }
                "null".to_owned()
            }
            b't' => {
                self.eat();
                if let Err(e) = self.ident(b"rue") {
                    return e;
                }
                "boolean `true`".to_owned()
            }
            b'f' => {
                self.eat();
                if let Err(e) = self.ident(b"alse") {
                    return e;
                }
                "boolean `false`".to_owned()
            }
            b @ (b'-' | b'0'..=b'9') => {
                if b == b'-' {
                    self.eat();
                }
                match self.integer(b != b'-') {
                    Ok(Number(N::Float(f))) => {
                        let mut s = String::new();
                        write_f64(&mut s, f);
                        format!("floating point `{s}`")
                    }
                    Ok(n) => format!("integer `{n}`"),
                    Err(e) => return e,
                }
            }
            b'"' => {
                self.eat();
                match self.string() {
                    Ok(s) => format!("string {s:?}"),
                    Err(e) => return e,
                }
            }
            b'[' => "sequence".to_owned(),
            b'{' => "map".to_owned(),
            _ => return self.peek_error(EXPECTED_VALUE),
        };
        self.error(format!("invalid type: {found}, expected {what}"))
    }

    /// A number, after its `-` when `positive` is false.
    fn integer(&mut self, positive: bool) -> Result<Number, Error> {
        let first = match self.next() {
            Some(b) => b,
            None => return Err(self.error(EOF_VALUE)),
        };
        let significand = match first {
            b'0' => {
                // One leading zero only.
                if self.peek_or_null().is_ascii_digit() {
                    return Err(self.peek_error(INVALID_NUMBER));
                }
                0
            }
            b'1'..=b'9' => {
                let mut sig = u64::from(first - b'0');
                loop {
                    let c = self.peek_or_null();
                    if !c.is_ascii_digit() {
                        break sig;
                    }
                    let digit = u64::from(c - b'0');
                    if overflows(sig, digit, u64::MAX) {
                        // Too long for a u64: the digits that do not fit only scale it.
                        let f = self.long_integer(positive, sig)?;
                        return Ok(Number(N::Float(f)));
                    }
                    self.eat();
                    sig = sig * 10 + digit;
                }
            }
            _ => return Err(self.error(INVALID_NUMBER)),
        };
        Ok(Number(match self.peek_or_null() {
            b'.' => N::Float(self.decimal(positive, significand, 0)?),
            b'e' | b'E' => N::Float(self.exponent(positive, significand, 0)?),
            _ if positive => N::PosInt(significand),
            _ => {
                let neg = (significand as i64).wrapping_neg();
                if neg >= 0 {
                    // Below i64::MIN, or -0.
                    N::Float(-(significand as f64))
                } else {
                    N::NegInt(neg)
                }
            }
        }))
    }

    #[cold]
    fn long_integer(&mut self, positive: bool, significand: u64) -> Result<f64, Error> {
        let mut exponent: i32 = 0;
        loop {
            match self.peek_or_null() {
                b'0'..=b'9' => {
                    self.eat();
                    exponent = exponent.saturating_add(1);
                }
                b'.' => return self.decimal(positive, significand, exponent),
                b'e' | b'E' => return self.exponent(positive, significand, exponent),
                _ => return self.f64_from_parts(positive, significand, exponent),
            }
        }
    }

    /// The fraction, at its `.`.
    fn decimal(
        &mut self,
        positive: bool,
        mut significand: u64,
        exp_before: i32,
    ) -> Result<f64, Error> {
        self.eat();
        let mut exp_after: i32 = 0;
        let mut overflowed = false;
        while let c @ b'0'..=b'9' = self.peek_or_null() {
            let digit = u64::from(c - b'0');
            if overflowed || overflows(significand, digit, u64::MAX) {
                // Digits past what a u64 holds are dropped.
                overflowed = true;
                self.eat();
                continue;
            }
            self.eat();
            significand = significand * 10 + digit;
            exp_after -= 1;
        }
        if exp_after == 0 && !overflowed {
            return Err(match self.peek() {
                Some(_) => self.peek_error(INVALID_NUMBER),
                None => self.peek_error(EOF_VALUE),
            });
        }
        let exponent = exp_before.saturating_add(exp_after);
        match self.peek_or_null() {
            b'e' | b'E' => self.exponent(positive, significand, exponent),
            _ => self.f64_from_parts(positive, significand, exponent),
        }
    }

    /// The exponent, at its `e` or `E`.
    fn exponent(
        &mut self,
        positive: bool,
        significand: u64,
        starting_exp: i32,
    ) -> Result<f64, Error> {
        self.eat();
        let positive_exp = match self.peek_or_null() {
            b'+' => {
                self.eat();
                true
            }
            b'-' => {
                self.eat();
                false
            }
            _ => true,
        };
        let mut exp = match self.next() {
            Some(c @ b'0'..=b'9') => i32::from(c - b'0'),
            Some(_) => return Err(self.error(INVALID_NUMBER)),
            None => return Err(self.error(EOF_VALUE)),
        };
        while let c @ b'0'..=b'9' = self.peek_or_null() {
            self.eat();
            let digit = i32::from(c - b'0');
            if overflows(exp as u32, digit as u32, i32::MAX as u32) {
                // Error instead of infinity; zero for tiny numbers.
                if significand != 0 && positive_exp {
                    return Err(self.error(OUT_OF_RANGE));
                }
                while self.peek_or_null().is_ascii_digit() {
                    self.eat();
                }
                return Ok(if positive { 0.0 } else { -0.0 });
            }
            exp = exp * 10 + digit;
        }
        let final_exp = if positive_exp {
            starting_exp.saturating_add(exp)
        } else {
            starting_exp.saturating_sub(exp)
        };
        self.f64_from_parts(positive, significand, final_exp)
    }

    /// `significand * 10^exponent`, as serde_json computes it (one multiplication or division
    /// by a power of ten; not always correctly rounded, and kept so for identical results).
    fn f64_from_parts(
        &self,
        positive: bool,
        significand: u64,
        mut exponent: i32,
    ) -> Result<f64, Error> {
        let mut f = significand as f64;
        loop {
            match POW10.get(exponent.unsigned_abs() as usize) {
                Some(&pow) => {
                    if exponent >= 0 {
                        f *= pow;
                        if f.is_infinite() {
                            return Err(self.error(OUT_OF_RANGE));
                        }
                    } else {
                        f /= pow;
                    }
                    break;
                }
                None => {
                    if f == 0.0 {
                        break;
                    }
                    if exponent >= 0 {
                        return Err(self.error(OUT_OF_RANGE));
                    }
                    f /= 1e308;
                    exponent += 308;
                }
            }
        }
        Ok(if positive { f } else { -f })
    }

    /// A string's text, after its opening quote.
    fn string(&mut self) -> Result<String, Error> {
        let mut start = self.i;
        let mut scratch: Vec<u8> = Vec::new();
        loop {
            while let Some(&b) = self.s.get(self.i) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            let Some(&b) = self.s.get(self.i) else {
                return Err(self.error(EOF_STRING));
            };
            match b {
                b'"' => {
                    let text = if scratch.is_empty() {
                        &self.s[start..self.i]
                    } else {
                        scratch.extend_from_slice(&self.s[start..self.i]);
                        &scratch[..]
                    };
                    self.i += 1;
                    return match core::str::from_utf8(text) {
                        Ok(s) => Ok(s.to_owned()),
                        Err(e) => {
                            let mut err = self.error(INVALID_CODE_POINT);
                            err.column = err.column.saturating_sub(text.len() - e.valid_up_to());
                            Err(err)
                        }
                    };
                }
                b'\\' => {
                    scratch.extend_from_slice(&self.s[start..self.i]);
                    self.i += 1;
                    self.escape(&mut scratch)?;
                    start = self.i;
                }
                _ => {
                    self.i += 1;
                    return Err(self.error(CONTROL_CHARACTER));
                }
            }
        }
    }

    /// An escape, after its backslash, appended to `out` as UTF-8.
    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), Error> {
        let Some(c) = self.next() else {
            return Err(self.error(EOF_STRING));
        };
        let b = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0C,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => return self.unicode_escape(out),
            _ => return Err(self.error(INVALID_ESCAPE)),
        };
        out.push(b);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u16, Error> {
        let Some(digits) = self.s.get(self.i..self.i + 4) else {
            self.i = self.s.len();
            return Err(self.error(EOF_STRING));
        };
        self.i += 4;
        let mut n: u16 = 0;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.error(INVALID_ESCAPE)),
            };
            n = n << 4 | u16::from(v);
        }
        Ok(n)
    }

    /// `\uXXXX`, after the `u`: a surrogate must be a leading one followed by `\uXXXX` with a
    /// trailing one.
    fn unicode_escape(&mut self, out: &mut Vec<u8>) -> Result<(), Error> {
        let n = self.hex4()?;
        let c = match n {
            0xDC00..=0xDFFF => return Err(self.error(LONE_SURROGATE)),
            0xD800..=0xDBFF => {
                for expected in [b'\\', b'u'] {
                    match self.peek() {
                        None => return Err(self.error(EOF_STRING)),
                        Some(b) => {
                            self.eat();
                            if b != expected {
                                return Err(self.error(END_OF_HEX_ESCAPE));
                            }
                        }
                    }
                }
                let n2 = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&n2) {
                    return Err(self.error(LONE_SURROGATE));
                }
                0x1_0000 + ((u32::from(n - 0xD800) << 10) | u32::from(n2 - 0xDC00))
            }
            _ => u32::from(n),
        };
        // Every value left is a scalar value.
        let c = char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER);
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }
}

/// 10^0 to 10^308, as serde_json's table.
static POW10: [f64; 309] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31, 1e32,
    1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39, 1e40, 1e41, 1e42, 1e43, 1e44, 1e45, 1e46, 1e47, 1e48,
    1e49, 1e50, 1e51, 1e52, 1e53, 1e54, 1e55, 1e56, 1e57, 1e58, 1e59, 1e60, 1e61, 1e62, 1e63, 1e64,
    1e65, 1e66, 1e67, 1e68, 1e69, 1e70, 1e71, 1e72, 1e73, 1e74, 1e75, 1e76, 1e77, 1e78, 1e79, 1e80,
    1e81, 1e82, 1e83, 1e84, 1e85, 1e86, 1e87, 1e88, 1e89, 1e90, 1e91, 1e92, 1e93, 1e94, 1e95, 1e96,
    1e97, 1e98, 1e99, 1e100, 1e101, 1e102, 1e103, 1e104, 1e105, 1e106, 1e107, 1e108, 1e109, 1e110,
    1e111, 1e112, 1e113, 1e114, 1e115, 1e116, 1e117, 1e118, 1e119, 1e120, 1e121, 1e122, 1e123,
    1e124, 1e125, 1e126, 1e127, 1e128, 1e129, 1e130, 1e131, 1e132, 1e133, 1e134, 1e135, 1e136,
    1e137, 1e138, 1e139, 1e140, 1e141, 1e142, 1e143, 1e144, 1e145, 1e146, 1e147, 1e148, 1e149,
    1e150, 1e151, 1e152, 1e153, 1e154, 1e155, 1e156, 1e157, 1e158, 1e159, 1e160, 1e161, 1e162,
    1e163, 1e164, 1e165, 1e166, 1e167, 1e168, 1e169, 1e170, 1e171, 1e172, 1e173, 1e174, 1e175,
    1e176, 1e177, 1e178, 1e179, 1e180, 1e181, 1e182, 1e183, 1e184, 1e185, 1e186, 1e187, 1e188,
    1e189, 1e190, 1e191, 1e192, 1e193, 1e194, 1e195, 1e196, 1e197, 1e198, 1e199, 1e200, 1e201,
    1e202, 1e203, 1e204, 1e205, 1e206, 1e207, 1e208, 1e209, 1e210, 1e211, 1e212, 1e213, 1e214,
    1e215, 1e216, 1e217, 1e218, 1e219, 1e220, 1e221, 1e222, 1e223, 1e224, 1e225, 1e226, 1e227,
    1e228, 1e229, 1e230, 1e231, 1e232, 1e233, 1e234, 1e235, 1e236, 1e237, 1e238, 1e239, 1e240,
    1e241, 1e242, 1e243, 1e244, 1e245, 1e246, 1e247, 1e248, 1e249, 1e250, 1e251, 1e252, 1e253,
    1e254, 1e255, 1e256, 1e257, 1e258, 1e259, 1e260, 1e261, 1e262, 1e263, 1e264, 1e265, 1e266,
    1e267, 1e268, 1e269, 1e270, 1e271, 1e272, 1e273, 1e274, 1e275, 1e276, 1e277, 1e278, 1e279,
    1e280, 1e281, 1e282, 1e283, 1e284, 1e285, 1e286, 1e287, 1e288, 1e289, 1e290, 1e291, 1e292,
    1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299, 1e300, 1e301, 1e302, 1e303, 1e304, 1e305,
    1e306, 1e307, 1e308,
];
