//! The strict parser: serde_json's accepted and refused texts, its error messages and
//! positions, and at most 127 levels of nesting. Numbers are read in `number.rs`.

use core::fmt;
use std::borrow::Cow;

use super::write::write_f64;
use super::{Map, Names, Number, Value, N};

mod number;

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

/// Arrays and objects nest at most 127 deep (serde_json's limit).
const MAX_DEPTH: u8 = 128;

struct Parser<'a> {
    s: &'a [u8],
    /// Bytes consumed.
    i: usize,
    /// Levels of nesting left.
    depth: u8,
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
