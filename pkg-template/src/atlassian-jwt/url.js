// Request objects as atlassian-jwt builds them: Node's legacy url.parse() and
// querystring.parse(). legacyUrlParse also returns the path and query as written (before
// Node's auto-escaping), which canonical.js keeps so that the canonical request hashes what
// goes on the wire.
import { argTypeError } from './errors.js';
import { utf8Text } from './base64.js';

function isUrlSpace(c) {
  return c < 33 || c === 160 || c === 65279;
}
// Characters that are never part of a host (RFC 2396), # / ? end it.
var NON_HOST = ' "%\';<>\\^`{|}';
var AUTO_ESCAPE = { 9: '%09', 10: '%0A', 13: '%0D', 32: '%20', 34: '%22', 39: '%27', 60: '%3C', 62: '%3E', 92: '%5C', 94: '%5E', 96: '%60', 123: '%7B', 124: '%7C', 125: '%7D' };
var SLASHED = { 'http:': 1, 'https:': 1, 'ftp:': 1, 'gopher:': 1, 'file:': 1, 'ws:': 1, 'wss:': 1 };

function splitPathAndQuery(rest) {
  var hash = rest.indexOf('#');
  var end = hash === -1 ? rest.length : hash;
  var q = rest.slice(0, end).indexOf('?');
  var pathEnd = q === -1 ? end : q;
  return { path: pathEnd > 0 ? rest.slice(0, pathEnd) : null, query: q === -1 ? null : rest.slice(q + 1, end) };
}

function toASCIIHost(hostname) {
  for (var i = 0; i < hostname.length; i++) {
    if (hostname.charCodeAt(i) > 127) {
      try {
        return new URL('http://' + hostname + '/').hostname;
      } catch (e) {
        return '';
      }
    }
  }
  return hostname;
}

function invalidUrl(input) {
  var e = new TypeError('Invalid URL');
  e.code = 'ERR_INVALID_URL';
  e.input = input;
  return e;
}

// url.parse(input): { pathname, search } as Node computes them (escaped), and the same
// parts as written (wirePath, wireQuery) before Node's auto-escaping.
export function legacyUrlParse(input) {
  if (typeof input !== 'string') throw argTypeError('The "url" argument', 'of type string', input);
  var start = 0;
  var end = input.length;
  while (start < end && isUrlSpace(input.charCodeAt(start))) start++;
  while (end > start && isUrlSpace(input.charCodeAt(end - 1))) end--;
  var rest = '';
  var split = false;
  var hasHash = false;
  var hasAt = false;
  for (var i = start; i < end; i++) {
    var code = input.charCodeAt(i);
    if (!split) {
      if (code === 64) hasAt = true;
      else if (code === 35 || code === 63) { hasHash = hasHash || code === 35; split = true; }
      else if (code === 92) { rest += '/'; continue; }
    } else if (code === 35) {
      hasHash = true;
    }
    rest += input[i];
  }
  if (!hasHash && !hasAt) {
    var simple = /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/.exec(rest);
    if (simple) {
      var sq = simple[2] ? simple[2].slice(1) : null;
      return { pathname: simple[1], search: sq, wirePath: simple[1], wireQuery: sq };
    }
  }
  var proto = /^[a-z0-9.+-]+:/i.exec(rest);
  var lowerProto;
  if (proto) {
    proto = proto[0];
    lowerProto = proto.toLowerCase();
    rest = rest.slice(proto.length);
  }
  var slashes = false;
  if (proto || /^\/\/[^@/]+@[^@/]+/.test(rest)) {
    slashes = rest.charCodeAt(0) === 47 && rest.charCodeAt(1) === 47;
    if (slashes && lowerProto !== 'javascript:') rest = rest.slice(2);
  }
  var hostname = null;
  if (lowerProto !== 'javascript:' && (slashes || (proto && !SLASHED[proto]))) {
    var hostEnd = -1;
    var atSign = -1;
    var nonHost = -1;
    for (i = 0; i < rest.length; ++i) {
      code = rest.charCodeAt(i);
      if (code === 9 || code === 10 || code === 13) {
        rest = rest.slice(0, i) + rest.slice(i + 1);
        i -= 1;
      } else if (NON_HOST.indexOf(rest[i]) !== -1) {
        if (nonHost === -1) nonHost = i;
      } else if (code === 35 || code === 47 || code === 63) {
        if (nonHost === -1) nonHost = i;
        hostEnd = i;
        break;
      } else if (code === 64) {
        atSign = i;
        nonHost = -1;
      }
    }
    var hostStart = 0;
    if (atSign !== -1) {
      decodeURIComponent(rest.slice(0, atSign)); // url.parse decodes the auth part and throws URIError
      hostStart = atSign + 1;
    }
    var host;
    if (nonHost === -1) {
      host = rest.slice(hostStart);
      rest = '';
    } else {
      host = rest.slice(hostStart, nonHost);
      rest = rest.slice(nonHost);
    }
    var port = /:[0-9]*$/.exec(host);
    if (port) host = host.slice(0, host.length - port[0].length);
    hostname = host;
    var ipv6 = hostname.charCodeAt(0) === 91 && hostname.charCodeAt(hostname.length - 1) === 93;
    if (!ipv6) {
      for (i = 0; i < hostname.length; i++) {
        if ('/\\#?:'.indexOf(hostname[i]) !== -1) {
          rest = '/' + hostname.slice(i) + rest;
          hostname = hostname.slice(0, i);
          break;
        }
      }
    }
    hostname = hostname.length > 255 ? '' : hostname.toLowerCase();
    if (hostname !== '') {
      if (ipv6) {
        if (/[\0\t\n\r #%/<>?@\\^|]/.test(hostname)) throw invalidUrl(input);
      } else {
        hostname = toASCIIHost(hostname);
        if (hostname === '' || /[\0\t\n\r #%/:<>?@[\\\]^|]/.test(hostname)) throw invalidUrl(input);
      }
    }
    if (ipv6) {
      hostname = hostname.slice(1, -1);
      if (rest[0] !== '/') rest = '/' + rest;
    }
  }
  var written = splitPathAndQuery(rest);
  var escaped = written;
  if (lowerProto !== 'javascript:') {
    var out = '';
    for (i = 0; i < rest.length; i++) out += AUTO_ESCAPE[rest.charCodeAt(i)] || rest[i];
    escaped = splitPathAndQuery(out);
  }
  if (SLASHED[lowerProto] && hostname && !escaped.path) {
    escaped = { path: '/', query: escaped.query };
    written = { path: '/', query: written.query };
  }
  return { pathname: escaped.path, search: escaped.query, wirePath: written.path, wireQuery: written.query };
}

// querystring.parse(qs): '&' and '=', '+' is a space, at most 1000 pairs, a name repeated
// becomes an array. A name or value is decoded only when Node's scanner saw a %XX in it
// (its scanner also feeds the characters of an already-encoded name to the value's check),
// with decodeURIComponent and, when that throws, byte by byte (malformed escapes kept,
// other characters cut to one byte, as Node's unescapeBuffer does).
export function querystringParse(qs) {
  var obj = Object.create(null);
  if (typeof qs !== 'string' || qs.length === 0) return obj;
  var parts = qs.split('&');
  var pairs = 1000;
  for (var n = 0; n < parts.length; n++) {
    var part = parts[n];
    var last = n === parts.length - 1;
    if (part === '') {
      if (last || --pairs === 0) return obj;
      continue;
    }
    var keyEncoded = false;
    var valEncoded = false;
    var check = 0;
    var eq = -1;
    for (var i = 0; i < part.length; i++) {
      var c = part.charCodeAt(i);
      if (eq === -1) {
        if (c === 61) { eq = i; check = 0; continue; }
        if (!keyEncoded) {
          if (c === 37) { check = 1; continue; }
          if (check > 0) {
            if (hexValue(c) >= 0) {
              if (++check === 3) keyEncoded = true;
              continue;
            }
            check = 0;
          }
        }
        if (c === 43) continue;
      }
      if (c === 43 || valEncoded) continue;
      if (c === 37) check = 1;
      else if (check > 0) {
        if (hexValue(c) < 0) check = 0;
        else if (++check === 3) valEncoded = true;
      }
    }
    var key = (eq === -1 ? part : part.slice(0, eq)).replace(/\+/g, ' ');
    var value = (eq === -1 ? '' : part.slice(eq + 1)).replace(/\+/g, ' ');
    if (key.length > 0 && keyEncoded) key = unescapeQs(key);
    if (value.length > 0 && valEncoded) value = unescapeQs(value);
    var current = obj[key];
    if (current === undefined) obj[key] = value;
    else if (current.pop) current[current.length] = value;
    else obj[key] = [current, value];
    if (!last && --pairs === 0) return obj;
  }
  return obj;
}

function unescapeQs(s) {
  try {
    return decodeURIComponent(s);
  } catch (e) {
    var out = new Uint8Array(s.length);
    var k = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c === 37 && i < s.length - 2) {
        var hi = hexValue(s.charCodeAt(i + 1));
        var lo = hi < 0 ? -1 : hexValue(s.charCodeAt(i + 2));
        if (lo >= 0) {
          out[k++] = hi * 16 + lo;
          i += 2;
          continue;
        }
      }
      out[k++] = c & 0xff;
    }
    return utf8Text(out.subarray(0, k));
  }
}

function hexValue(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}
