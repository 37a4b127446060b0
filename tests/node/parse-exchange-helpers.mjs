// Readers shared by the parseExchange tests (parse-exchange-forms and parse-exchange-curl).
import assert from 'node:assert/strict';
import * as api from '../../pkg/index.mjs';

export const parse = (text, options) => api.parseExchange(text, options);

/** The first header named `name` in any case. */
export const header = (headers, name) => {
  const k = Object.keys(headers).find((n) => n.toLowerCase() === name.toLowerCase());
  return k === undefined ? null : headers[k];
};

/** The message of an ERR_INVALID_INPUT error. */
export function refused(text, options) {
  try {
    parse(text, options);
  } catch (e) {
    assert.equal(e.code, 'ERR_INVALID_INPUT', e.message);
    return e.message;
  }
  assert.fail(`not refused: ${JSON.stringify(text).slice(0, 80)}`);
}
