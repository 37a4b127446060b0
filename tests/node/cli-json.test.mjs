// The CLI run as a child process (issue 18): --json makes errors JSON too (on standard output,
// exit code still 1 or 2), `jwt verify` says when the qsh was not checked, and `keygen` without
// --out prints the private key as well as the public key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { root, require } from './helpers.mjs';

const api = require('../../pkg/index.cjs');
const bin = join(root, 'pkg/bin/atlassian-sign.cjs');
const run = (args, input) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH }, input });
const json = (r) => JSON.parse(r.stdout);

test('--json: errors are a JSON object with code and message on standard output', () => {
  const cases = [
    [['qsh', 'GET', 'not a url', '--json'], 2, 'ERR_INVALID_URL'],
    [['qsh', 'GET', '--json'], 2, 'ERR_USAGE', /^expected <METHOD> <URL>$/],
    [['frobnicate', '--json'], 2, 'ERR_USAGE', /unknown command frobnicate/],
    [['jwt', 'verify', 'x.y.z', '--secret', 's', '--json'], 2, 'ERR_USAGE', /--alg is required/],
    [['jwt', 'decode', 'Bearer x.y.z', '--json'], 2, 'ERR_JWT_MALFORMED', /drop "Bearer "/],
    [['connect-token', '--url', '/rest/api/3/myself', '--app-key', 'k', '--secret', 's', '--json'], 2, 'ERR_INVALID_URL', /no baseUrl/],
    [['qsh', 'GET', '/x', '--nope', '--json'], 2, 'ERR_USAGE', /Unknown option '--nope'/],
  ];
  for (const [args, status, code, message] of cases) {
    const r = run(args);
    assert.equal(r.status, status, args.join(' '));
    assert.equal(r.stderr, '', 'nothing on standard error');
    const e = json(r);
    assert.equal(e.error, true);
    assert.equal(e.code, code, args.join(' '));
    assert.equal(typeof e.message, 'string');
    if (message) assert.match(e.message, message);
  }
  // Without --json the same error is text on standard error.
  const r = run(['qsh', 'GET', 'not a url']);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^atlassian-sign: ERR_INVALID_URL: /);
  // A failed verification stays exit 1, with its code.
  const token = api.encodeJwt({ iss: 'app', exp: 4102444800 }, 's');
  const bad = run(['jwt', 'verify', token, '--alg', 'HS256', '--secret', 'wrong', '--json']);
  assert.equal(bad.status, 1);
  assert.deepEqual([json(bad).valid, json(bad).code], [false, 'ERR_JWT_SIGNATURE_INVALID']);
});

test('jwt verify says whether the qsh was checked', () => {
  const url = 'https://app.example.com/panel?issue=1';
  const token = api.connectToken({ url, appKey: 'app', secret: 's' }).token;
  let r = run(['jwt', 'verify', token, '--alg', 'HS256', '--secret', 's']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^qsh: NOT CHECKED: give --qsh-url URL/m);
  r = run(['jwt', 'verify', token, '--alg', 'HS256', '--secret', 's', '--json']);
  assert.deepEqual(json(r).qsh.checked, false);
  assert.match(json(r).qsh.note, /the qsh claim was not checked/);
  r = run(['jwt', 'verify', token, '--alg', 'HS256', '--secret', 's', '--qsh-url', url, '--json']);
  assert.deepEqual(json(r).qsh, { checked: true, rule: `GET ${url}` });
  r = run(['jwt', 'verify', token, '--alg', 'HS256', '--secret', 's', '--qsh-url', url]);
  assert.match(r.stdout, /^qsh: checked \(GET https:\/\/app.example.com\/panel\?issue=1\)$/m);
  // Another request: the qsh check refuses it.
  r = run(['jwt', 'verify', token, '--alg', 'HS256', '--secret', 's', '--qsh-url', 'https://app.example.com/other']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ERR_QSH_MISMATCH/);
  // --qsh-method alone would look like a check: refused.
  r = run(['jwt', 'verify', token, '--alg', 'HS256', '--secret', 's', '--qsh-method', 'POST']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /only with --qsh-url/);
});

test('keygen without --out prints the private key and the public key of one pair', () => {
  const r = run(['keygen']);
  assert.equal(r.status, 0, r.stderr);
  const [priv, pub] = r.stdout.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----\n/g);
  assert.match(priv, /^-----BEGIN PRIVATE KEY-----/);
  assert.match(pub, /^-----BEGIN PUBLIC KEY-----/);
  assert.equal(createPublicKey(createPrivateKey(priv)).export({ type: 'spki', format: 'pem' }), pub, 'the public key is the private key\'s');
  assert.match(r.stderr, /private key is above the public key/);
  const j = json(run(['keygen', '--json']));
  assert.equal(createPublicKey(createPrivateKey(j.privateKey)).export({ type: 'spki', format: 'pem' }), j.publicKey);
  assert.equal(j.jwk.kty, 'RSA');
  assert.match(j.publicKeyPkcs1, /BEGIN RSA PUBLIC KEY/);
});
