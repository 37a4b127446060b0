// Shared by the node tests: the vectors and the built package.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const require = createRequire(import.meta.url);
export const vector = (name) => JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8'));

/** The 78 Atlassian vectors, with the two pre-2015 `&` cases brought to the current rule. */
export function connectVectors() {
  const v = vector('connect-jwt-signed-urls.json');
  return {
    secret: v.secret,
    tests: v.tests.map((t) => ({
      ...t,
      expected: t.name.startsWith('BasePath RFC3986 Subdelimiters')
        ? t.canonicalUrl.replace("$&'", "$%26'")
        : t.canonicalUrl,
    })),
  };
}

/** A small seeded PRNG (mulberry32) for the generated-input tests: same seed, same run. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A product's qsh refusal, as Jira and Confluence word it (the server's hash first). */
export const qshRefusal = (expected, actual) =>
  `Expecting claim 'qsh' to have value '${expected}' but instead it has the value '${actual}'`;
