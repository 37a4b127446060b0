// The canonical request, as atlassian-jwt's callers get it, computed by the core: the request
// objects (fromExpressRequest, fromMethodAndUrl, fromMethodAndPathAndBody), the parameters
// walked as atlassian-jwt walks them, and createCanonicalRequest / createQueryStringHash over
// api.createCanonicalRequest and api.hashCanonicalRequest (canonicalApi(api)).
import { legacyUrlParse, querystringParse } from './url.js';
import { hasOwn, isEmpty, keysIn } from './lodash.js';

// Each request object made here also remembers (out of sight) the path and query as written,
// so the canonical request hashes what goes on the wire. Module state: one map per bundle,
// which each entry point's one factory(api) call shares.
var wire = new WeakMap();

export function fromExpressRequest(eReq) {
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

export function fromMethodAndUrl(method, rawUrl) {
  var parsed = legacyUrlParse(rawUrl);
  var req = { method: method, pathname: parsed.pathname, query: querystringParse(parsed.search) };
  wire.set(req, { pathname: parsed.pathname, path: parsed.wirePath, query: parsed.wireQuery, queryFromUrl: false });
  return req;
}

export function fromMethodAndPathAndBody(method, rawUrl, body) {
  var parsed = legacyUrlParse(rawUrl);
  var req = { method: method, pathname: parsed.pathname, body: body };
  // atlassian-jwt drops the URL's query here; the server does not (see createCanonicalRequest, queryFromUrl).
  wire.set(req, { pathname: parsed.pathname, path: parsed.wirePath, query: parsed.wireQuery, queryFromUrl: true });
  return req;
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

/** The exports that call the core, over the package API (called only when they are). */
export function canonicalApi(api) {
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

  return { createCanonicalRequest, createQueryStringHash };
}
