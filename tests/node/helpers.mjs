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
