#!/usr/bin/env node
'use strict';
// atlassian-sign: compute, verify and explain Atlassian request signatures from the shell.
// Exit codes: 0 ok, 1 verification failed, 2 bad input.
const { parseArgs } = require('node:util');
const { readFileSync, writeFileSync, existsSync } = require('node:fs');
const api = require('../index.cjs');

const HELP = {
  main: `atlassian-sign <command> [options]

Compute, verify and explain the signatures Atlassian integrations use.

Commands:
  qsh <METHOD> <URL>          the Connect query string hash of a request
  canonical <METHOD> <URL>    the canonical request the qsh hashes
  connect-token               a Connect JWT for a call to Jira, Confluence, Bitbucket or Zephyr
  jwt decode|verify|encode    look inside, check or make a JWT
  oauth sign                  sign a request for a Data Center Application Link (OAuth 1.0a)
  oauth request-token|authorize-url|access-token
                              the three-legged OAuth flow, one step at a time
  keygen                      an RSA key pair for an Application Link
  explain                     why a server refused a request (qsh, OAuth, trusted apps)

Run 'atlassian-sign <command> --help' for a command's options. Every command takes --json;
with it, an error is also JSON, on standard output: { "error": true, "code": "ERR_...",
"message": "..." } (code ERR_USAGE for a bad command line), and the exit code is still 1 or 2.
Secrets come from flags, environment variables or files and are never printed.
Exit codes: 0 ok, 1 verification failed, 2 bad input.`,
  qsh: `atlassian-sign qsh <METHOD> <URL> [options]

Prints the query string hash (qsh) of a request, as Atlassian's servers compute it.
  --base-url URL      the product's base URL; its path (/wiki, /connect, a context path) is removed
  --body FORM         form body (a=1&b=2), hashed for POST/PUT without a query
  --decoded-path      hash the decoded path (as products sign requests to apps)
  --json              print { canonicalRequest, qsh }
Example: atlassian-sign qsh GET 'https://acme.atlassian.net/wiki/rest/api/space?limit=5' --base-url https://acme.atlassian.net/wiki`,
  canonical: `atlassian-sign canonical <METHOD> <URL> [options]

Prints the canonical request (METHOD&PATH&QUERY) the qsh hashes. Options as for 'qsh'.`,
  'connect-token': `atlassian-sign connect-token --url URL [options]

Makes a Connect JWT and prints the Authorization header and a ready curl line.
  --product P         jira (default), confluence, bitbucket, zephyr
  --method M          default GET
  --url URL           absolute, or a path relative to --base-url
  --base-url URL      the product's base URL (Zephyr defaults to its API URL)
  --app-key K         the app key from the descriptor (iss for jira, confluence, bitbucket)
  --access-key K      Zephyr access key (iss for zephyr)
  --secret S          the shared secret (or env ATLASSIAN_SHARED_SECRET, or --secret-file F)
  --client-key K      the installation's clientKey (sub for bitbucket, aud for jira/confluence)
  --account-id A      the Atlassian accountId (sub for zephyr)
  --expires-in N      seconds, default 180
  --body FORM         form body of a POST/PUT without query
  --json              print the token, headers, qsh, canonical request and claims`,
  jwt: `atlassian-sign jwt <decode|verify|encode> [options]

  jwt decode <TOKEN|->                    header and claims, with readable times (no verification)
  jwt verify <TOKEN|-> --alg HS256 ...    exit 0 when valid, 1 when not
      --secret S | --secret-file F | --key-file PEM   (env ATLASSIAN_SHARED_SECRET)
      --alg A (repeatable, required)  --issuer I  --audience A  --leeway N
      --qsh-method M --qsh-url URL [--base-url URL]   check the qsh against a request
      --context-qsh                   require a context token
      (without --qsh-url or --context-qsh the qsh claim is not checked, and the output says so)
  jwt encode --claims JSON|- [--secret S | --key-file PEM] [--alg A] [--kid K]
A TOKEN of '-' is read from standard input ('JWT ' and 'Bearer ' prefixes are accepted).`,
  oauth: `atlassian-sign oauth <sign|request-token|authorize-url|access-token> [options]

  oauth sign --url URL [--method M] [--body FORM] [--content-type T] [--signed-url URL]
      prints the Authorization header, the signature base string and a ready curl line
  oauth request-token --base-url URL [--callback oob]
      step 1: the signed request for a request token
  oauth authorize-url --base-url URL --token REQUEST_TOKEN
      step 2: the page where the user approves access
  oauth access-token --base-url URL --token REQUEST_TOKEN --verifier CODE [--token-secret S]
      step 3: the signed request for the access token
Credentials:
  --consumer-key K            (env ATLASSIAN_CONSUMER_KEY)
  --key-file PEM              the consumer's private key (env ATLASSIAN_PRIVATE_KEY_FILE)
  --token T --token-secret S  the access token for REST calls
  --signature-method M        RSA-SHA1 (default; the only one Data Center accepts), HMAC-SHA1, ...
  --consumer-secret S         for HMAC/PLAINTEXT (env ATLASSIAN_CONSUMER_SECRET)
  --nonce N --timestamp T     fixed values (for reproducing a signature)
  --json                      print the whole signed request as JSON`,
  keygen: `atlassian-sign keygen [--bits 2048] [--out PREFIX] [--json]

Makes an RSA key pair for an Application Link. With --out PREFIX writes PREFIX.pem (the private
key, PKCS#8, mode 600) and PREFIX.pub.pem (the SPKI public key to paste into Jira's Incoming
Authentication). Without --out it prints both keys: the private key (PKCS#8 PEM) first, then the
public key; with --json, { privateKey, publicKey, publicKeyPkcs1, jwk }.`,
  explain: `atlassian-sign explain --har F [--entry N] | --curl F | --exchange F|- [credentials] [--json]
       atlassian-sign explain --message TEXT|- [request options] [--json]

Explains a refused request from the whole exchange: a HAR file (devtools "Save all as HAR";
--entry N or --entry-url TEXT picks one, by default the last refused), curl -v output or a curl
command followed by the response (--curl F), or raw HTTP request and response text
(--exchange F, or - for standard input). Add what you hold to test the causes:
  --shared-secret S --app-key K --client-key K --account-id A      (Connect)
  --consumer-key K --private-key F --public-key F --consumer-secret S --access-token T --token-secret S
                                                      (OAuth 1.0a; F: PEM file)
  --application-id ID --username U --public-key F     (trusted applications: the caller's key)
  --base-url URL --now SECONDS
Credentials are used in memory and never printed.

Or give the server's answer and what you sent:
  --message TEXT | --message-file F | --message -   the server's answer: "Expecting claim 'qsh' ...",
                    an oauth_problem body or WWW-Authenticate header, an X-Seraph-Trusted-App-Error header
  --method M --url URL --base-url URL --body FORM --token JWT   (qsh)
  --base-string BS | --authorization HEADER                      (OAuth: what you signed/sent)
  --signed-url URL                                               (trusted apps: the URL you signed)`,
};

class UsageError extends Error {}
// `atlassian-sign ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
const out = (s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');
const readStdin = () => readFileSync(0, 'utf8').trim();
const readFile = (f, what) => {
  try { return readFileSync(f, 'utf8'); } catch (e) { throw new UsageError(`cannot read ${what} file ${f}: ${e.code || e.message}`); }
};

function parse(argv, options, help) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${e.message}\n\n${help}`);
  }
  if (parsed.values.help) { out(help); process.exit(0); }
  return parsed;
}

function secretFrom(v, { flag = 'secret', env = 'ATLASSIAN_SHARED_SECRET', required = true } = {}) {
  if (v[flag] !== undefined) return v[flag];
  if (v[`${flag}-file`] !== undefined) return readFile(v[`${flag}-file`], flag).trim();
  if (process.env[env]) return process.env[env];
  if (required) throw new UsageError(`--${flag}, --${flag}-file or ${env} is required`);
  return undefined;
}
function keyFrom(v, required = true) {
  if (v['key-file'] !== undefined) return readFile(v['key-file'], 'key');
  if (process.env.ATLASSIAN_PRIVATE_KEY_FILE) return readFile(process.env.ATLASSIAN_PRIVATE_KEY_FILE, 'key');
  if (process.env.ATLASSIAN_PRIVATE_KEY) return process.env.ATLASSIAN_PRIVATE_KEY;
  if (required) throw new UsageError('--key-file (or ATLASSIAN_PRIVATE_KEY_FILE) is required');
  return undefined;
}
const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
function curl(method, url, headers, body) {
  const parts = ['curl', '-X', method];
  for (const [k, v] of Object.entries(headers)) parts.push('-H', shellQuote(`${k}: ${v}`));
  if (body) parts.push('--data-raw', shellQuote(body));
  parts.push(shellQuote(url));
  return parts.join(' ');
}
const time = (s) => (typeof s === 'number' ? `${s} (${new Date(s * 1000).toISOString()})` : String(s));

const qshOptions = {
  'base-url': { type: 'string' }, body: { type: 'string' }, 'decoded-path': { type: 'boolean' },
};
function qshCommand(argv, which) {
  const { values: v, positionals: p } = parse(argv, qshOptions, HELP[which]);
  if (p.length !== 2) throw new UsageError(`expected <METHOD> <URL>\n\n${HELP[which]}`);
  const opts = { baseUrl: v['base-url'], body: v.body, pathForm: v['decoded-path'] ? 'decoded' : 'wire' };
  const canonicalRequest = api.createCanonicalRequest(p[0], p[1], opts);
  const qsh = api.createQsh(p[0], p[1], opts);
  if (v.json) out(JSON.stringify({ canonicalRequest, qsh }, null, 2));
  else out(which === 'qsh' ? qsh : canonicalRequest);
  return 0;
}

function connectToken(argv) {
  const { values: v } = parse(argv, {
    product: { type: 'string' }, method: { type: 'string' }, url: { type: 'string' }, 'base-url': { type: 'string' },
    'app-key': { type: 'string' }, 'access-key': { type: 'string' }, secret: { type: 'string' }, 'secret-file': { type: 'string' },
    'client-key': { type: 'string' }, 'account-id': { type: 'string' }, 'expires-in': { type: 'string' }, body: { type: 'string' },
  }, HELP['connect-token']);
  if (!v.url) throw new UsageError(`--url is required\n\n${HELP['connect-token']}`);
  const t = api.connectToken({
    product: v.product, method: v.method, url: v.url, baseUrl: v['base-url'], appKey: v['app-key'], accessKey: v['access-key'],
    secret: secretFrom(v), clientKey: v['client-key'], accountId: v['account-id'],
    expiresIn: v['expires-in'] === undefined ? undefined : Number(v['expires-in']), body: v.body,
  });
  const method = (v.method || 'GET').toUpperCase();
  if (v.json) { out(JSON.stringify(t, null, 2)); return 0; }
  out(`Authorization: ${t.authorization}`);
  for (const [k, val] of Object.entries(t.headers)) if (k !== 'Authorization') out(`${k}: ${val}`);
  out(`\ncanonical request: ${t.canonicalRequest}\nqsh: ${t.qsh}\nexpires: ${time(t.claims.exp)}\n`);
  out(curl(method, t.url, t.headers, v.body));
  return 0;
}

function tokenArg(p, help) {
  if (p.length !== 1) throw new UsageError(`expected one TOKEN (or - for standard input)\n\n${help}`);
  return p[0] === '-' ? readStdin() : p[0];
}

function jwt(argv) {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') { out(HELP.jwt); return sub ? 0 : 2; }
  if (sub === 'decode') {
    const { values: v, positionals: p } = parse(rest, {}, HELP.jwt);
    const d = api.decodeJwt(tokenArg(p, HELP.jwt));
    if (v.json) { out(JSON.stringify(d, null, 2)); return 0; }
    const now = Math.floor(Date.now() / 1000);
    out(`header:  ${JSON.stringify(d.header)}`);
    out('claims:');
    for (const [k, val] of Object.entries(d.payload)) out(`  ${k}: ${['iat', 'exp', 'nbf'].includes(k) ? time(val) : JSON.stringify(val)}`);
    if (typeof d.payload.exp === 'number') out(d.payload.exp > now ? `expires in ${d.payload.exp - now} s` : `EXPIRED ${now - d.payload.exp} s ago`);
    return 0;
  }
  if (sub === 'verify') {
    const { values: v, positionals: p } = parse(rest, {
      secret: { type: 'string' }, 'secret-file': { type: 'string' }, 'key-file': { type: 'string' }, alg: { type: 'string', multiple: true },
      issuer: { type: 'string' }, audience: { type: 'string' }, leeway: { type: 'string' }, 'qsh-method': { type: 'string' },
      'qsh-url': { type: 'string' }, 'base-url': { type: 'string' }, 'context-qsh': { type: 'boolean' },
    }, HELP.jwt);
    const token = tokenArg(p, HELP.jwt);
    if (!v.alg) throw new UsageError('--alg is required (the algorithms you accept: HS256 for Connect, RS256 for install callbacks)');
    const key = v['key-file'] !== undefined ? readFile(v['key-file'], 'key') : secretFrom(v);
    const options = { algorithms: v.alg, issuer: v.issuer, audience: v.audience, leeway: v.leeway === undefined ? undefined : Number(v.leeway) };
    if (v['context-qsh']) options.qsh = 'context-qsh';
    else if (v['qsh-url']) options.qsh = { method: v['qsh-method'] || 'GET', url: v['qsh-url'], baseUrl: v['base-url'] };
    else if (v['qsh-method'] || v['base-url']) throw new UsageError('--qsh-method and --base-url check the qsh only with --qsh-url URL (the request the token came with)');
    // What was checked of the qsh: a token valid here may still be refused for another request.
    const qsh = v['context-qsh'] ? { checked: true, rule: 'context-qsh' }
      : options.qsh ? { checked: true, rule: `${options.qsh.method.toUpperCase()} ${options.qsh.url}` }
        : { checked: false, note: 'the qsh claim was not checked: give --qsh-url URL (and --qsh-method, --base-url) to check it against the request, or --context-qsh' };
    try {
      const payload = api.verifyJwt(token, key, options);
      if (v.json) out(JSON.stringify({ valid: true, payload, qsh }, null, 2));
      else {
        out(`valid: ${JSON.stringify(payload)}`);
        out(qsh.checked ? `qsh: checked (${qsh.rule})` : `qsh: NOT CHECKED: ${qsh.note.replace(/^the qsh claim was not checked: /, '')}`);
      }
      return 0;
    } catch (e) {
      if (!e.code || e.code === 'ERR_INVALID_INPUT' || e.code === 'ERR_INVALID_KEY' || e.code === 'ERR_UNSUPPORTED_ALGORITHM') throw e;
      if (v.json) out(JSON.stringify({ valid: false, code: e.code, message: e.message }, null, 2));
      else process.stderr.write(`invalid: ${e.code}: ${e.message}\n`);
      return 1;
    }
  }
  if (sub === 'encode') {
    const { values: v } = parse(rest, {
      claims: { type: 'string' }, secret: { type: 'string' }, 'secret-file': { type: 'string' }, 'key-file': { type: 'string' },
      alg: { type: 'string' }, kid: { type: 'string' },
    }, HELP.jwt);
    if (!v.claims) throw new UsageError('--claims JSON (or - for standard input) is required');
    let claims;
    try { claims = JSON.parse(v.claims === '-' ? readStdin() : v.claims); } catch (e) { throw new UsageError(`--claims is not JSON: ${e.message}`); }
    const key = v['key-file'] !== undefined ? readFile(v['key-file'], 'key') : secretFrom(v);
    const token = api.encodeJwt(claims, key, { algorithm: v.alg, kid: v.kid });
    out(v.json ? JSON.stringify({ token }) : token);
    return 0;
  }
  throw new UsageError(`unknown jwt command ${sub}\n\n${HELP.jwt}`);
}

const credentialOptions = {
  'consumer-key': { type: 'string' }, 'key-file': { type: 'string' }, token: { type: 'string' }, 'token-secret': { type: 'string' },
  'signature-method': { type: 'string' }, 'consumer-secret': { type: 'string' }, nonce: { type: 'string' }, timestamp: { type: 'string' },
  realm: { type: 'string' },
};
function credentials(v) {
  const method = (v['signature-method'] || 'RSA-SHA1').toUpperCase();
  const consumerKey = v['consumer-key'] ?? process.env.ATLASSIAN_CONSUMER_KEY;
  if (!consumerKey) throw new UsageError('--consumer-key (or ATLASSIAN_CONSUMER_KEY) is required');
  return {
    consumerKey,
    signatureMethod: method,
    privateKey: method.startsWith('RSA') ? keyFrom(v) : undefined,
    consumerSecret: method.startsWith('RSA') ? undefined : secretFrom(v, { flag: 'consumer-secret', env: 'ATLASSIAN_CONSUMER_SECRET', required: false }),
    token: v.token, tokenSecret: v['token-secret'], nonce: v.nonce,
    timestamp: v.timestamp === undefined ? undefined : Number(v.timestamp), realm: v.realm,
  };
}
function printSigned(s, v, next) {
  if (v.json) { out(JSON.stringify(s, null, 2)); return; }
  out(`Authorization: ${s.authorization}\n`);
  out(`signature base string:\n${s.baseString}\n`);
  out(curl(s.method, s.url, s.headers, s.body));
  if (next) out(`\nnext: ${next}`);
}

async function oauth(argv) {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') { out(HELP.oauth); return sub ? 0 : 2; }
  if (sub === 'sign') {
    const { values: v } = parse(rest, { ...credentialOptions, method: { type: 'string' }, url: { type: 'string' }, body: { type: 'string' },
      'content-type': { type: 'string' }, 'signed-url': { type: 'string' } }, HELP.oauth);
    if (!v.url) throw new UsageError(`--url is required\n\n${HELP.oauth}`);
    const s = await api.signOAuth({ method: v.method, url: v.url, body: v.body, contentType: v['content-type'], signedUrl: v['signed-url'] }, credentials(v));
    printSigned(s, v);
    return 0;
  }
  if (sub === 'request-token') {
    const { values: v } = parse(rest, { ...credentialOptions, 'base-url': { type: 'string' }, callback: { type: 'string' } }, HELP.oauth);
    if (!v['base-url']) throw new UsageError('--base-url is required (the Jira/Confluence/Bitbucket base URL)');
    const s = api.oauthRequestToken(v['base-url'], { ...credentials(v), callback: v.callback });
    printSigned(s, v, `run the curl line; the answer has oauth_token and oauth_token_secret. Then: atlassian-sign oauth authorize-url --base-url ${v['base-url']} --token <oauth_token>`);
    return 0;
  }
  if (sub === 'authorize-url') {
    const { values: v } = parse(rest, { 'base-url': { type: 'string' }, token: { type: 'string' } }, HELP.oauth);
    if (!v['base-url'] || !v.token) throw new UsageError('--base-url and --token (the request token) are required');
    const url = api.oauthAuthorizeUrl(v['base-url'], v.token);
    if (v.json) out(JSON.stringify({ url }));
    else out(`${url}\n\nnext: open it, approve access, note the verification code, then: atlassian-sign oauth access-token --base-url ${v['base-url']} --token ${v.token} --verifier <code>`);
    return 0;
  }
  if (sub === 'access-token') {
    const { values: v } = parse(rest, { ...credentialOptions, 'base-url': { type: 'string' }, verifier: { type: 'string' } }, HELP.oauth);
    if (!v['base-url'] || !v.token || !v.verifier) throw new UsageError('--base-url, --token (the request token) and --verifier are required');
    const s = api.oauthAccessToken(v['base-url'], { ...credentials(v), verifier: v.verifier });
    printSigned(s, v, 'run the curl line; the answer has the access token (oauth_token) and secret: sign REST calls with atlassian-sign oauth sign --token <oauth_token>');
    return 0;
  }
  throw new UsageError(`unknown oauth command ${sub}\n\n${HELP.oauth}`);
}

function keygen(argv) {
  const { values: v } = parse(argv, { bits: { type: 'string' }, out: { type: 'string' } }, HELP.keygen);
  const kp = api.generateKeyPair(v.bits === undefined ? 2048 : Number(v.bits));
  if (v.out) {
    const priv = `${v.out}.pem`;
    const pub = `${v.out}.pub.pem`;
    for (const f of [priv, pub]) if (existsSync(f)) throw new UsageError(`${f} exists; choose another --out or remove it`);
    writeFileSync(priv, kp.privateKey, { mode: 0o600 });
    writeFileSync(pub, kp.publicKey);
    if (v.json) { out(JSON.stringify({ privateKeyFile: priv, publicKeyFile: pub, publicKey: kp.publicKey }, null, 2)); return 0; }
    out(`wrote ${priv} (private key, keep it secret) and ${pub}\n\nPaste this public key into the Application Link's Incoming Authentication:\n\n${kp.publicKey}`);
    return 0;
  }
  if (v.json) {
    out(JSON.stringify({ privateKey: kp.privateKey, publicKey: kp.publicKey, publicKeyPkcs1: kp.publicKeyPkcs1, jwk: kp.jwk }, null, 2));
    return 0;
  }
  // Both keys, the private one first: a pair is of no use without it.
  out(`${kp.privateKey}${kp.publicKey}`);
  process.stderr.write('The private key is above the public key: keep it secret (--out PREFIX writes both to files, the private one mode 600).\n');
  return 0;
}

function explain(argv) {
  const { values: v } = parse(argv, {
    message: { type: 'string' }, 'message-file': { type: 'string' }, method: { type: 'string' }, url: { type: 'string' },
    'base-url': { type: 'string' }, body: { type: 'string' }, token: { type: 'string' }, authorization: { type: 'string' },
    'base-string': { type: 'string' }, 'signed-url': { type: 'string' },
    har: { type: 'string' }, entry: { type: 'string' }, 'entry-url': { type: 'string' }, curl: { type: 'string' },
    exchange: { type: 'string' }, 'shared-secret': { type: 'string' }, 'app-key': { type: 'string' },
    'client-key': { type: 'string' }, 'account-id': { type: 'string' }, 'private-key': { type: 'string' },
    'public-key': { type: 'string' }, 'consumer-secret': { type: 'string' }, 'token-secret': { type: 'string' },
    'consumer-key': { type: 'string' }, 'application-id': { type: 'string' }, username: { type: 'string' },
    'access-token': { type: 'string' }, now: { type: 'string' },
  }, HELP.explain);
  const paste = v.har ?? v.curl ?? v.exchange;
  if (paste !== undefined) {
    const text = paste === '-' ? readStdin() : readFile(paste, v.har ? 'HAR' : v.curl ? 'curl' : 'exchange');
    let pick;
    if (v.entry !== undefined) {
      if (!/^\d+$/.test(v.entry)) throw new UsageError('--entry takes the index of a HAR entry (0, 1, ...)');
      pick = { entry: Number(v.entry) };
    } else if (v['entry-url'] !== undefined) pick = { url: v['entry-url'] };
    const exchange = api.parseExchange(text, pick);
    const key = (f) => (f === undefined ? undefined : readFile(f, 'key'));
    const credentials = {
      sharedSecret: v['shared-secret'], appKey: v['app-key'], clientKey: v['client-key'], accountId: v['account-id'],
      privateKey: key(v['private-key']), publicKey: key(v['public-key']),
      consumerKey: v['consumer-key'], consumerSecret: v['consumer-secret'], token: v['access-token'], tokenSecret: v['token-secret'],
      applicationId: v['application-id'], username: v.username,
    };
    if (v.now !== undefined && !/^\d+$/.test(v.now)) throw new UsageError('--now takes seconds since the epoch');
    const e = api.explain({ ...exchange, baseUrl: v['base-url'], credentials, now: v.now === undefined ? undefined : Number(v.now),
      baseString: v['base-string'], signedUrl: v['signed-url'] });
    return printExplanation(e, v.json);
  }
  let message = v.message;
  if (v['message-file']) message = readFile(v['message-file'], 'message');
  if (message === '-') message = readStdin();
  if (!message) throw new UsageError(`--har, --curl, --exchange or --message is required\n\n${HELP.explain}`);
  const e = api.explain({ message, method: v.method, url: v.url, baseUrl: v['base-url'], body: v.body, token: v.token,
    authorization: v.authorization, baseString: v['base-string'], signedUrl: v['signed-url'] });
  return printExplanation(e, v.json);
}

function printExplanation(e, json) {
  if (json) { out(JSON.stringify(e, null, 2)); return 0; }
  out(`cause: ${e.causes.join(' + ')}\n${e.summary}\n\nfix: ${e.fix}`);
  for (const d of e.diff) out(`\n  ${d.part}\n    you signed:  ${d.client}\n    server used: ${d.server}`);
  if (e.cause === 'UNKNOWN' && e.tried.length) out(`\ntried: ${e.tried.join(', ')}`);
  return 0;
}

async function main(argv) {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined: out(HELP.main); return 2;
    case '--help': case '-h': case 'help': out(HELP.main); return 0;
    case '--version': case '-v': out(require('../package.json').version); return 0;
    case 'qsh': case 'canonical': return qshCommand(rest, cmd);
    case 'connect-token': return connectToken(rest);
    case 'jwt': return jwt(rest);
    case 'oauth': return oauth(rest);
    case 'keygen': return keygen(rest);
    case 'explain': return explain(rest);
    default: throw new UsageError(`unknown command ${cmd}\n\n${HELP.main}`);
  }
}

// --json asks for JSON whatever happens: errors too (on standard output, as the results are).
const argv = process.argv.slice(2);
const json = argv.includes('--json');
main(argv).then((code) => { process.exitCode = code; }, (e) => {
  process.exitCode = e instanceof UsageError || (e.code && e.code !== 'ERR_SIGNING_FAILED') ? 2 : 1;
  if (json) {
    // A usage error's message ends with the command's help: the JSON keeps the first paragraph.
    const message = e instanceof UsageError ? e.message.split('\n\n')[0] : String(e.message);
    const code = e instanceof UsageError ? 'ERR_USAGE' : (e.code ?? 'ERR_INTERNAL');
    out(JSON.stringify({ error: true, code, message }, null, 2));
    return;
  }
  const msg = e instanceof UsageError ? e.message : `${e.code ? `${e.code}: ` : ''}${e.message}`;
  process.stderr.write(`atlassian-sign: ${msg}\n`);
});
