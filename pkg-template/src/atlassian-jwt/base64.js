// Bytes as atlassian-jwt gets them from Node: UTF-8 (Buffer.from(string), buf.toString()),
// base64 as Buffer decodes it, and the base64url escaping of atlassian-jwt's own encoder.
import { argTypeError } from './errors.js';

var utf8Encoder = null;
var utf8Decoder = null;
export function utf8(s) {
  if (!utf8Encoder) utf8Encoder = new TextEncoder();
  return utf8Encoder.encode(s); // lone surrogates become U+FFFD, as in Buffer.from(s)
}
export function utf8Text(bytes) {
  // Buffer#toString() keeps a leading BOM and replaces invalid sequences with U+FFFD.
  if (!utf8Decoder) utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  return utf8Decoder.decode(bytes);
}

var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
var unb64 = null;
function unbase64(code) {
  if (!unb64) {
    unb64 = new Uint8Array(256).fill(255);
    for (var i = 0; i < 64; i++) unb64[B64.charCodeAt(i)] = i;
    unb64[45] = 62; // '-'
    unb64[95] = 63; // '_'
  }
  return unb64[code & 0xff]; // Node reads each UTF-16 unit as its low byte
}

function base64(bytes) {
  var out = '';
  var i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    var n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  if (i < bytes.length) {
    var m = bytes[i] << 16 | (i + 1 < bytes.length ? bytes[i + 1] << 8 : 0);
    out += B64[m >> 18] + B64[(m >> 12) & 63] + (i + 1 < bytes.length ? B64[(m >> 6) & 63] : '=') + '=';
  }
  return out;
}

// Buffer.from(str, 'base64') as Node 18-20 decodes it: '-' and '_' accepted, characters
// outside the alphabet skipped, decoding stops at an '=' inside a group, the output length
// is capped by the padding-adjusted input length. Tokens that are not strict base64url
// still decode in atlassian-jwt, so they must decode here too.
export function nodeBase64Decode(s) {
  var len = s.length;
  var bytes = len;
  if (bytes > 0 && s.charCodeAt(bytes - 1) === 61) bytes--;
  if (bytes > 1 && s.charCodeAt(bytes - 1) === 61) bytes--;
  var dstlen = (bytes * 3) >>> 2;
  var dst = new Uint8Array(dstlen);
  // base64_decoded_size(): what the decoder itself expects from the length.
  var size = len;
  var decoded = 0;
  if (size >= 2) {
    if (s.charCodeAt(size - 1) === 61) {
      size--;
      if (s.charCodeAt(size - 1) === 61) size--;
    }
    if (size >= 2) {
      var rem = size % 4;
      decoded = Math.floor(size / 4) * 3;
      if (rem) decoded = decoded === 0 && rem === 1 ? 0 : decoded + 1 + (rem === 3 ? 1 : 0);
    }
  }
  var available = Math.min(dstlen, decoded);
  var maxK = Math.floor(available / 3) * 3;
  var maxI = Math.floor(len / 4) * 4;
  var st = { i: 0, k: 0 };
  while (st.i < maxI && st.k < maxK) {
    var a = unbase64(s.charCodeAt(st.i));
    var b = unbase64(s.charCodeAt(st.i + 1));
    var c = unbase64(s.charCodeAt(st.i + 2));
    var d = unbase64(s.charCodeAt(st.i + 3));
    if ((a | b | c | d) & 0x80) {
      if (!slowGroup(s, dst, dstlen, st)) return dst.subarray(0, st.k);
      maxI = st.i + Math.floor((len - st.i) / 4) * 4;
    } else {
      dst[st.k] = (a << 2) | (b >> 4);
      dst[st.k + 1] = ((b & 15) << 4) | (c >> 2);
      dst[st.k + 2] = ((c & 3) << 6) | d;
      st.i += 4;
      st.k += 3;
    }
  }
  if (st.i < len && st.k < dstlen) slowGroup(s, dst, dstlen, st);
  return dst.subarray(0, st.k);
}

// One group of four legal characters, skipping illegal ones; false stops decoding.
function slowGroup(s, dst, dstlen, st) {
  var len = s.length;
  var hi = 0;
  for (var n = 0; n < 4; n++) {
    var lo;
    for (;;) {
      var code = s.charCodeAt(st.i);
      lo = unbase64(code);
      st.i += 1;
      if (lo < 64) break;
      if ((code & 0xff) === 61 || st.i >= len) return false;
    }
    if (n === 1) dst[st.k++] = ((hi & 0x3f) << 2) | ((lo & 0x30) >> 4);
    else if (n === 2) dst[st.k++] = ((hi & 0x0f) << 4) | ((lo & 0x3c) >> 2);
    else if (n === 3) dst[st.k++] = ((hi & 0x03) << 6) | (lo & 0x3f);
    if (st.i >= len) return false;
    if (st.k >= dstlen) return false;
    hi = lo;
  }
  return true;
}

export function base64urlUnescape(str) {
  str += Array(5 - str.length % 4).join('=');
  return str.replace(/-/g, '+').replace(/_/g, '/');
}
function base64urlEscape(str) {
  return str.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '');
}
export function base64urlDecode(str) {
  return utf8Text(nodeBase64Decode(base64urlUnescape(str)));
}
export function base64urlEncode(str) {
  if (typeof str !== 'string') {
    throw argTypeError('The first argument', 'of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object', str);
  }
  return base64urlEscape(base64(utf8(str)));
}
