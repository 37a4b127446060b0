// Typed claims and key forms (issue 18), compiled with `tsc --noEmit -p tests/types`.
import {
  createForgeJwks, decodeJwt, encodeJwtAsync, exportPublicKey, signAsap, verifyAsap, verifyForgeInvocationToken, verifyJwt, verifyJwtAsync,
} from 'atlassian-sign';
import type { DecodedJwt, ForgeInvocation, ForgeJwks, JwtPayload, Key, KeyObjectLike, RsaKeyInput } from 'atlassian-sign';

// node:crypto's createPrivateKey, by shape (these types are checked without @types/node).
declare function createPrivateKey(pem: string): KeyObjectLike;

interface TenantClaims extends JwtPayload {
  tenant: string;
}

async function claims(token: string, key: Key): Promise<void> {
  const payload = verifyJwt(token, key, { algorithms: ['HS256'] });
  // Registered claims are typed: a string once checked, as with jose's JWTPayload.
  if (payload.iss) {
    const iss: string = payload.iss;
    void iss;
  }
  // @ts-expect-error iss may be absent until checked
  const unchecked: string = payload.iss;
  const exp: number | undefined = payload.exp;
  const aud: string | string[] | undefined = payload.aud;
  const qsh: string | undefined = payload.qsh;
  // @ts-expect-error exp is a number, not a string
  const wrong: string | undefined = payload.exp;
  if (payload.context) {
    const user = payload.context.user;
    void user;
  }
  const tenant: string = verifyJwt<TenantClaims>(token, key, { algorithms: 'HS256' }).tenant;
  const later: TenantClaims = await verifyJwtAsync<TenantClaims>(token, key, { algorithms: ['RS256'] });
  const decoded: DecodedJwt<TenantClaims> = decodeJwt<TenantClaims>(token);
  const sub: string | undefined = decodeJwt(token).payload.sub;
  if (decoded.payload.jti) {
    const jti: string = decoded.payload.jti;
    void jti;
  }
  void unchecked; void exp; void aud; void qsh; void wrong; void tenant; void later; void sub;
}

async function forms(keyObject: KeyObjectLike, cryptoKey: CryptoKey, bytes: Uint8Array): Promise<void> {
  const keys: Key[] = [keyObject, cryptoKey, bytes, bytes.buffer as ArrayBuffer, 'secret', { kty: 'oct', k: 'c2VjcmV0' }];
  for (const k of keys) await encodeJwtAsync({ iss: 'a' }, k);
  const rsa: RsaKeyInput = createPrivateKey('-----BEGIN PRIVATE KEY-----');
  signAsap({ issuer: 'i', kid: 'i/k', audience: 'a', privateKey: rsa });
  await verifyAsap('t', async () => cryptoKey, { audience: 'a' });
  exportPublicKey(keyObject);
  // @ts-expect-error a number is not a key
  await encodeJwtAsync({ iss: 'a' }, 42);
}
void claims; void forms;

// Forge: a cached remote JWKS makes the verifier asynchronous; a JWKS object keeps it synchronous.
async function forge(token: string): Promise<void> {
  const jwks: ForgeJwks = createForgeJwks({ timeout: 2000, cacheMaxAge: 60_000, cooldown: 10_000 });
  const fromSource: ForgeInvocation = await verifyForgeInvocationToken(token, { jwks, appId: 'a' });
  const direct: ForgeInvocation = verifyForgeInvocationToken(token, { jwks: { keys: [] }, appId: 'a' });
  // @ts-expect-error with a JWKS source the result is a Promise
  const wrong: ForgeInvocation = verifyForgeInvocationToken(token, { jwks, appId: 'a' });
  void fromSource; void direct; void wrong;
}
void forge;
