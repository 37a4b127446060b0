// explain(input): why a server refused a request.
import { callJson, json, object, readBody } from './common.js';

export function explainApi(raw) {
  /** Explains a refused request: `{ scheme, cause, causes, summary, fix, client, server, diff, tried }`. */
  function explain(input) {
    const i = object(input, 'explain takes an object: { message, method, url, baseUrl?, body?, token?, authorization?, baseString?, signedUrl? }');
    return callJson(raw.__explain, json({ ...i, body: readBody(i.body, 'body') }, 'input'));
  }
  return { explain };
}
