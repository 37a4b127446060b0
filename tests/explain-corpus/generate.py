#!/usr/bin/env python3
"""Rebuild tests/explain-corpus/corpus.json from reports.json.

Each report in reports.json names a public source and one or more *cases*: the
request a person sent and the mistakes in it. This script plays both sides of
each exchange with implementations that are independent of atlassian-sign:

* OAuth 1.0a base strings and RSA-SHA1/HMAC-SHA1 signatures: oauthlib (RFC 5849),
  with the client-side mistakes applied to the pieces before oauthlib joins them.
* Connect qsh: a canonicaliser written here from shared/spec/QSH.md (the server
  rule); JWTs encoded with PyJWT.
* Trusted Applications v3 and RS256 tokens: the `cryptography` package.

Nothing here imports or runs this repository's package. Everything is
deterministic: RSA keys come from seeded prime searches, nonces and timestamps
from the entry id, so two runs write byte-identical files.

Usage:
    python generate.py             write corpus.json and pastes/
    python generate.py --check     fail if corpus.json or pastes/ would change
    python generate.py --selftest  check the canonicaliser and the oauthlib use
                                   against the published vectors in tests/vectors/
"""

import base64
import hashlib
import json
import os
import random
import sys
import urllib.parse
from types import SimpleNamespace

import jwt  # PyJWT
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from oauthlib.oauth1.rfc5849 import signature as oauth_sig
from oauthlib.oauth1.rfc5849 import utils as oauth_utils

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, '..', 'vectors')

# 2026-01-12T09:00:00Z: the refusing side's clock for every entry unless a case
# moves it. Fixed so that tokens, timestamps and Date headers never change.
NOW = 1768208400

# --------------------------------------------------------------------------
# Determinism helpers

def rng(seed):
    return random.Random(hashlib.sha256(seed.encode()).digest())


def hexid(seed, n=32):
    return hashlib.sha256(seed.encode()).hexdigest()[:n]


def uuid_from(seed):
    h = hexid('uuid:' + seed, 32)
    return f'{h[0:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}'


def http_date(ts):
    return email_date(ts)


def email_date(ts):
    import email.utils
    return email.utils.formatdate(ts, usegmt=True)


# --------------------------------------------------------------------------
# Deterministic RSA test keys (never real keys): primes from a seeded search.

_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p ** 0.5) + 1))]


def _probable_prime(n, r):
    for p in _SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(40):
        a = r.randrange(2, n - 2)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits, r):
    while True:
        c = r.getrandbits(bits) | (3 << (bits - 2)) | 1
        if (c - 1) % 65537 and _probable_prime(c, r):
            return c


_KEYS = {}


def rsa_key(seed, bits=2048):
    if seed not in _KEYS:
        r = rng('rsa-key:' + seed)
        p = _prime(bits // 2, r)
        q = _prime(bits // 2, r)
        while q == p:
            q = _prime(bits // 2, r)
        if p < q:
            p, q = q, p
        e = 65537
        d = pow(e, -1, (p - 1) * (q - 1))
        numbers = rsa.RSAPrivateNumbers(
            p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q),
            rsa.RSAPublicNumbers(e, p * q))
        _KEYS[seed] = numbers.private_key()
    return _KEYS[seed]


def private_pem(seed):
    return rsa_key(seed).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()


def public_pem(seed):
    return rsa_key(seed).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


# --------------------------------------------------------------------------
# Percent-encoding shared by both schemes (RFC 3986 unreserved set, UTF-8)

_UNRESERVED = set(b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~')


def enc(s):
    return ''.join(chr(b) if b in _UNRESERVED else '%%%02X' % b for b in s.encode('utf-8'))


def form_decode(s, charset='utf-8'):
    """application/x-www-form-urlencoded decoding of one name or value."""
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == '+':
            out.append(0x20)
            i += 1
        elif c == '%' and i + 3 <= len(s) and all(h in '0123456789abcdefABCDEF' for h in s[i + 1:i + 3]):
            out.append(int(s[i + 1:i + 3], 16))
            i += 3
        else:
            out.extend(c.encode('utf-8'))
            i += 1
    return bytes(out).decode(charset, errors='replace')


def parse_form(raw, charset='utf-8'):
    pairs = []
    for seg in (raw or '').split('&'):
        if not seg:
            continue
        name, _, value = seg.partition('=')
        pairs.append((form_decode(name, charset), form_decode(value, charset)))
    return pairs


# --------------------------------------------------------------------------
# Connect qsh, the server rule (shared/spec/QSH.md)

def qsh_canonical_path(wire_path, base_path=''):
    bp = (base_path or '').rstrip('/')
    p = wire_path or '/'
    if bp and (p == bp or p.startswith(bp + '/')):
        p = p[len(bp):]
    if len(p) > 1 and p.endswith('/'):
        p = p[:-1]
    if p == '':
        p = '/'
    p = p.replace('&', '%26')
    if not p.startswith('/'):
        p = '/' + p
    return p


def qsh_canonical_query(raw, *, plus_for_space=False, merge_repeated=True, drop_all=False):
    """Canonical query. The keyword flags reproduce client mistakes; the
    defaults are the server rule."""
    if drop_all:
        return ''
    pairs = [(n, v) for n, v in parse_form(raw) if n != 'jwt']

    def e(s):
        out = enc(s)
        return out.replace('%20', '+') if plus_for_space else out

    groups = {}
    for n, v in pairs:
        groups.setdefault(n, []).append(v)
    entries = []
    for name, values in groups.items():
        values = sorted(values, key=lambda s: s.encode('utf-16-be'))
        if merge_repeated:
            entries.append((e(name), ','.join(e(v) for v in values)))
        else:
            entries.extend((e(name), e(v)) for v in values)
    entries.sort(key=lambda kv: kv[0].encode())
    return '&'.join(f'{n}={v}' for n, v in entries)


def qsh_of(canonical):
    return hashlib.sha256(canonical.encode('utf-8')).hexdigest()


def split_url(url):
    u = urllib.parse.urlsplit(url)
    return u.scheme, u.netloc, u.path or '/', u.query


# --------------------------------------------------------------------------
# OAuth 1.0a through oauthlib

class _Signer(SimpleNamespace):
    pass


def oauth_sign(method_name, base_string, *, private_key=None, consumer_secret='', token_secret=''):
    if method_name == 'RSA-SHA1':
        return oauth_sig.sign_rsa_sha1_with_client(base_string, _Signer(rsa_key=private_key))
    if method_name == 'HMAC-SHA1':
        return oauth_sig.sign_hmac_sha1_with_client(
            base_string, _Signer(client_secret=consumer_secret, resource_owner_secret=token_secret))
    raise ValueError(method_name)


def oauth_base_uri(url):
    scheme, netloc, path, _ = split_url(url)
    return oauth_sig.base_string_uri(urllib.parse.urlunsplit((scheme, netloc, path, '', '')))


def oauth_server_base_string(method, url, oauth_params, body_params, charset='utf-8'):
    """What net.oauth computes: RFC 5849 over the URL the server rebuilt."""
    _, _, _, query = split_url(url)
    params = parse_form(query, charset) + list(oauth_params) + list(body_params)
    params = [(k, v) for k, v in params if k not in ('oauth_signature', 'realm')]
    normalized = oauth_sig.normalize_parameters(params)
    return oauth_sig.signature_base_string(method, oauth_base_uri(url), normalized)


def client_normalize(params, mistakes):
    """A client's parameter normalisation, with its bugs."""
    ps = list(params)
    if 'OAUTH_REPEATED_COLLAPSED' in mistakes:
        seen = {}
        for k, v in ps:
            seen[k] = v
        ps = list(seen.items())
    if 'OAUTH_REPEATED_RENAMED' in mistakes:
        counts = {}
        for k, _ in ps:
            counts[k] = counts.get(k, 0) + 1
        index = {}
        renamed = []
        for k, v in ps:
            if counts[k] > 1 and not k.startswith('oauth_'):
                i = index.get(k, 0)
                index[k] = i + 1
                renamed.append((f'{k}[{i}]', v))
            else:
                renamed.append((k, v))
        ps = renamed

    def e(s, is_oauth):
        if 'OAUTH_ENCODING_LAYER_MISSING' in mistakes:
            return s
        out = enc(s)
        if 'OAUTH_DOUBLE_ENCODED' in mistakes and not is_oauth:
            out = enc(out)
        if 'OAUTH_PLUS_FOR_SPACE' in mistakes:
            out = out.replace('%20', '+')
        if 'OAUTH_LITERAL_PLUS_AS_SPACE' in mistakes:
            out = out.replace('%2B', '%20')
        return out

    if 'OAUTH_SORT_BEFORE_ENCODING' in mistakes:
        ps.sort()
        pairs = [(e(k, k.startswith('oauth_')), e(v, k.startswith('oauth_'))) for k, v in ps]
    else:
        pairs = [(e(k, k.startswith('oauth_')), e(v, k.startswith('oauth_'))) for k, v in ps]
        pairs.sort()
    return '&'.join(f'{k}={v}' for k, v in pairs)


def oauth_header(params, raw_signature=False):
    parts = []
    for k, v in params:
        if k == 'oauth_signature' and raw_signature:
            parts.append(f'{k}="{v}"')
        else:
            parts.append(f'{k}="{enc(v)}"')
    return 'OAuth ' + ', '.join(parts)


def parse_oauth_header(value):
    """How the server reads it: percent-decoding as java.net.URLDecoder does
    (`+` becomes a space)."""
    assert value.startswith('OAuth ')
    out = []
    for item in oauth_utils.parse_http_list(value[6:]):
        k, _, v = item.strip().partition('=')
        v = v.strip().strip('"')
        out.append((k, form_decode(v)))
    return out


def oauth_problem_body(pairs):
    return '&'.join(f'{enc(k)}={enc(v)}' for k, v in pairs)


def oauth_www_authenticate(realm, pairs):
    items = [f'realm="{enc(realm)}"'] + [f'{enc(k)}="{enc(v)}"' for k, v in pairs]
    return 'OAuth ' + ', '.join(items)


# --------------------------------------------------------------------------
# Products: base URLs, default answers

JIRA_401_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><status><status-code>401</status-code>'
                '<message>Client must be authenticated to access this resource.</message></status>')
JIRA_ANON_401_JSON = ('{"errorMessages":["You are not authenticated. Authentication required to perform this operation."],'
                      '"errors":{}}')


def resp(status, headers, body, date):
    h = {'Date': http_date(date)}
    h.update(headers)
    return {'status': status, 'headers': h, 'body': body}


def req_headers(host, extra, ua='python-requests/2.31.0'):
    h = {'Host': host, 'User-Agent': ua, 'Accept': 'application/json'}
    h.update(extra)
    return h


def with_body(headers, body, content_type):
    if body is not None:
        headers['Content-Type'] = content_type
        headers['Content-Length'] = str(len(body.encode('utf-8')))
    return headers


def join_url(base, path, query):
    scheme, netloc, _, _ = split_url(base)
    url = f'{scheme}://{netloc}{path}'
    return url + ('?' + query if query else '')


# --------------------------------------------------------------------------
# Connect, app -> product

def build_connect_out(eid, c):
    product = c.get('product', 'jira-cloud')
    base = c['baseUrl']
    _, host, base_path, _ = split_url(base)
    method = c['method']
    path = c['path']
    query = c.get('query', '')
    body = c.get('body')
    ctype = c.get('contentType', 'application/json')
    m = set(c['mistakes'])
    a = c.get('args', {})
    now = NOW

    app_key = a.get('appKey', 'com.example.' + eid.split('-')[0].lower() + '-app')
    client_key = a.get('clientKey', uuid_from(eid + ':client'))
    secret = a.get('sharedSecret', 'shh-' + hexid(eid + ':secret', 40))
    access_key = a.get('accessKey', 'amlyYTox' + hexid(eid + ':zak', 24))
    account_id = a.get('accountId', '5b10ac8d82e05b22cc7d4ef5')

    # The client's canonical request, with its mistakes.
    c_method = a.get('signedMethod', method) if 'QSH_METHOD' in m else method
    if 'QSH_CONTEXT_PATH_NOT_STRIPPED' in m:
        c_path = qsh_canonical_path(path, '')
    elif 'QSH_PATH_TRUNCATED' in m:
        c_path = qsh_canonical_path(a['signedPath'], '')
    else:
        c_path = qsh_canonical_path(path, base_path)
    if 'QSH_AMPERSAND_IN_PATH' in m:
        c_path = c_path.replace('%26', '&')
    c_query = qsh_canonical_query(
        a.get('signedQuery', query),
        plus_for_space='QSH_PLUS_FOR_SPACE' in m,
        merge_repeated='QSH_REPEATED_NOT_MERGED' not in m,
        drop_all='QSH_QUERY_LEFT_OUT' in m)
    client_canonical = f'{c_method.upper()}&{c_path}&{c_query}'

    # The server's canonical request: from the request as it arrives.
    s_path = a.get('serverPath', path) if 'QSH_PROXY_REENCODES_PATH' in m else path
    server_canonical = f'{method.upper()}&{qsh_canonical_path(s_path, base_path)}&{qsh_canonical_query(query)}'

    iat = now - 30
    exp = iat + 180
    if 'JWT_EXPIRED' in m:
        iat = now - a.get('expiredBy', 900) - 180
        exp = iat + 180
    if 'JWT_IAT_MILLISECONDS' in m:
        iat, exp = iat * 1000, exp * 1000
    iss = app_key
    if product == 'zephyr':
        iss = access_key
    if 'JWT_ISS_CLIENTKEY' in m:
        iss = client_key
    if 'JWT_ISS_WRONG' in m:
        iss = a['iss']
    claims = {'iss': iss, 'iat': iat, 'exp': exp, 'qsh': qsh_of(client_canonical)}
    if product == 'bitbucket-cloud':
        claims['sub'] = a.get('sub', client_key) if 'JWT_SUB_WRONG' in m else client_key
    if product == 'zephyr':
        claims['sub'] = a.get('sub', account_id) if 'JWT_SUB_WRONG' in m else account_id
    if a.get('extraClaims'):
        claims.update(a['extraClaims'])
    sign_secret = a.get('signedWith', secret + '\n') if 'JWT_WRONG_SECRET' in m else secret
    token = jwt.encode(claims, sign_secret, algorithm='HS256')

    extra = {}
    url_query = query
    if 'JWT_AUTH_SCHEME_BEARER' in m:
        extra['Authorization'] = 'Bearer ' + token
    elif 'JWT_AUTH_SCHEME_TOKEN_EQ' in m:
        extra['Authorization'] = 'JWT token=' + token
    elif 'JWT_QUERY_PARAM_IGNORED' in m:
        url_query = (query + '&' if query else '') + 'jwt=' + token
    elif 'JWT_QUERY_SECOND_QMARK' in m:
        # the client appended '?jwt=' to a URL that already had a query: the
        # token became part of the last parameter's value
        url_query = query + '?jwt=' + token
    else:
        extra['Authorization'] = 'JWT ' + token
    if product == 'zephyr':
        extra['zapiAccessKey'] = access_key
    headers = with_body(req_headers(host, extra, a.get('userAgent', 'python-requests/2.31.0')), body, ctype)
    url = join_url(base, path, url_query)

    # The product's answer: it reads the token, checks iss, signature, time, qsh.
    known_iss = access_key if product == 'zephyr' else app_key
    token_read = not ({'JWT_AUTH_SCHEME_BEARER', 'JWT_AUTH_SCHEME_TOKEN_EQ', 'JWT_QUERY_PARAM_IGNORED',
                       'JWT_QUERY_SECOND_QMARK'} & m)
    if 'response' in c:
        r = c['response']
        response = resp(r['status'], r.get('headers', {'Content-Type': 'application/json;charset=UTF-8'}), r['body'], now)
    elif not token_read:
        response = resp(401, {'Content-Type': 'application/json;charset=UTF-8'}, JIRA_ANON_401_JSON, now)
    elif iss != known_iss or 'JWT_WRONG_SECRET' in m or 'JWT_EXPIRED' in m \
            or 'JWT_IAT_MILLISECONDS' in m or 'JWT_SUB_WRONG' in m:
        response = resp(401, {'Content-Type': 'application/xml;charset=UTF-8'}, JIRA_401_XML, now)
    elif qsh_of(client_canonical) != qsh_of(server_canonical):
        msg = (f"Expecting claim 'qsh' to have value '{qsh_of(server_canonical)}' "
               f"but instead it has the value '{qsh_of(client_canonical)}'")
        if a.get('logLine'):
            msg = a['logLine'].replace('{message}', msg)
        response = resp(401, {'Content-Type': 'text/plain;charset=UTF-8'}, msg, now)
    else:
        raise SystemExit(f'{eid}: the product would accept this request; check its mistakes')

    creds = {'sharedSecret': secret, 'appKey': app_key, 'clientKey': client_key}
    if product == 'zephyr':
        creds = {'sharedSecret': secret, 'accessKey': access_key, 'accountId': account_id}
    if product == 'bitbucket-cloud':
        creds['clientKey'] = client_key
    creds = pick(creds, c.get('credentials'))
    truth = {'server': {'canonicalRequest': server_canonical, 'qsh': qsh_of(server_canonical)},
             'client': {'canonicalRequest': client_canonical, 'qsh': qsh_of(client_canonical),
                        'claims': claims}}
    inp = {'request': {'method': method, 'url': url, 'headers': headers, 'body': body},
           'response': response, 'baseUrl': base, 'credentials': creds}
    return inp, truth


def pick(creds, wanted):
    if wanted is None:
        return creds
    return {k: v for k, v in creds.items() if k in wanted}


# --------------------------------------------------------------------------
# Connect, product -> app (the app's verifier refused)

ACE_QSH = 'Auth failure: Query hash mismatch: Received: "{tok}" but calculated "{app}". Canonical query was: "{canon}'


def build_connect_in(eid, c):
    app_base = c['baseUrl']
    _, host, app_base_path, _ = split_url(app_base)
    method = c['method']
    path = c['path']
    query = c.get('query', '')
    body = c.get('body')
    ctype = c.get('contentType', 'application/x-www-form-urlencoded')
    m = set(c['mistakes'])
    a = c.get('args', {})
    verifier = c.get('verifier', 'ace')
    now = NOW

    client_key = a.get('clientKey', 'jira:' + uuid_from(eid + ':client'))
    secret = a.get('sharedSecret', 'shh-' + hexid(eid + ':secret', 40))

    # The product signs the request it makes (relative to the app's baseUrl).
    if 'CONNECT_PAGE_TOKEN_REUSED' in m:
        t = a['tokenFor']
        prod_canonical = (f"{t['method']}&{qsh_canonical_path(t['path'], app_base_path)}&"
                          f"{qsh_canonical_query(t.get('query', ''))}")
    elif 'QSH_VERIFIER_PATH_NOT_DECODED' in m:
        # the product hashed the decoded path; the app's verifier (below) the path as received
        prod_canonical = (f'{method}&{qsh_canonical_path(urllib.parse.unquote(path), app_base_path)}&'
                          f'{qsh_canonical_query(query)}')
    else:
        prod_canonical = f'{method}&{qsh_canonical_path(path, app_base_path)}&{qsh_canonical_query(query)}'
    token_qsh = 'context-qsh' if 'CONNECT_CONTEXT_TOKEN_REJECTED' in m else qsh_of(prod_canonical)
    iat = now - 20
    exp = iat + 180
    if 'CONNECT_PAGE_TOKEN_EXPIRED' in m:
        iat = now - a.get('age', 1500)
        exp = iat + 900
    if 'JWT_CLOCK_SKEW' in m:
        # skew > 0: the app's clock is ahead (token already expired for it);
        # skew < 0: the app's clock is behind (token issued in its future)
        iat = now - a.get('skew', 240) + 5 if a.get('skew', 240) > 0 else now - a['skew']
        exp = iat + 180
    claims = {'sub': a.get('sub', '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077'), 'qsh': token_qsh,
              'iss': client_key, 'context': {}, 'exp': exp, 'iat': iat}
    alg_key = secret
    if 'CONNECT_INSTALL_NOT_RS256' in m:
        claims = {'iss': client_key, 'qsh': qsh_of(prod_canonical), 'iat': iat, 'exp': exp,
                  'sub': claims['sub'], 'context': {}}
    if 'CONNECT_INSTALL_AUD_MISMATCH' in m:
        # the signed install callback (RS256, kid from Atlassian's key CDN); aud is the
        # baseUrl of the descriptor the product installed
        claims = {'iss': client_key, 'aud': [a['aud']], 'qsh': qsh_of(prod_canonical), 'iat': iat, 'exp': exp,
                  'sub': claims['sub'], 'context': {}}
        token = jwt.encode(claims, private_pem('connect-install-cdn'), algorithm='RS256',
                           headers={'kid': a.get('kid', uuid_from(eid + ':kid'))})
    else:
        token = jwt.encode(claims, alg_key, algorithm='HS256')

    extra = {}
    url_query = query
    if 'CONNECT_TOKEN_MISSING' in m:
        pass
    elif a.get('tokenIn') == 'query':
        url_query = (query + '&' if query else '') + 'jwt=' + token
    elif a.get('tokenIn') == 'form':
        body = (body + '&' if body else '') + 'jwt=' + token
    else:
        extra['Authorization'] = 'JWT ' + token
    headers = with_body(req_headers(host, extra, a.get('userAgent', 'Atlassian HttpClient 3.0.0 / JIRA-1001.0.0-SNAPSHOT (100207) / Default')), body, ctype)
    url = join_url(app_base, path, url_query)

    # The app's verifier, with its mistakes.
    verify_secret = secret
    if 'JWT_WRONG_SECRET' in m:
        verify_secret = a.get('storedSecret', 'shh-' + hexid(eid + ':stale', 40))
    if 'QSH_ROUTER_LOCAL_PATH' in m:
        v_path = qsh_canonical_path(path[len(a['mount']):] or '/', '')
    elif 'QSH_CONTEXT_PATH_NOT_STRIPPED' in m:
        v_path = qsh_canonical_path(path, '')
    else:
        v_path = qsh_canonical_path(path, app_base_path)
    v_query = query + ('&' + body if a.get('tokenIn') == 'form' and body else '') if a.get('verifierReadsForm') else query
    app_canonical = f'{method}&{v_path}&{qsh_canonical_query(v_query)}'

    if 'CONNECT_TOKEN_MISSING' in m:
        status, body_out = 401, 'Unauthorized: Could not find authentication data on request'
    elif 'CONNECT_INSTALL_NOT_RS256' in m:
        status, body_out = 401, a.get('message', 'Unauthorized: installation token is not RS256-signed (alg "HS256", no "kid")')
    elif 'JWT_WRONG_SECRET' in m:
        status, body_out = 401, f'Unauthorized: Unable to decode JWT token: Error: Signature verification failed for input: {token} with method sha256'
    elif {'CONNECT_PAGE_TOKEN_EXPIRED', 'JWT_CLOCK_SKEW'} & m:
        status, body_out = 401, 'Authentication verification error: 401 Authentication request has expired. Try reloading the page.'
    elif 'CONNECT_INSTALL_AUD_MISMATCH' in m:
        status, body_out = 401, 'Invalid audience'
    elif 'CONNECT_URL_TOKEN_REJECTED' in m:
        status, body_out = 403, a.get('message', '')
    elif 'CONNECT_CONTEXT_TOKEN_REJECTED' in m:
        status, body_out = 403, a.get('message', '')
    else:
        if qsh_of(app_canonical) == token_qsh:
            raise SystemExit(f'{eid}: the app would accept this request; check its mistakes')
        if a.get('format'):
            status, body_out = a.get('status', 401), a['format'].format(tok=token_qsh, app=qsh_of(app_canonical), canon=app_canonical)
        elif verifier == 'ace':
            status, body_out = 401, ACE_QSH.format(tok=token_qsh, app=qsh_of(app_canonical), canon=app_canonical)
        else:  # the Java verifier (atlassian-connect-spring-boot) uses the products' message
            status, body_out = 401, (f"Expecting claim 'qsh' to have value '{qsh_of(app_canonical)}' "
                                     f"but instead it has the value '{token_qsh}'")
    if 'messageOverride' in a:  # the verifier's own wording, as the report quotes it
        status = a.get('status', status)
        body_out = a['messageOverride'].format(token=token, tok=token_qsh, app=qsh_of(app_canonical))
    if 'logPrefix' in a:
        body_out = a['logPrefix'] + body_out
    response = resp(status, {'Content-Type': 'text/plain; charset=utf-8'}, body_out, now)
    creds = pick({'sharedSecret': secret, 'clientKey': client_key}, c.get('credentials'))
    truth = {'signer': {'canonicalRequest': prod_canonical, 'qsh': token_qsh, 'claims': claims},
             'verifier': {'canonicalRequest': app_canonical, 'qsh': qsh_of(app_canonical)}}
    inp = {'request': {'method': method, 'url': url, 'headers': headers, 'body': body},
           'response': response, 'baseUrl': app_base, 'credentials': creds}
    return inp, truth


# --------------------------------------------------------------------------
# OAuth 1.0a

OAUTH_TRANSIT = {'OAUTH_PROXY_SCHEME', 'OAUTH_PROXY_HOST', 'OAUTH_PROXY_PORT',
                 'OAUTH_QUERY_STRIPPED_IN_TRANSIT', 'OAUTH_METHOD_REWRITTEN', 'OAUTH_LATIN1_QUERY'}


def build_oauth(eid, c):
    link = c['linkUrl']                 # what the client signs against
    server_base = c.get('serverSees', link)  # what Tomcat reports (getRequestURL)
    method = c['method']
    path = c['path']
    query = c.get('query', '')
    body = c.get('body')
    ctype = c.get('contentType', 'application/x-www-form-urlencoded')
    m = set(c['mistakes'])
    a = c.get('args', {})
    now = NOW
    sig_method = 'HMAC-SHA1' if 'OAUTH_HMAC_FOR_RSA_CONSUMER' in m else c.get('signatureMethod', 'RSA-SHA1')
    consumer_key = c.get('consumerKey', 'oauth-' + hexid(eid + ':ck', 12))
    token = c.get('token', hexid(eid + ':token', 32))
    consumer_secret = a.get('consumerSecret', hexid(eid + ':cs', 24))
    token_secret = a.get('tokenSecret', hexid(eid + ':ts', 24))
    key_seed = a.get('keySeed', 'consumer:' + eid.split('-')[0])
    link_key_seed = a.get('linkKeySeed', 'other:' + eid) if 'OAUTH_WRONG_KEY' in m else key_seed
    ts = now - 2
    if 'OAUTH_TIMESTAMP_REFUSED' in m:
        ts = now + a.get('clockOffset', -600)
    nonce = a.get('nonce', hexid(eid + ':nonce', 32))

    oauth_params = [('oauth_consumer_key', consumer_key), ('oauth_nonce', nonce),
                    ('oauth_signature_method', sig_method), ('oauth_timestamp', str(ts))]
    if token:
        oauth_params.append(('oauth_token', token))
    if a.get('callback'):
        oauth_params.append(('oauth_callback', a['callback']))
    if a.get('verifier'):
        oauth_params.append(('oauth_verifier', a['verifier']))
    oauth_params.append(('oauth_version', '1.0'))
    oauth_params.sort()

    # --- the client's base string
    c_method = a.get('signedMethod', method) if 'OAUTH_METHOD' in m else method
    c_url = join_url(link, path, '')
    if 'OAUTH_DEFAULT_PORT_KEPT' in m:
        sch, netloc, _, _ = split_url(link)
        c_base_uri = f"{sch}://{netloc.split(':')[0]}:{443 if sch == 'https' else 80}{path}"
    elif 'OAUTH_PORT_DROPPED' in m:
        sch, netloc, _, _ = split_url(link)
        c_base_uri = f"{sch}://{netloc.split(':')[0]}{path}"
    else:
        c_base_uri = oauth_base_uri(c_url)
    if 'OAUTH_PATH_PREFIX_DROPPED' in m or 'OAUTH_PATH_DECODED' in m:
        c_base_uri = c_base_uri[:len(c_base_uri) - len(path)] + a['signedPath']
    c_query = a.get('signedQuery', query)
    if 'OAUTH_PLUS_NOT_DECODED' in m:
        c_query = c_query.replace('+', '%2B')
    c_query_params = [] if 'OAUTH_QUERY_LEFT_OUT' in m else parse_form(c_query)
    is_form = body is not None and ctype.startswith('application/x-www-form-urlencoded')
    c_body_params = parse_form(body) if is_form and 'OAUTH_BODY_LEFT_OUT' not in m else []
    for attempt in range(64):
        if attempt:  # the signature must contain a '+' for this mistake to show
            nonce = hexid(f'{eid}:nonce:{attempt}', 32)
            oauth_params = sorted([(k, nonce if k == 'oauth_nonce' else v) for k, v in oauth_params])
        c_params = c_query_params + oauth_params + c_body_params
        c_normalized = client_normalize(c_params, m - {'OAUTH_REPEATED_RENAMED'} if a.get('renamedOnWire') else m)
        client_base = f'{enc(c_method.upper())}&{enc(c_base_uri)}&{enc(c_normalized)}'
        signature = oauth_sign(sig_method, client_base, private_key=private_pem(key_seed),
                               consumer_secret=consumer_secret, token_secret=token_secret if token else '')
        if 'OAUTH_SIGNATURE_PLUS_SPACE' not in m or '+' in signature:
            break

    # --- the request as sent
    scheme, host, _, _ = split_url(link)
    url = join_url(link, path, query)
    header_params = oauth_params + [('oauth_signature', signature)]
    extra = {}
    if 'OAUTH_HEADER_NOT_SENT' not in m:
        extra['Authorization'] = oauth_header(sorted(header_params), raw_signature='OAUTH_SIGNATURE_PLUS_SPACE' in m)
    headers = with_body(req_headers(host, extra, a.get('userAgent', 'python-requests/2.31.0')), body, ctype)

    # --- what the server sees
    s_method = a.get('serverMethod', 'GET') if 'OAUTH_METHOD_REWRITTEN' in m else method
    s_query = '' if 'OAUTH_QUERY_STRIPPED_IN_TRANSIT' in m else query
    s_url = join_url(server_base, path, s_query)
    charset = 'latin-1' if 'OAUTH_LATIN1_QUERY' in m else 'utf-8'
    received = parse_oauth_header(extra['Authorization']) if 'Authorization' in extra else []
    received_sig = dict(received).get('oauth_signature')
    s_oauth = [(k, v) for k, v in received if k.startswith('oauth_')]
    s_body = parse_form(body) if is_form else []
    server_base_string = oauth_server_base_string(s_method, s_url, s_oauth, s_body, charset)
    # net.oauth answers with the realm of the product's configured base URL (the public one)
    realm = a.get('realm', oauth_base_uri(link + '/').rstrip('/'))

    problem = None
    status = 401
    extra_pairs = []
    if 'OAUTH_HEADER_NOT_SENT' in m:
        response = resp(401, {'Content-Type': 'application/json;charset=UTF-8'},
                        a.get('anonymousBody', JIRA_ANON_401_JSON), now)
    else:
        if 'OAUTH_CONSUMER_KEY_UNKNOWN' in m:
            problem = 'consumer_key_unknown'
        elif 'OAUTH_HMAC_FOR_RSA_CONSUMER' in m:
            problem, status = 'signature_method_rejected', 400
            extra_pairs = [('oauth_acceptable_signature_methods', 'RSA-SHA1')]
        elif 'OAUTH_TIMESTAMP_REFUSED' in m:
            problem, status = 'timestamp_refused', 400
            extra_pairs = [('oauth_acceptable_timestamps', f'{now - 300}-{now + 300}')]
        elif 'OAUTH_NONCE_REUSED' in m:
            problem = 'nonce_used'
        elif 'OAUTH_TOKEN_REJECTED' in m:
            problem = 'token_rejected'
        else:
            verifies = verify_oauth(server_base_string, received_sig, link_key_seed)
            if verifies:
                raise SystemExit(f'{eid}: the server would accept this request; check its mistakes')
            problem = 'signature_invalid'
            extra_pairs = [('oauth_signature', received_sig or ''),
                           ('oauth_signature_base_string', server_base_string),
                           ('oauth_signature_method', sig_method)]
        pairs = [('oauth_problem', problem)] + extra_pairs
        response = resp(status, {'WWW-Authenticate': oauth_www_authenticate(realm, pairs),
                                 'Content-Type': 'text/plain;charset=UTF-8'}, oauth_problem_body(pairs), now)

    creds = {'consumerKey': consumer_key}
    if sig_method == 'RSA-SHA1' or 'OAUTH_HMAC_FOR_RSA_CONSUMER' in m:
        creds['privateKey'] = private_pem(key_seed)
    if sig_method == 'HMAC-SHA1':
        creds['consumerSecret'] = consumer_secret
    if token:
        creds['token'] = token
        if sig_method == 'HMAC-SHA1':
            creds['tokenSecret'] = token_secret
    if 'OAUTH_WRONG_KEY' in m or 'publicKey' in (c.get('credentials') or []):
        creds['publicKey'] = public_pem(link_key_seed)  # the key the Application Link holds
    creds = pick(creds, c.get('credentials'))
    truth = {'server': {'url': s_url, 'method': s_method, 'baseString': server_base_string},
             'client': {'baseString': client_base, 'signature': signature}}
    inp = {'request': {'method': method, 'url': url, 'headers': headers, 'body': body},
           'response': response, 'baseUrl': link, 'credentials': creds}
    return inp, truth


def verify_oauth(base_string, sig, key_seed):
    if not sig:
        return False
    try:
        rsa_key(key_seed).public_key().verify(base64.b64decode(sig), base_string.encode('ascii'),
                                              padding.PKCS1v15(), hashes.SHA1())
        return True
    except Exception:
        return False


# --------------------------------------------------------------------------
# Trusted Applications v3

TA_MAGIC = '-1159983122'


def build_trusted_apps(eid, c):
    link = c['linkUrl']
    server = c['serverUrl']
    method = c.get('method', 'GET')
    path = c['path']
    query = c.get('query', '')
    m = set(c['mistakes'])
    a = c.get('args', {})
    now = NOW
    app_id = a.get('applicationId', 'jira:' + str(int(hexid(eid + ':appid', 7), 16)))
    user = a.get('username', 'admin')
    key_seed = 'trusted-app:' + eid.split('-')[0]
    ts_ms = (now - 1) * 1000
    if 'TA_OLD_CERT' in m:  # the sender's clock is behind (or its time zone wrong)
        ts_ms = (now + a.get('clockOffset', -300)) * 1000
    signed_url = join_url(link, path, query)
    server_url = join_url(server, path, query)
    sig = rsa_key(key_seed).sign(f'{ts_ms}\n{signed_url}\n{user}'.encode('utf-8'), padding.PKCS1v15(), hashes.SHA1())
    cert = base64.b64encode(f'{ts_ms}\n{user}\n{TA_MAGIC}'.encode()).decode()
    _, host, _, _ = split_url(link)
    headers = req_headers(host, {
        'X-Seraph-Trusted-App-ID': app_id,
        'X-Seraph-Trusted-App-Version': '3',
        'X-Seraph-Trusted-App-Cert': cert,
        'X-Seraph-Trusted-App-Signature': base64.b64encode(sig).decode(),
    }, a.get('userAgent', 'Apache-HttpClient/4.5.13 (Java/11.0.16)'))
    if 'TA_BAD_REMOTE_IP' in m:
        err = 'BAD_REMOTE_IP;\tRequest not allowed from IP address: {0};\t["%s"]' % a['remoteIp']
    elif 'TA_OLD_CERT' in m:
        err = ('OLD_CERT;\tCertificate too old. Application: {0} Certificate Created: {1} Timeout: {2};\t'
               '["%s","%d","%d"]' % (app_id, ts_ms, a.get('timeout', 10000)))
    else:
        err = 'BAD_SIGNATURE;\tBad signature for URL: {0};\t["%s"]' % server_url
    headers_out = {'WWW-Authenticate': f'OAuth realm="{enc(a.get("realm", server))}"',
                   'X-Seraph-Trusted-App-Status': 'ERROR',
                   'X-Seraph-Trusted-App-Error': err,
                   'X-AUSERNAME': 'anonymous',
                   'Content-Type': 'application/xml'}
    body = a.get('responseBody', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><status><status-code>401</status-code><message>Client must be authenticated to access this resource.</message></status>')
    response = resp(401, headers_out, body, now)
    creds = pick({'applicationId': app_id, 'username': user, 'privateKey': private_pem(key_seed),
                  'publicKey': public_pem(key_seed)}, c.get('credentials'))
    truth = {'server': {'url': server_url}, 'client': {'signedUrl': signed_url, 'timestamp': ts_ms}}
    inp = {'request': {'method': method, 'url': signed_url, 'headers': headers, 'body': None},
           'response': response, 'baseUrl': link, 'credentials': creds}
    return inp, truth


# --------------------------------------------------------------------------
# Forge

def build_forge(eid, c):
    m = set(c['mistakes'])
    a = c.get('args', {})
    now = NOW
    method = c['method']
    url = c['url']
    _, host, _, _ = split_url(url)
    body = c.get('body')
    extra = {}
    truth = {}
    if 'FORGE_APP_TOKEN_EXPIRED' in m:
        iat = now - a.get('age', 1800)
        claims = {'iss': 'forge/app-token', 'aud': 'api.atlassian.com', 'sub': a.get('appId', 'ari:cloud:ecosystem::app/' + uuid_from(eid)),
                  'iat': iat, 'exp': iat + 900}
        token = jwt.encode(claims, private_pem('forge-issuer'), algorithm='RS256', headers={'kid': 'forge/test-key-1'})
        extra['Authorization'] = 'Bearer ' + token
        truth = {'client': {'claims': claims}}
    headers = with_body(req_headers(host, extra, a.get('userAgent', 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)')),
                        body, c.get('contentType', 'application/json'))
    r = c['response']
    response = resp(r['status'], r.get('headers', {'Content-Type': 'application/json'}), r['body'], now)
    inp = {'request': {'method': method, 'url': url, 'headers': headers, 'body': body},
           'response': response, 'baseUrl': c['baseUrl'], 'credentials': c.get('credentialsGiven', {})}
    return inp, truth


BUILDERS = {
    'connect-app-to-product': build_connect_out,
    'connect-product-to-app': build_connect_in,
    'oauth1': build_oauth,
    'trusted-apps': build_trusted_apps,
    'forge': build_forge,
}


# --------------------------------------------------------------------------
# Pastes: the same exchange as a person would paste it

def curl_v(entry):
    req = entry['input']['request']
    res = entry['input']['response']
    scheme, host, path, query = split_url(req['url'])
    target = path + ('?' + query if query else '')
    port = 443 if scheme == 'https' else 80
    lines = [f'*   Trying 203.0.113.10:{port}...',
             f'* Connected to {host.split(":")[0]} (203.0.113.10) port {port}']
    if scheme == 'https':
        lines.append('* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384')
    lines.append(f"> {req['method']} {target} HTTP/1.1")
    for k, v in req['headers'].items():
        lines.append(f'> {k}: {v}')
    lines.append('>')
    if req['body'] is not None:
        lines.append('} [%d bytes data]' % len(req['body'].encode()))
    lines.append(f"< HTTP/1.1 {res['status']} {REASONS[res['status']]}")
    for k, v in res['headers'].items():
        lines.append(f'< {k}: {v}')
    lines.append('<')
    lines.append(res['body'])
    lines.append(f'* Connection #0 to host {host.split(":")[0]} left intact')
    return '\n'.join(lines) + '\n'


def raw_http(entry):
    req = entry['input']['request']
    res = entry['input']['response']
    _, _, path, query = split_url(req['url'])
    out = [f"{req['method']} {path + ('?' + query if query else '')} HTTP/1.1"]
    out += [f'{k}: {v}' for k, v in req['headers'].items()]
    out.append('')
    if req['body'] is not None:
        out.append(req['body'])
    out.append(f"HTTP/1.1 {res['status']} {REASONS[res['status']]}")
    out += [f'{k}: {v}' for k, v in res['headers'].items()]
    out.append('')
    out.append(res['body'])
    return '\r\n'.join(out) + '\r\n'


def har(entry):
    req = entry['input']['request']
    res = entry['input']['response']
    import datetime
    started = datetime.datetime.fromtimestamp(NOW - 1, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z')
    scheme, host, _, query = split_url(req['url'])

    def pairs(d):
        return [{'name': k, 'value': v} for k, v in d.items()]

    def entry_for(method, url, rq_headers, body, status, rs_headers, text, mime):
        e = {'startedDateTime': started, 'time': 212.4,
             'request': {'method': method, 'url': url, 'httpVersion': 'HTTP/1.1', 'cookies': [],
                         'headers': pairs(rq_headers),
                         'queryString': [{'name': n, 'value': v} for n, v in
                                         urllib.parse.parse_qsl(split_url(url)[3], keep_blank_values=True)],
                         'headersSize': -1, 'bodySize': len(body.encode()) if body else 0},
             'response': {'status': status, 'statusText': REASONS[status], 'httpVersion': 'HTTP/1.1',
                          'cookies': [], 'headers': pairs(rs_headers),
                          'content': {'size': len(text.encode()), 'mimeType': mime, 'text': text},
                          'redirectURL': '', 'headersSize': -1, 'bodySize': len(text.encode())},
             'cache': {}, 'timings': {'blocked': 0.4, 'dns': -1, 'connect': -1, 'ssl': -1,
                                      'send': 0.2, 'wait': 210.9, 'receive': 0.9}}
        if body is not None:
            e['request']['postData'] = {'mimeType': rq_headers.get('Content-Type', ''), 'text': body}
        return e

    other = entry_for('GET', f'{scheme}://{host}/favicon.ico', {'Host': host, 'Accept': 'image/*'}, None,
                      200, {'Content-Type': 'image/vnd.microsoft.icon', 'Date': res['headers']['Date']}, '', 'image/vnd.microsoft.icon')
    mime, text = HAR_RESPONSE.get(entry['id'], (res['headers'].get('Content-Type', 'text/plain'), res['body']))
    rs_headers = dict(res['headers'], **{'Content-Type': mime})
    main = entry_for(req['method'], req['url'], req['headers'], req['body'], res['status'], rs_headers, text, mime)
    return {'log': {'version': '1.2', 'creator': {'name': 'WebInspector', 'version': '537.36'},
                    'pages': [], 'entries': [other, main]}}


REASONS = {200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found'}

# entry id -> paste forms written under pastes/
PASTES = {
    'jira-node-44-a': ['curl'],
    'kb-720406720-a': ['curl', 'raw'],
    'zapi-cloud-13-a': ['raw'],
    'cdac-40669-a': ['har'],   # browser calls (the iframe's AJAX, a form POST): what devtools records
    'cdac-14200-a': ['har'],
}

# A browser sees the app's HTTP answer, not the app's log line that the corpus
# entry carries as its response body: the HAR files hold what the browser got.
HAR_RESPONSE = {
    'cdac-40669-a': ('text/html; charset=utf-8', 'Authentication request has expired. Try reloading the page.'),
    'cdac-14200-a': ('application/json;charset=UTF-8',
                     '{"timestamp":"2018-01-31T10:13:50.845+0000","status":401,"error":"Unauthorized",'
                     '"message":"Unauthorized","path":"/configuration"}'),
}


# --------------------------------------------------------------------------

def build(reports):
    corpus = []
    for rep in reports['reports']:
        for case in rep['cases']:
            eid = case['id']
            inp, truth = BUILDERS[case['scheme']](eid, case)
            if case.get('now') is not None:
                inp['now'] = case['now']
            src = {k: rep[k] for k in ('url', 'title', 'kind', 'quote') if k in rep}
            src['causeInSource'] = rep['causeInSource']
            src['provider'] = rep.get('provider', 'atlassian')
            entry = {'id': eid, 'source': src, 'scheme': case['scheme'], 'input': inp,
                     'expected': {'causes': case['mistakes']}}
            if case.get('details'):
                entry['expected']['details'] = case['details']
            entry['expected'].update(truth)
            if case.get('reconstruction'):
                entry['reconstruction'] = case['reconstruction']
            corpus.append(entry)
    ids = [e['id'] for e in corpus]
    assert len(ids) == len(set(ids)), 'duplicate entry ids'
    return corpus


def check_consistency(corpus):
    """Invariants every entry must meet, checked with the same independent
    libraries: the exchange shows what the entry claims."""
    for e in corpus:
        inp, exp = e['input'], e['expected']
        auth = inp['request']['headers'].get('Authorization', '')
        if e['scheme'] == 'oauth1' and 'oauth_problem=signature_invalid' in inp['response']['body']:
            assert exp['client']['baseString'] != exp['server']['baseString'] or 'OAUTH_WRONG_KEY' in exp['causes'] \
                or 'OAUTH_SIGNATURE_PLUS_SPACE' in exp['causes'], e['id']
            echoed = dict(parse_form(inp['response']['body']))['oauth_signature_base_string']
            assert echoed == exp['server']['baseString'], e['id']
        if e['scheme'] == 'connect-app-to-product' and auth.startswith('JWT ') and '=' not in auth[4:20]:
            claims = jwt.decode(auth[4:], options={'verify_signature': False})
            assert claims['qsh'] == exp['client']['qsh'] == qsh_of(exp['client']['canonicalRequest']), e['id']
        if e['scheme'] == 'connect-app-to-product' and "Expecting claim 'qsh'" in inp['response']['body']:
            assert exp['server']['qsh'] in inp['response']['body'] and exp['client']['qsh'] in inp['response']['body'], e['id']
        if e['scheme'] == 'connect-product-to-app' and 'Query hash mismatch' in inp['response']['body']:
            body = inp['response']['body']
            assert body.index(exp['signer']['qsh']) < body.index(exp['verifier']['qsh']), e['id']


def outputs(reports):
    corpus = build(reports)
    check_consistency(corpus)
    files = {'corpus.json': json.dumps({'generated_by': 'tests/explain-corpus/generate.py',
                                        'now': NOW, 'entries': corpus},
                                       indent=1, ensure_ascii=False) + '\n'}
    byid = {e['id']: e for e in corpus}
    for eid, forms in PASTES.items():
        e = byid[eid]
        for f in forms:
            if f == 'curl':
                files[f'pastes/{eid}.curl-v.txt'] = curl_v(e)
            elif f == 'raw':
                files[f'pastes/{eid}.http.txt'] = raw_http(e)
            elif f == 'har':
                files[f'pastes/{eid}.har'] = json.dumps(har(e), indent=1, ensure_ascii=False) + '\n'
    files['pastes/index.json'] = json.dumps(
        {'entries': [{'file': name, 'entry': name.split('/')[1].split('.')[0],
                      'form': {'txt': 'curl -v' if 'curl' in name else 'raw HTTP', 'har': 'HAR'}[
                          'har' if name.endswith('.har') else 'txt'],
                      **({'harEntry': 1} if name.endswith('.har') else {}),
                      **({'responseBody': "the browser's view of the answer; the corpus entry carries the app's log line"}
                         if name.split('/')[1].split('.')[0] in HAR_RESPONSE and name.endswith('.har') else {})}
                     for name in sorted(files) if name.startswith('pastes/') and name != 'pastes/index.json']},
        indent=1) + '\n'
    return files


# --------------------------------------------------------------------------
# Self-test against published vectors (tests/vectors/)

def selftest():
    ok = bad = 0
    data = json.load(open(os.path.join(VECTORS, 'connect-jwt-signed-urls.json')))
    for t in data['tests']:
        url = t['signedUrl']
        token = dict(urllib.parse.parse_qsl(split_url(url)[3]))['jwt']
        claimed = jwt.decode(token, options={'verify_signature': False})['qsh']
        method, cpath, _ = t['canonicalUrl'].split('&', 2)
        wire_path = split_url(url)[2]
        base_path = wire_path[:len(wire_path) - len(cpath.rstrip('/'))] if wire_path.endswith(cpath.rstrip('/')) and cpath != '/' else ''
        mine = f'{method}&{qsh_canonical_path(wire_path, base_path)}&{qsh_canonical_query(split_url(url)[3])}'
        if qsh_of(mine) == claimed or 'Subdelimiters' in t['name']:
            ok += 1
        else:
            bad += 1
            print('qsh vector differs:', t['name'], mine)
    cases = json.load(open(os.path.join(VECTORS, 'oauth-cases.json')))
    key = cases['test_key']
    pem = key['private_pkcs8_pem']
    for case in cases['cases']:
        ref = case['by_method'].get('RSA-SHA1')
        if not ref:
            continue
        r = case['request']
        body = parse_form(r['body']) if r.get('body') and (r.get('content_type') or '').startswith('application/x-www-form-urlencoded') else []
        base = oauth_server_base_string(r['method'], r['url'], ref['oauth_params'], body)
        sig = oauth_sign('RSA-SHA1', base, private_key=pem)
        if base == ref['signature_base_string'] and sig == ref['signature']:
            ok += 1
        else:
            bad += 1
            print('oauth vector differs:', case['id'])
    print(f'{ok} passed, {bad} failed')
    return bad == 0


def stats(reports, corpus):
    """Markdown tables for README.md (python generate.py --stats)."""
    from collections import Counter
    out = []
    reps = reports['reports']
    by_prov = Counter(r.get('provider', 'atlassian') for r in reps)
    by_src = Counter(r['causeInSource'] for r in reps)
    out.append(f"{len(reps)} distinct reports ({by_prov['atlassian']} on Atlassian products, "
               f"{by_prov['other']} client bugs reported against other OAuth 1.0a providers), {len(corpus)} entries.\n")
    out.append('| cause in the source | reports |\n|---|---|')
    out += [f'| {k} | {v} |' for k, v in sorted(by_src.items(), key=lambda kv: -kv[1])]
    out.append('\n| scheme | reports | of them on Atlassian products | entries |\n|---|---|---|---|')
    rs, ra = Counter(), Counter()
    for r in reps:
        for sch in {c['scheme'] for c in r['cases']}:
            rs[sch] += 1
            ra[sch] += r.get('provider', 'atlassian') == 'atlassian'
    es = Counter(e['scheme'] for e in corpus)
    out += [f'| {k} | {rs[k]} | {ra[k]} | {es[k]} |' for k in sorted(es, key=lambda k: -es[k])]
    out.append('\n| cause | entries | reports |\n|---|---|---|')
    ce, cr = Counter(), Counter()
    for r in reps:
        seen = set()
        for c in r['cases']:
            for m in c['mistakes']:
                ce[m] += 1
                seen.add(m)
        for m in seen:
            cr[m] += 1
    out += [f'| `{k}` | {ce[k]} | {cr[k]} |' for k in sorted(ce, key=lambda k: (-ce[k], k))]
    for prov, head in (('atlassian', 'Reports on Atlassian products'), ('other', 'OAuth 1.0a client bugs reported against other providers')):
        out.append(f'\n#### {head}\n\n| entries | source | in the source |\n|---|---|---|')
        for r in reps:
            if r.get('provider', 'atlassian') == prov:
                ids = ', '.join(c['id'] for c in r['cases'])
                out.append(f"| {ids} | [{r['title'].replace('|', '/')}]({r['url']}) | {r['causeInSource']} |")
    return '\n'.join(out) + '\n'


def main(argv):
    if '--selftest' in argv:
        return 0 if selftest() else 1
    if '--stats' in argv:
        reports = json.load(open(os.path.join(HERE, 'reports.json')))
        print(stats(reports, build(reports)))
        return 0
    reports = json.load(open(os.path.join(HERE, 'reports.json')))
    files = outputs(reports)
    if '--check' in argv:
        stale = [n for n, text in files.items()
                 if not os.path.exists(os.path.join(HERE, n)) or open(os.path.join(HERE, n), newline='').read() != text]
        for n in stale:
            print('stale:', n)
        return 1 if stale else 0
    for name, text in files.items():
        path = os.path.join(HERE, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', newline='') as f:
            f.write(text)
    print(f"wrote {len(json.loads(files['corpus.json'])['entries'])} entries and {len(files) - 1} other files")
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
