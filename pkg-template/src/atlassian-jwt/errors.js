// Errors as Node words them: the messages atlassian-jwt's callers see when Node's built-ins
// (Buffer, crypto, url) refuse an argument.

function received(value) {
  if (value === null || value === undefined) return String(value);
  var t = typeof value;
  if (t === 'function') return 'function ' + value.name;
  if (t === 'object') {
    if (value.constructor && typeof value.constructor.name === 'string' && value.constructor.name) {
      return 'an instance of ' + value.constructor.name;
    }
    return 'an instance of Object';
  }
  if (t === 'symbol') return 'type symbol (' + String(value) + ')';
  if (t === 'string') {
    var v = value.length > 28 ? value.slice(0, 25) + '...' : value;
    return v.indexOf("'") === -1 ? "type string ('" + v + "')" : 'type string (' + JSON.stringify(v) + ')';
  }
  if (t === 'number' && value === 0 && 1 / value < 0) return 'type number (-0)';
  if (t === 'bigint') return 'type bigint (' + value + 'n)';
  return 'type ' + t + ' (' + value + ')';
}

export function argTypeError(what, expected, value) {
  var e = new TypeError(what + ' must be ' + expected + '. Received ' + received(value));
  e.code = 'ERR_INVALID_ARG_TYPE';
  return e;
}

export const KEY_TYPES = 'of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey';
