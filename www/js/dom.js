// DOM helpers shared by every section: reading fields, filling results, verdicts and errors.

import { FIXES, SERAPH_FIXES } from './fixes.js';

export const $ = (id) => document.getElementById(id);

/** A field's value without surrounding blanks. */
export const trimmed = (id) => $(id).value.trim();

/** Fills an error box: the code, the library's message, and what to change. */
export function errorNodes(error, fix) {
  const code = document.createElement('strong');
  code.className = 'code';
  code.textContent = error.code ?? error.name ?? 'Error';
  const message = document.createElement('span');
  message.className = 'message';
  message.textContent = ` ${error.message}`;
  const nodes = [code, message];
  const what = fix ?? (error.seraphCode && SERAPH_FIXES[error.seraphCode]) ?? FIXES[error.code];
  if (what) {
    const f = document.createElement('span');
    f.className = 'fix';
    f.textContent = what;
    nodes.push(f);
  }
  return nodes;
}

export function showError(id, error, fix) {
  const el = $(id);
  if (!error) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  el.replaceChildren(...errorNodes(error, fix));
  el.hidden = false;
}

export function setValue(id, text, placeholder = '') {
  const el = $(id);
  el.textContent = text || placeholder;
  el.classList.toggle('empty', !text);
  el.dataset.value = text ?? '';
  const copy = document.querySelector(`button.copy[data-copy="${id}"]`);
  if (copy) copy.disabled = !text;
}

/** A result shown as nodes (marked parts, spans) whose copyable text is `text`. */
/** A span of `text` with a class and a tooltip (one part of a token or a base string). */
export function partSpan(cls, text, title) {
  const el = document.createElement('span');
  el.className = cls;
  el.title = title;
  el.textContent = text;
  return el;
}

export function setValueNodes(id, text, nodes) {
  const el = $(id);
  el.replaceChildren(...nodes);
  el.classList.remove('empty');
  el.dataset.value = text;
  document.querySelector(`button.copy[data-copy="${id}"]`).disabled = false;
}

/** A verdict box: kind is 'ok', 'bad', 'warn' or 'none'; content is text or nodes. */
export function setVerdict(id, kind, ...content) {
  const el = $(id);
  el.dataset.kind = kind;
  el.replaceChildren(...content);
}

export function td(content, className) {
  const cell = document.createElement('td');
  if (className) cell.className = className;
  if (typeof content === 'string') cell.textContent = content;
  else cell.append(...content);
  return cell;
}

export function row(...cells) {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}

/** Nodes for text with its differing middle in a <mark> (an empty mark where the other side has more). */
export function markedNodes([before, middle, after]) {
  const mark = document.createElement('mark');
  mark.textContent = middle;
  if (!middle) {
    mark.className = 'gap';
    mark.title = 'missing here';
  }
  return [document.createTextNode(before), mark, document.createTextNode(after)];
}

// ---------------------------------------------------------------- after a programmatic edit

let changeHandler = () => {};

/** Set by main.js: what runs when a field changes (its section's renderer, then storage). */
export function onChanged(handler) {
  changeHandler = handler;
}

/** A section filled a field for the person (a "Use ..." button): re-render as after typing. */
export function changed(el) {
  changeHandler(el);
}
