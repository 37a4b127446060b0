// The lodash functions atlassian-jwt asks of the request parameters, as lodash 4 answers.

export const hasOwn = Object.prototype.hasOwnProperty;
const toTag = Object.prototype.toString;

// lodash isEmpty, which atlassian-jwt asks of the query before it reads the body.
export function isEmpty(value) {
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
export function keysIn(value) {
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
