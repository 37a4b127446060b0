function factory(api) {
  // atlassian-sign/atlassian-jwt: a drop-in for npm `atlassian-jwt@2.0.3` (same exports, same
  // signatures, same outputs, same throws), in Node and in browsers (no Node builtins).
  //
  // The canonical request is computed by this package's core (createCanonicalRequest), so where
  // atlassian-jwt disagrees with what Atlassian's servers hash, the server wins; the README's
  // "Where peers differ" table lists those cases. Everything else (the request objects, the
  // token bytes, the lenient decoding, the error messages) reproduces atlassian-jwt and the
  // Node built-ins it calls (url.parse, querystring, Buffer, crypto), so a program written
  // against atlassian-jwt runs unchanged.
  //
  // Build rule: this file is one function declaration; `api` is only called inside the
  // returned functions (in the browser the WebAssembly module loads later, via init()).

  var version = '2.0.3';

  // TypeScript enums compile to plain objects; the lookups below (SymmetricAlgorithm[alg])
  // therefore also see Object.prototype members, exactly as atlassian-jwt's do.
  var AsymmetricAlgorithm = { RS256: 'RS256' };
  var SymmetricAlgorithm = { HS256: 'HS256', HS384: 'HS384', HS512: 'HS512' };
  var signingMethods = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512', RS256: 'RSA-SHA256' };

  var hasOwn = Object.prototype.hasOwnProperty;
  var toTag = Object.prototype.toString;

  // ---------------------------------------------------------------------------------------
  // Errors as Node words them (the messages atlassian-jwt's callers see)
  // ---------------------------------------------------------------------------------------

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

  function argTypeError(what, expected, value) {
    var e = new TypeError(what + ' must be ' + expected + '. Received ' + received(value));
    e.code = 'ERR_INVALID_ARG_TYPE';
    return e;
  }

  var KEY_TYPES = 'of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey';

  // ---------------------------------------------------------------------------------------
  // Bytes: UTF-8 (Buffer.from(string), buf.toString()) and base64 as Node decodes it
  // ---------------------------------------------------------------------------------------

  var utf8Encoder = null;
  var utf8Decoder = null;
  function utf8(s) {
    if (!utf8Encoder) utf8Encoder = new TextEncoder();
    return utf8Encoder.encode(s); // lone surrogates become U+FFFD, as in Buffer.from(s)
  }
  function utf8Text(bytes) {
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
  function nodeBase64Decode(s) {
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

  function base64urlUnescape(str) {
    str += Array(5 - str.length % 4).join('=');
    return str.replace(/-/g, '+').replace(/_/g, '/');
  }
  function base64urlEscape(str) {
    return str.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '');
  }
  function base64urlDecode(str) {
    return utf8Text(nodeBase64Decode(base64urlUnescape(str)));
  }
  function base64urlEncode(str) {
    if (typeof str !== 'string') {
      throw argTypeError('The first argument', 'of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object', str);
    }
    return base64urlEscape(base64(utf8(str)));
  }

  // ---------------------------------------------------------------------------------------
  // Signatures: the core signs and checks a given signing input (jwsSign / jwsVerify), so the
  // header bytes stay atlassian-jwt's ({"typ","alg"}) and its lenient base64 still decodes.
  // ---------------------------------------------------------------------------------------

  var HMAC_ALGORITHM = { sha256: 'HS256', sha384: 'HS384', sha512: 'HS512' };

  // What crypto.createHmac accepts as a key.
  function hmacKey(key) {
    if (typeof key === 'string') return utf8(key);
    if (key instanceof ArrayBuffer) return new Uint8Array(key);
    if (ArrayBuffer.isView(key)) return new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
    if (key && typeof key === 'object' && key.type === 'secret' && typeof key.export === 'function') {
      return new Uint8Array(key.export()); // a Node KeyObject
    }
    throw argTypeError('The "key" argument', KEY_TYPES, key);
  }

  // What crypto.createSign().sign() and createVerify().verify() accept, as PEM text for the core.
  function rsaKeyText(key, nested) {
    if (typeof key === 'string') return key;
    if (key instanceof ArrayBuffer) key = new Uint8Array(key);
    if (ArrayBuffer.isView(key)) return utf8Text(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
    if (key && typeof key === 'object') {
      if (typeof key.export === 'function' && (key.type === 'private' || key.type === 'public')) {
        return String(key.export({ format: 'pem', type: key.type === 'private' ? 'pkcs8' : 'spki' }));
      }
      // Node's { key, passphrase, format, ... } form; encrypted keys are not supported here.
      if (!nested) return rsaKeyText(key.key, true);
    }
    throw argTypeError(nested ? 'The "key.key" property' : 'The "key" argument', KEY_TYPES, key);
  }

  function rsaVerifySha256(key, input, signatureSeg) {
    var sig = nodeBase64Decode(base64urlUnescape(signatureSeg));
    return api.jwsVerify(input, sig, rsaKeyText(key), 'RS256');
  }

  // ---------------------------------------------------------------------------------------
  // JWT (atlassian-jwt's algorithm checks, messages and order of checks)
  // ---------------------------------------------------------------------------------------

  function getAlgorithmFromString(raw) {
    switch (raw) {
      case 'HS256': return SymmetricAlgorithm.HS256;
      case 'HS384': return SymmetricAlgorithm.HS384;
      case 'HS512': return SymmetricAlgorithm.HS512;
      case 'RS256': return AsymmetricAlgorithm.RS256;
      default: return undefined;
    }
  }

  function validateSupportedAlgorithm(key, algorithm) {
    if (!key) throw new Error('Require key');
    var signingAlgorithm = algorithm || 'HS256';
    var alg = getAlgorithmFromString(signingAlgorithm);
    if (!alg) throw new Error('Algorithm "' + algorithm + '" is not supported');
    return [signingAlgorithm, signingMethods[alg]];
  }

  function validateAlgorithm(table, kind, algorithm, expected) {
    if (algorithm !== expected) throw new Error('Algorithm from the header "' + algorithm + '" does not match');
    if (!table[expected] || !table[algorithm]) {
      throw new Error('Algorithm from the header "' + algorithm + '" is not ' + kind);
    }
  }

  function sign(input, key, method) {
    if (method !== 'RSA-SHA256') return api.jwsSign(input, hmacKey(key), HMAC_ALGORITHM[method]);
    return api.jwsSign(input, rsaKeyText(key), 'RS256');
  }

  function verifySignature(headerSeg, payloadSeg, signatureSeg, key, algorithm) {
    var signingMethod = validateSupportedAlgorithm(key, algorithm)[1];
    var signingInput = headerSeg + '.' + payloadSeg;
    var verified;
    if (AsymmetricAlgorithm[algorithm]) {
      verified = rsaVerifySha256(key, signingInput, signatureSeg);
    } else {
      var expected = sign(signingInput, key, signingMethod);
      // atlassian-jwt compares Buffer.from(x, 'ascii') copies: one byte per UTF-16 unit
      // (its low byte), in constant time once the lengths match.
      verified = expected.length === signatureSeg.length;
      if (verified) {
        var diff = 0;
        for (var i = 0; i < expected.length; i++) diff |= (expected.charCodeAt(i) ^ signatureSeg.charCodeAt(i)) & 0xff;
        verified = diff === 0;
      }
    }
    if (!verified) {
      throw new Error('Signature verification failed for input: ' + signingInput + ' with method ' + signingMethod);
    }
  }

  function getTokenSegments(token) {
    var segments = token.split('.');
    if (segments.length !== 3) throw new Error('Not enough or too many JWT token segments; should be 3');
    return segments;
  }

  function getHeaderAndPayload(headerSeg, payloadSeg) {
    var header = JSON.parse(base64urlDecode(headerSeg));
    var payload = JSON.parse(base64urlDecode(payloadSeg));
    if (payload.aud && !Array.isArray(payload.aud)) payload.aud = [payload.aud];
    return [header, payload];
  }

  function decodeAsymmetric(token, key, signedAlgorithm, noVerify) {
    var s = getTokenSegments(token);
    var hp = getHeaderAndPayload(s[0], s[1]);
    validateAlgorithm(AsymmetricAlgorithm, 'asymmetric', hp[0].alg, signedAlgorithm);
    if (!noVerify) verifySignature(s[0], s[1], s[2], key, hp[0].alg);
    return hp[1];
  }

  function decodeSymmetric(token, key, signedAlgorithm, noVerify) {
    var s = getTokenSegments(token);
    var hp = getHeaderAndPayload(s[0], s[1]);
    var payload = hp[1];
    if (payload.aud && !Array.isArray(payload.aud)) payload.aud = [payload.aud];
    validateAlgorithm(SymmetricAlgorithm, 'symmetric', hp[0].alg, signedAlgorithm);
    if (!noVerify) verifySignature(s[0], s[1], s[2], key, hp[0].alg);
    return payload;
  }

  function getKeyId(token) {
    var s = getTokenSegments(token);
    var header = getHeaderAndPayload(s[0], s[1])[0];
    return header && header.kid;
  }

  function getAlgorithm(token) {
    var s = getTokenSegments(token);
    var header = getHeaderAndPayload(s[0], s[1])[0];
    return header && header.alg;
  }

  function encodeSymmetric(payload, key, algorithm) {
    var v = validateSupportedAlgorithm(key, algorithm);
    if (!SymmetricAlgorithm[v[0]]) throw new Error('Algorithm "' + algorithm + '" is not symmetric');
    var segments = [
      base64urlEncode(JSON.stringify({ typ: 'JWT', alg: v[0] })),
      base64urlEncode(JSON.stringify(payload)),
    ];
    segments.push(sign(segments.join('.'), key, v[1]));
    return segments.join('.');
  }

  function encodeAsymmetric(payload, key, algorithm, header) {
    var v = validateSupportedAlgorithm(key, algorithm);
    if (!AsymmetricAlgorithm[v[0]]) throw new Error('Algorithm "' + algorithm + '" is not asymmetric');
    var h = header ? { typ: 'JWT', alg: v[0], kid: header.kid } : { typ: 'JWT', alg: v[0] };
    var segments = [base64urlEncode(JSON.stringify(h)), base64urlEncode(JSON.stringify(payload))];
    segments.push(sign(segments.join('.'), key, v[1]));
    return segments.join('.');
  }

  // ---------------------------------------------------------------------------------------
  // Request objects: Node's legacy url.parse() and querystring.parse(), as atlassian-jwt
  // gets them. Each object also remembers (out of sight, in a WeakMap) the path and query as
  // written, so the canonical request hashes what goes on the wire.
  // ---------------------------------------------------------------------------------------

  var wire = new WeakMap();

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
  function legacyUrlParse(input) {
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
  function querystringParse(qs) {
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

  function fromExpressRequest(eReq) {
    var parsed = eReq.originalUrl ? legacyUrlParse(eReq.originalUrl) : null;
    var req = {
      method: eReq.method,
      pathname: parsed ? parsed.pathname : eReq.path,
      query: eReq.query,
      body: eReq.body,
    };
    if (parsed) wire.set(req, { pathname: parsed.pathname, path: parsed.wirePath, query: parsed.wireQuery, queryFromUrl: false });
    return req;
  }

  function fromMethodAndUrl(method, rawUrl) {
    var parsed = legacyUrlParse(rawUrl);
    var req = { method: method, pathname: parsed.pathname, query: querystringParse(parsed.search) };
    wire.set(req, { pathname: parsed.pathname, path: parsed.wirePath, query: parsed.wireQuery, queryFromUrl: false });
    return req;
  }

  function fromMethodAndPathAndBody(method, rawUrl, body) {
    var parsed = legacyUrlParse(rawUrl);
    var req = { method: method, pathname: parsed.pathname, body: body };
    // atlassian-jwt drops the URL's query here; the server does not (see canonicalQuery).
    wire.set(req, { pathname: parsed.pathname, path: parsed.wirePath, query: parsed.wireQuery, queryFromUrl: true });
    return req;
  }

  // ---------------------------------------------------------------------------------------
  // The canonical request
  // ---------------------------------------------------------------------------------------

  // lodash isEmpty, which atlassian-jwt asks of the query before it reads the body.
  function isEmpty(value) {
    if (value == null) return true;
    if (isArrayLike(value) && (Array.isArray(value) || typeof value === 'string' || typeof value.splice === 'function' ||
        isTypedArray(value) || toTag.call(value) === '[object Arguments]')) {
      return !value.length;
    }
    var tag = toTag.call(value);
    if (tag === '[object Map]' || tag === '[object Set]') return !value.size;
    if (isPrototype(value)) {
      for (var p in Object(value)) if (hasOwn.call(value, p) && p !== 'constructor') return false;
      return true;
    }
    for (var key in value) if (hasOwn.call(value, key)) return false;
    return true;
  }

  function isArrayLike(v) {
    if (v == null || typeof v === 'function') return false;
    var len = v.length;
    return typeof len === 'number' && len > -1 && len % 1 === 0 && len <= Number.MAX_SAFE_INTEGER;
  }
  function isTypedArray(v) {
    return ArrayBuffer.isView(v) && !(v instanceof DataView);
  }
  function isPrototype(v) {
    var C = v && v.constructor;
    return v === ((typeof C === 'function' && C.prototype) || Object.prototype);
  }

  // lodash keysIn, through which atlassian-jwt copies the parameters (_.extend({}, params)):
  // own and inherited enumerable keys; every index of an array-like.
  function keysIn(value) {
    var result = [];
    if (isArrayLike(value)) {
      var arr = Array.isArray(value);
      var args = toTag.call(value) === '[object Arguments]';
      var typed = isTypedArray(value);
      var skipIndexes = arr || args || typed;
      var len = value.length;
      if (skipIndexes) for (var i = 0; i < len; i++) result.push(String(i));
      for (var k in value) {
        if (skipIndexes && (k === 'length' || isIndex(k, len) ||
            (typed && (k === 'offset' || k === 'parent' || k === 'buffer' || k === 'byteLength' || k === 'byteOffset')))) {
          continue;
        }
        result.push(k);
      }
      return result;
    }
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
      for (var pk in Object(value)) result.push(pk);
      return result;
    }
    var proto = isPrototype(value);
    for (var ok in value) {
      if (!(ok === 'constructor' && (proto || !hasOwn.call(value, ok)))) result.push(ok);
    }
    return result;
  }

  function isIndex(k, len) {
    return /^(?:0|[1-9]\d*)$/.test(k) && Number(k) < len;
  }

  function encodeRfc3986(value) {
    return encodeURIComponent(value).replace(/[!'()]/g, function (c) {
      return '%' + c.charCodeAt(0).toString(16).toUpperCase();
    }).replace(/\*/g, '%2A');
  }

  // The parameters as atlassian-jwt walks them (the same reads, sorts and string conversions,
  // so the same things throw), written as a query string for the core. `hashed`: these are
  // the parameters the server hashes, so a __proto__ one is converted and kept too.
  function paramsQuery(params, hashed) {
    var entries = [];
    if (params) {
      var keys = keysIn(params);
      for (var i = 0; i < keys.length; i++) {
        if (keys[i] !== 'jwt') entries.push([keys[i], params[keys[i]]]);
      }
    }
    entries.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });
    var out = [];
    var proto = null;
    for (var j = 0; j < entries.length; j++) {
      var key = entries[j][0];
      var param = entries[j][1];
      // atlassian-jwt drops a parameter named __proto__; servers keep it (converted last, so
      // only this parameter's value can fail where atlassian-jwt does not).
      if (key === '__proto__') { proto = param; continue; }
      out.push(paramPairs(key, param));
    }
    if (hashed && entries.some(function (e) { return e[0] === '__proto__'; })) {
      // atlassian-jwt never touches this value: no in-place sort (the core sorts anyway).
      out.push(paramPairs('__proto__', Array.isArray(proto) ? proto.slice() : proto));
    }
    return out.join('&');
  }

  function paramPairs(key, param) {
    var values;
    if (Array.isArray(param)) {
      param.sort(); // in place, as atlassian-jwt does
      values = [];
      for (var i = 0; i < param.length; i++) values.push(encodeRfc3986(param[i]));
      if (values.length === 0) values.push('');
    } else {
      values = [encodeRfc3986(param)];
    }
    var name = encodeRfc3986(key);
    return values.map(function (v) { return name + '=' + v; }).join('&');
  }

  // Same names with the same values (in any order): the object still says what the URL says
  // (its names read as atlassian-jwt reads them, inherited ones included).
  function sameParams(a, b) {
    if (a === null || typeof a !== 'object') return false;
    var ka = keysIn(a);
    var kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (var i = 0; i < kb.length; i++) {
      if (!hasOwn.call(a, kb[i])) return false;
      var x = a[kb[i]];
      var y = b[kb[i]];
      if (typeof y === 'string') {
        if (x !== y) return false;
      } else {
        if (!Array.isArray(x) || x.length !== y.length) return false;
        var xs = x.slice().sort();
        var ys = y.slice().sort();
        for (var j = 0; j < ys.length; j++) if (xs[j] !== ys[j]) return false;
      }
    }
    return true;
  }

  // jsUri's path of the base URL (what atlassian-jwt strips), and its throw on a malformed
  // escape in the base URL's query.
  function basePathOf(baseUrl) {
    var s = String(baseUrl || '');
    var m = /^([^:/?#.]+):/.exec(s);
    if (m && !/^[^:@]+:[^:@/]*@/.test(s)) s = s.slice(m[0].length);
    if (s.slice(0, 2) === '//') s = s.slice(2);
    m = /^(?:[^:@/]*(?::[^:@]*)?)?@/.exec(s);
    if (m) s = s.slice(m[0].length);
    m = /^(?:\[[0-9a-fA-F:.]+\]|[^:/?#]*)/.exec(s);
    s = s.slice(m[0].length);
    m = /^:(?:\d+|(?=:))/.exec(s);
    if (m) s = s.slice(m[0].length);
    if (s[0] === ':') s = s.slice(1);
    var q = s.search(/[?#]/);
    var path = q === -1 ? s : s.slice(0, q);
    if (s[q] === '?') {
      var query = s.slice(q + 1).split('#')[0];
      if (query) {
        query.split(/[&;]/).forEach(function (p) {
          var n = p.indexOf('=');
          if (n !== 0) {
            var k = p.substring(0, n);
            var v = p.substring(n + 1);
            if (k) decodeURIComponent(k.replace(/\+/g, '%20'));
            if (v) decodeURIComponent(v.replace(/\+/g, '%20'));
          }
        });
      }
    }
    return path;
  }

  // A path handed to the core as a relative URL: the characters that would end or trim it
  // there are escaped the way a client sends them.
  function pathForCore(path) {
    return path.replace(/[\0-\x20\x7f#?]/g, function (c) {
      var h = c.charCodeAt(0).toString(16).toUpperCase();
      return '%' + (h.length < 2 ? '0' + h : h);
    });
  }

  // A query as sent, for the core: what would end or trim the URL there is escaped (a form
  // decoder reads a raw space and %20 alike).
  function queryForCore(query) {
    return query.replace(/[\0-\x20\x7f#]/g, function (c) {
      var h = c.charCodeAt(0).toString(16).toUpperCase();
      return '%' + (h.length < 2 ? '0' + h : h);
    });
  }

  // atlassian-jwt's canonical URI, kept for pathnames that are not strings (no server rule
  // applies to them).
  function legacyUri(path, basePath) {
    if (path && path.indexOf(basePath) === 0) path = path.slice(basePath.length);
    if (!path || path.length === 0) return '/';
    path = path.replace(/&/g, '%26');
    if (path[0] !== '/') path = '/' + path;
    if (path.length > 1 && path[path.length - 1] === '/') path = path.substring(0, path.length - 1);
    return path;
  }

  function createCanonicalRequest(req, checkBodyForParams, baseUrl) {
    var method = req.method.toUpperCase();
    var written = wire.get(req);
    var pathname = req.pathname;
    var basePath = basePathOf(baseUrl);
    var legacyPath = null;
    var path = '';
    if (pathname && typeof pathname !== 'string') {
      legacyPath = legacyUri(pathname, basePath);
    } else if (pathname) {
      path = written && written.pathname === pathname && written.path !== null ? written.path : pathname;
    }
    var queryParams = req.query;
    var useBody = checkBodyForParams && isEmpty(queryParams) && (method === 'POST' || method === 'PUT');
    // The query as sent, while the request object still says what its URL said.
    var wireQuery = null;
    if (written) {
      if (written.queryFromUrl) {
        if (queryParams === undefined && written.query !== null && !isEmpty(querystringParse(written.query))) {
          wireQuery = written.query;
        }
      } else if (!useBody && sameParams(queryParams, querystringParse(written.query))) {
        wireQuery = written.query || '';
      }
    }
    // Walked even when the URL's query is hashed instead: the same values are read, converted
    // and sorted in place as atlassian-jwt does, so the same inputs throw and change alike.
    var fromObject = paramsQuery(useBody ? req.body : queryParams, wireQuery === null);
    var query = wireQuery !== null ? queryForCore(wireQuery) : fromObject;
    var uri;
    var options;
    if (legacyPath !== null) {
      uri = '/';
      options = undefined;
    } else {
      // A pathname without a leading '/' is not a wire path; it gets one, and no base path is
      // stripped from it (atlassian-jwt's prefix test fails too for every base path that
      // starts with '/'; a base path that does not start with '/' is ignored).
      var rooted = path.charAt(0) === '/';
      uri = pathForCore(rooted ? path : '/' + path);
      options = rooted && basePath.charAt(0) === '/' ? { baseUrl: pathForCore(basePath) } : undefined;
    }
    // The method is uppercased here as atlassian-jwt does (the core accepts only HTTP tokens).
    var canonical = api.createCanonicalRequest('GET', uri + (query ? '?' + query : ''), options);
    var rest = canonical.slice('GET&'.length);
    if (legacyPath !== null) rest = legacyPath + rest.slice(1);
    return method + '&' + rest;
  }

  function createQueryStringHash(req, checkBodyForParams, baseUrl) {
    return api.hashCanonicalRequest(createCanonicalRequest(req, checkBodyForParams, baseUrl));
  }

  return {
    AsymmetricAlgorithm: AsymmetricAlgorithm,
    SymmetricAlgorithm: SymmetricAlgorithm,
    fromExpressRequest: fromExpressRequest,
    fromMethodAndUrl: fromMethodAndUrl,
    fromMethodAndPathAndBody: fromMethodAndPathAndBody,
    version: version,
    decodeAsymmetric: decodeAsymmetric,
    getKeyId: getKeyId,
    getAlgorithm: getAlgorithm,
    decodeSymmetric: decodeSymmetric,
    encodeSymmetric: encodeSymmetric,
    encodeAsymmetric: encodeAsymmetric,
    createCanonicalRequest: createCanonicalRequest,
    createQueryStringHash: createQueryStringHash,
  };
}

export { factory };
