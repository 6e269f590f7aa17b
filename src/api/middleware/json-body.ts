import type { MiddlewareHandler } from 'hono';
import { validationError, type FieldProblem } from '../../domain/validation.js';
import type { ApiEnv } from '../context.js';

/** Deeper than any body the API takes (a list of objects of lists); a deeper one is refused, not walked. */
export const MAX_JSON_DEPTH = 32;

/** Keys that name an object's prototype: merged into a plain object, they would replace it. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A surrogate not in a pair, as JSON's `"\ud800"` escape makes: UTF-8, and so Postgres, has no spelling of it. */
const LONE_SURROGATE = /\p{Cs}/u;

const fieldOf = (path: readonly string[]) => (path.length ? path.join('.') : 'body');

/**
 * What must not pass in a parsed JSON body, wherever it sits: a NUL character in a string or a
 * key (Postgres text and jsonb cannot store it), a lone surrogate in either (the driver would
 * store U+FFFD in its place: a brand query or webhook URL not the one sent), a prototype key
 * (`__proto__` would replace the prototype of an object a route merges fields into), or nesting
 * deeper than MAX_JSON_DEPTH. Walked with an explicit stack: a body of a few KB can nest thousands deep.
 */
function bodyProblems(body: unknown): FieldProblem[] {
  const found: FieldProblem[] = [];
  const stack: Array<{ value: unknown; path: string[] }> = [{ value: body, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) found.push({ field: fieldOf(path), message: 'must not contain the NUL character (\\u0000)' });
      else if (LONE_SURROGATE.test(value)) found.push({ field: fieldOf(path), message: 'must be valid Unicode text (a lone surrogate)' });
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH) {
      found.push({ field: fieldOf(path), message: `nests deeper than ${MAX_JSON_DEPTH} levels` });
      continue;
    }
    const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((item, i) => [String(i), item]) : Object.entries(value);
    for (const [key, item] of entries) {
      if (key.includes('\u0000')) found.push({ field: fieldOf(path), message: 'must not have a field name with the NUL character (\\u0000)' });
      else if (LONE_SURROGATE.test(key)) found.push({ field: fieldOf(path), message: 'must not have a field name that is not valid Unicode text (a lone surrogate)' });
      else if (!Array.isArray(value) && PROTOTYPE_KEYS.has(key)) found.push({ field: fieldOf([...path, key]), message: 'unknown field' });
      else stack.push({ value: item, path: [...path, key] });
    }
  }
  return found;
}

type Frame = { keys: Set<string> | null; label: string; index: number; awaitingKey: boolean };

/**
 * Keys given twice in one object of a valid JSON text. JSON.parse keeps the last silently, while a
 * proxy or a client's own checks may have read the first: the body would mean two things. Keys
 * compare after unescaping (`"a"` and `"\u0061"` are one key). A scan of the text with an explicit
 * stack; strings are skipped whole.
 */
function duplicateKeys(text: string): FieldProblem[] {
  const found: FieldProblem[] = [];
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let end = text.indexOf('"', i + 1);
      // A quote preceded by an odd number of backslashes is escaped.
      for (;;) {
        let slashes = 0;
        while (text[end - 1 - slashes] === '\\') slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      const top = stack[stack.length - 1];
      if (top?.keys && top.awaitingKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys.has(key)) found.push({ field: fieldOf([...stack.slice(0, -1).map((f) => f.label), key]), message: 'is given more than once' });
        top.keys.add(key);
        top.label = key;
        top.awaitingKey = false;
      }
      i = end;
    } else if (ch === '{' || ch === '[') {
      stack.push({ keys: ch === '{' ? new Set() : null, label: '0', index: 0, awaitingKey: ch === '{' });
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      const top = stack[stack.length - 1];
      if (top?.keys) top.awaitingKey = true;
      else if (top) top.label = String(++top.index);
    }
  }
  return found;
}

/** JSON is UTF-8 (RFC 8259); a lenient decoder would store U+FFFD for bytes that are not, unsaid. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Refuses a JSON body that is not UTF-8, or holds a NUL character, a lone surrogate, a prototype
 * key or nesting past MAX_JSON_DEPTH anywhere (bodyProblems), or a key given twice in one object
 * (duplicateKeys), with a 400 naming the fields. Bodies that are not JSON, or not valid JSON, are
 * left to the route's own validation.
 */
export function refuseNulInJson(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && /json/i.test(c.req.header('content-type') ?? '')) {
      const bytes = await c.req.arrayBuffer();
      let text: string;
      try {
        text = UTF8.decode(bytes);
      } catch {
        throw validationError([{ field: 'body', message: 'must be UTF-8 text; it holds bytes that are not (another encoding, or an encoded lone surrogate)' }]);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const problems = bodyProblems(body);
      if (body !== undefined && !problems.length) problems.push(...duplicateKeys(text));
      if (problems.length) throw validationError(problems);
    }
    await next();
  };
}
