// The strict JSON reader of the paste parser: the texts the core's JSON parser (serde_json's
// rules) accepts and refuses, with its error messages and positions (`expected value at line 1
// column 5`, columns counted in UTF-8 bytes), and at most 127 levels of nesting. A HAR file's
// status must be read as the core reads it (`401` is a whole number, `401.0` is not), which
// `JSON.parse` cannot tell, hence this reader: whole non-negative numbers come back as BigInt,
// other numbers as numbers; objects have no prototype.

const EOF_LIST = 'EOF while parsing a list';
const EOF_OBJECT = 'EOF while parsing an object';
const EOF_STRING = 'EOF while parsing a string';
const EOF_VALUE = 'EOF while parsing a value';
const EXPECTED_COLON = 'expected `:`';
const EXPECTED_LIST_END = 'expected `,` or `]`';
const EXPECTED_OBJECT_END = 'expected `,` or `}`';
const EXPECTED_IDENT = 'expected ident';
const EXPECTED_VALUE = 'expected value';
const INVALID_ESCAPE = 'invalid escape';
const INVALID_NUMBER = 'invalid number';
const OUT_OF_RANGE = 'number out of range';
const CONTROL_CHARACTER = 'control character (\\u0000-\\u001F) found while parsing a string';
const KEY_NOT_STRING = 'key must be a string';
const LONE_SURROGATE = 'lone leading surrogate in hex escape';
const TRAILING_COMMA = 'trailing comma';
const TRAILING_CHARACTERS = 'trailing characters';
const END_OF_HEX_ESCAPE = 'unexpected end of hex escape';
const RECURSION = 'recursion limit exceeded';

const MAX_DEPTH = 128;
const U64_MAX = 18446744073709551615n;
const I32_MAX = 2147483647;
const I32_MIN = -2147483648;
const POW10 = Array.from({ length: 309 }, (_, k) => Number(`1e${k}`));

const sat = (n) => Math.min(I32_MAX, Math.max(I32_MIN, n));
const overflows = (a, b, max) => a >= max / 10n && (a > max / 10n || b > max % 10n);
const isDigit = (b) => b >= 48 && b <= 57;

/** A JSON syntax error: `message at line L column C`. */
export class JsonError extends Error {}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Parses JSON text; throws a JsonError. */
export function parseJson(text) {
  const s = new TextEncoder().encode(text);
  let i = 0;
  let depth = MAX_DEPTH;

  const at = (k, msg) => {
    const end = Math.min(k, s.length);
    let sol = 0;
    let line = 1;
    for (let p = 0; p < end; p++) {
      if (s[p] === 10) {
        line += 1;
        sol = p + 1;
      }
    }
    return new JsonError(`${msg} at line ${line} column ${end - sol}`);
  };
  const error = (msg) => at(i, msg);
  const peekError = (msg) => at(i + 1, msg);
  const peek = () => (i < s.length ? s[i] : -1);
  const whitespace = () => {
    while (i < s.length && (s[i] === 32 || s[i] === 10 || s[i] === 9 || s[i] === 13)) i++;
    return peek();
  };
  const ident = (rest) => {
    for (let k = 0; k < rest.length; k++) {
      if (i >= s.length) throw error(EOF_VALUE);
      const b = s[i++];
      if (b !== rest.charCodeAt(k)) throw error(EXPECTED_IDENT);
    }
  };

  const fromParts = (positive, significand, exponent) => {
    let f = Number(significand);
    for (;;) {
      const a = Math.abs(exponent);
      if (a < POW10.length) {
        if (exponent >= 0) {
          f *= POW10[a];
          if (!Number.isFinite(f)) throw error(OUT_OF_RANGE);
        } else f /= POW10[a];
        break;
      }
      if (f === 0) break;
      if (exponent >= 0) throw error(OUT_OF_RANGE);
      f /= 1e308;
      exponent += 308;
    }
    return positive ? f : -f;
  };
  const exponent = (positive, significand, starting) => {
    i++;
    let positiveExp = true;
    if (peek() === 43) i++;
    else if (peek() === 45) {
      i++;
      positiveExp = false;
    }
    if (i >= s.length) throw error(EOF_VALUE);
    const c = s[i++];
    if (!isDigit(c)) throw error(INVALID_NUMBER);
    let exp = c - 48;
    while (isDigit(peek())) {
      const digit = s[i++] - 48;
      if (overflows(BigInt(exp), BigInt(digit), BigInt(I32_MAX))) {
        // Error instead of infinity; zero for tiny numbers.
        if (significand !== 0n && positiveExp) throw error(OUT_OF_RANGE);
        while (isDigit(peek())) i++;
        return positive ? 0 : -0;
      }
      exp = exp * 10 + digit;
    }
    return fromParts(positive, significand, sat(positiveExp ? starting + exp : starting - exp));
  };
  const decimal = (positive, significand, before) => {
    i++;
    let after = 0;
    let overflowed = false;
    while (isDigit(peek())) {
      const digit = BigInt(s[i] - 48);
      i++;
      if (overflowed || overflows(significand, digit, U64_MAX)) {
        // Digits past what a u64 holds are dropped.
        overflowed = true;
        continue;
      }
      significand = significand * 10n + digit;
      after -= 1;
    }
    if (after === 0 && !overflowed) throw peekError(i < s.length ? INVALID_NUMBER : EOF_VALUE);
    const exp = sat(before + after);
    return peek() === 101 || peek() === 69 ? exponent(positive, significand, exp) : fromParts(positive, significand, exp);
  };
  const longInteger = (positive, significand) => {
    let exp = 0;
    for (;;) {
      const c = peek();
      if (isDigit(c)) {
        i++;
        exp = sat(exp + 1);
      } else if (c === 46) return decimal(positive, significand, exp);
      else if (c === 101 || c === 69) return exponent(positive, significand, exp);
      else return fromParts(positive, significand, exp);
    }
  };
  /** A number, after its `-` when `positive` is false: a BigInt when whole and not negative. */
  const number = (positive) => {
    if (i >= s.length) throw error(EOF_VALUE);
    const first = s[i++];
    let sig;
    if (first === 48) {
      // One leading zero only.
      if (isDigit(peek())) throw peekError(INVALID_NUMBER);
      sig = 0n;
    } else if (first >= 49 && first <= 57) {
      sig = BigInt(first - 48);
      while (isDigit(peek())) {
        const digit = BigInt(s[i] - 48);
        // Too long for a u64: the digits that do not fit only scale it.
        if (overflows(sig, digit, U64_MAX)) return longInteger(positive, sig);
        i++;
        sig = sig * 10n + digit;
      }
    } else throw error(INVALID_NUMBER);
    const c = peek();
    if (c === 46) return decimal(positive, sig, 0);
    if (c === 101 || c === 69) return exponent(positive, sig, 0);
    return positive ? sig : -Number(sig);
  };

  const hex4 = () => {
    if (i + 4 > s.length) {
      i = s.length;
      throw error(EOF_STRING);
    }
    let n = 0;
    const from = i;
    i += 4;
    for (let k = from; k < from + 4; k++) {
      const d = s[k];
      let v;
      if (d >= 48 && d <= 57) v = d - 48;
      else if (d >= 97 && d <= 102) v = d - 87;
      else if (d >= 65 && d <= 70) v = d - 55;
      else throw error(INVALID_ESCAPE);
      n = (n << 4) | v;
    }
    return n;
  };
  const unicodeEscape = () => {
    const n = hex4();
    if (n >= 0xdc00 && n <= 0xdfff) throw error(LONE_SURROGATE);
    if (n < 0xd800 || n > 0xdbff) return String.fromCharCode(n);
    for (const expected of [92, 117]) {
      if (i >= s.length) throw error(EOF_STRING);
      if (s[i++] !== expected) throw error(END_OF_HEX_ESCAPE);
    }
    const n2 = hex4();
    if (n2 < 0xdc00 || n2 > 0xdfff) throw error(LONE_SURROGATE);
    return String.fromCharCode(n, n2);
  };
  const ESCAPES = new Map([[34, '"'], [92, '\\'], [47, '/'], [98, '\b'], [102, '\f'], [110, '\n'], [114, '\r'], [116, '\t']]);
  /** A string's text, after its opening quote. */
  const string = () => {
    let start = i;
    let out = '';
    for (;;) {
      while (i < s.length) {
        const b = s[i];
        if (b === 34 || b === 92 || b < 0x20) break;
        i++;
      }
      if (i >= s.length) throw error(EOF_STRING);
      const b = s[i];
      if (b === 34) {
        out += decoder.decode(s.subarray(start, i));
        i++;
        return out;
      }
      if (b === 92) {
        out += decoder.decode(s.subarray(start, i));
        i++;
        if (i >= s.length) throw error(EOF_STRING);
        const c = s[i++];
        if (c === 117) out += unicodeEscape();
        else if (ESCAPES.has(c)) out += ESCAPES.get(c);
        else throw error(INVALID_ESCAPE);
        start = i;
      } else {
        i++;
        throw error(CONTROL_CHARACTER);
      }
    }
  };

  const enter = () => {
    depth -= 1;
    if (depth === 0) throw peekError(RECURSION);
    i++;
  };
  const seq = () => {
    const out = [];
    for (;;) {
      const c = whitespace();
      if (c < 0) throw peekError(EOF_LIST);
      if (c === 93) return out;
      if (out.length > 0) {
        if (c !== 44) throw peekError(EXPECTED_LIST_END);
        i++;
        const d = whitespace();
        if (d === 93) throw peekError(TRAILING_COMMA);
        if (d < 0) throw peekError(EOF_VALUE);
      }
      out.push(value());
    }
  };
  const endSeq = () => {
    const c = whitespace();
    if (c === 93) {
      i++;
      return;
    }
    if (c === 44) {
      i++;
      throw peekError(whitespace() === 93 ? TRAILING_COMMA : TRAILING_CHARACTERS);
    }
    throw peekError(c < 0 ? EOF_LIST : TRAILING_CHARACTERS);
  };
  const map = () => {
    const m = Object.create(null);
    let first = true;
    for (;;) {
      const c = whitespace();
      if (c < 0) throw peekError(EOF_OBJECT);
      if (c === 125) return m;
      if (first) {
        first = false;
        if (c !== 34) throw peekError(KEY_NOT_STRING);
      } else if (c === 44) {
        i++;
        const d = whitespace();
        if (d === 125) throw peekError(TRAILING_COMMA);
        if (d < 0) throw peekError(EOF_VALUE);
        if (d !== 34) throw peekError(KEY_NOT_STRING);
      } else throw peekError(EXPECTED_OBJECT_END);
      i++;
      const key = string();
      const d = whitespace();
      if (d < 0) throw peekError(EOF_OBJECT);
      if (d !== 58) throw peekError(EXPECTED_COLON);
      i++;
      // A repeated name keeps its place and takes the last value.
      m[key] = value();
    }
  };
  const endMap = () => {
    const c = whitespace();
    if (c === 125) {
      i++;
      return;
    }
    throw peekError(c === 44 ? TRAILING_COMMA : c < 0 ? EOF_OBJECT : TRAILING_CHARACTERS);
  };
  function value() {
    const c = whitespace();
    if (c < 0) throw peekError(EOF_VALUE);
    switch (c) {
      case 110:
        i++;
        ident('ull');
        return null;
      case 116:
        i++;
        ident('rue');
        return true;
      case 102:
        i++;
        ident('alse');
        return false;
      case 45:
        i++;
        return number(false);
      case 34:
        i++;
        return string();
      case 91: {
        enter();
        const a = seq();
        depth += 1;
        endSeq();
        return a;
      }
      case 123: {
        enter();
        const m = map();
        depth += 1;
        endMap();
        return m;
      }
      default:
        if (isDigit(c)) return number(true);
        throw peekError(EXPECTED_VALUE);
    }
  }

  const v = value();
  if (whitespace() >= 0) throw peekError(TRAILING_CHARACTERS);
  return v;
}
