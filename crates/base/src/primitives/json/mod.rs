//! JSON (RFC 8259): a [`Value`] tree with insertion-ordered objects, a strict parser and a
//! compact writer.
//!
//! This replaces serde_json (with `preserve_order`) and reproduces what the crate relied on:
//! the same accepted and refused texts, the same error messages ("expected value at line 1
//! column 5"), the same numbers (`u64`, `i64` or `f64`, parsed with the same arithmetic) and
//! byte for byte the same output. Nesting deeper than 127 arrays or objects is an error, never
//! a stack overflow.

use core::fmt;

mod parse;
mod write;

pub use parse::{from_slice, from_str, object_from_slice, string_array, Error};
use write::write_number;
pub use write::{to_string, write_members, write_object, write_str, write_value};

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
/// Exported at the crate root under a hidden name; use it as `atlassian_sign::json::json`.
#[doc(hidden)]
#[macro_export]
macro_rules! __json {
    ({ $($k:literal : $v:expr),* $(,)? }) => {{
        #[allow(unused_mut)]
        let mut m = $crate::json::Map::new();
        $( m.insert(::std::string::String::from($k), $crate::json::ToJson::to_json(&$v)); )*
        $crate::json::Value::Object(m)
    }};
    ([ $($v:expr),* $(,)? ]) => {
        $crate::json::Value::Array(::std::vec![$( $crate::json::ToJson::to_json(&$v) ),*])
    };
    ($v:expr) => {
        $crate::json::ToJson::to_json(&$v)
    };
}
pub use crate::__json as json;
