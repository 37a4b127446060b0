// What every part of the facade shares: argument checks, the one body reader, the one header
// reader, the clock, key arguments, and the one way back from a WebAssembly failure.
//
// The WebAssembly exports take flat primitive arguments (strings, numbers, booleans, bytes; an
// options bag as one JSON text) and return strings. A failure comes back as a thrown string of
// JSON `{ name, code, message, ... }`, which `call` turns into an Error with that `code`.

/** A TypeError for an argument of the wrong type (code ERR_INVALID_INPUT). */
export function typeError(message) {
  const e = new TypeError(message);
  e.code = 'ERR_INVALID_INPUT';
  return e;
}

/** An AtlassianSignError with a code. */
export function codedError(code, message, extra) {
  const e = new Error(message);
  e.name = 'AtlassianSignError';
  e.code = code;
  return extra ? Object.assign(e, extra) : e;
}

/** A value that is present but not usable (code ERR_INVALID_INPUT). */
export function invalid(message) {
  return codedError('ERR_INVALID_INPUT', message);
}

/** The Error a failure of the WebAssembly core stands for. */
export function fromCore(thrown) {
  if (typeof thrown !== 'string') return thrown;
  let f;
  try {
    f = JSON.parse(thrown);
  } catch {
    return codedError('ERR_INVALID_INPUT', thrown);
  }
  const { name, code, message, ...extra } = f;
  if (name === 'TypeError') return typeError(message);
  return codedError(code, message, extra);
}

/** Calls a WebAssembly export; its failure is thrown as a coded Error. */
export function call(f, ...args) {
  try {
    return f(...args);
  } catch (e) {
    throw fromCore(e);
  }
}

/** Calls a WebAssembly export that returns JSON text, and parses it. */
export function callJson(f, ...args) {
  return JSON.parse(call(f, ...args));
}

export function str(v, what) {
  if (typeof v !== 'string') throw typeError(`${what} must be a string`);
  return v;
}

const EMPTY = Object.freeze({});

export function opts(o, shape = 'options must be an object') {
  if (o == null) return EMPTY;
  if (typeof o !== 'object') throw typeError(shape);
  return o;
}

export function object(o, shape) {
  if (o === null || typeof o !== 'object') throw typeError(shape);
  return o;
}

export function optString(o, k) {
  const v = o[k];
  if (v == null) return undefined;
  if (typeof v !== 'string') throw typeError(`${k} must be a string`);
  return v;
}

export function optNumber(o, k) {
  const v = o[k];
  if (v == null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw typeError(`${k} must be a finite number`);
  return v;
}

export function optBool(o, k) {
  const v = o[k];
  if (v == null) return false;
  if (typeof v !== 'boolean') throw typeError(`${k} must be a boolean`);
  return v;
}

export function list(o, k) {
  const v = o[k];
  if (v == null) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) {
    // By index: a hole is undefined, and refused.
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'string') throw typeError(`${k} must be a string or an array of strings`);
    }
    return v;
  }
  throw typeError(`${k} must be a string or an array of strings`);
}

/** `now` in whole seconds: the caller's (seconds or a Date), else the clock. */
export function now(o) {
  const v = o.now;
  if (v == null) return Math.floor(Date.now() / 1000);
  if (v instanceof Date) {
    const ms = v.getTime();
    if (Number.isFinite(ms)) return Math.floor(ms / 1000);
    throw typeError('now is an invalid Date');
  }
  if (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e13) return Math.floor(v);
  throw typeError('now must be seconds since the epoch (a number) or a Date');
}

/** JSON text of a value, with a coded error for what JSON cannot hold. */
export function json(v, what) {
  let text;
  try {
    text = JSON.stringify(v);
  } catch {
    throw typeError(`${what} cannot be converted to JSON (BigInt or a cycle?)`);
  }
  if (typeof text !== 'string') throw typeError(`${what} cannot be converted to JSON`);
  return text;
}

function isPlainObject(v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

const isUrlSearchParams = (v) => typeof URLSearchParams !== 'undefined' && v instanceof URLSearchParams;

/**
 * The one body reader: what a request body holds as a form.
 *   { kind: 'none' } | { kind: 'text', text } | { kind: 'pairs', pairs: [n1, v1, n2, v2, ...] }
 *   | { kind: 'other', error }
 * Text is a string or URLSearchParams; pairs come from a plain object of strings, numbers,
 * booleans or arrays of them (written as String(x)). Anything else is 'other', with the
 * message to show where a form is needed (the caller decides whether it is).
 */
export function readBody(v, what) {
  if (v == null) return { kind: 'none' };
  if (typeof v === 'string') return { kind: 'text', text: v };
  if (isUrlSearchParams(v)) return { kind: 'text', text: v.toString() };
  if (!isPlainObject(v)) {
    return { kind: 'other', error: `${what} must be a form string (a=1&b=2) or an object of strings` };
  }
  const pairs = [];
  for (const [name, value] of Object.entries(v)) {
    const values = Array.isArray(value) ? value : [value];
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      if (typeof x === 'string') pairs.push(name, x);
      else if (typeof x === 'number' || typeof x === 'boolean') pairs.push(name, String(x));
      else {
        return { kind: 'other', error: `${what}.${name} must be a string, number, boolean or an array of them` };
      }
    }
  }
  return { kind: 'pairs', pairs };
}

/**
 * The one header reader: a fetch Headers, a Map, or a plain object (node:http's, any case;
 * an array value gives its first entry) as a plain object of lowercase names to strings.
 */
export function readHeaders(h, what = 'request.headers') {
  const out = {};
  if (h == null) return out;
  if (typeof h !== 'object') throw typeError(`${what} must be an object, a Headers or a Map`);
  const put = (name, value) => {
    if (typeof name !== 'string') return;
    const v = Array.isArray(value) ? value[0] : value;
    const key = name.toLowerCase();
    if (typeof v === 'string' && !(key in out)) out[key] = v;
  };
  if (typeof h.forEach === 'function' && typeof h.get === 'function') {
    h.forEach((value, name) => {
      put(name, value);
    });
  } else {
    for (const name of Object.keys(h)) put(name, h[name]);
  }
  return out;
}
