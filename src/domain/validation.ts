import type { ZodError, z } from 'zod';
import { AppError } from './errors.js';

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Every zod issue as a field name and a sentence. Fields are named as the caller wrote them
 * (`limit`, `name`, `config.url`); a problem with the whole value is named `whole`. Unknown keys
 * are named one by one.
 */
export function fieldProblems(error: ZodError, whole = 'body', prefix = ''): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: base ? `${base}.${key}` : key, message: 'unknown field' }));
    }
    return [{ field: base || whole, message: issue.message }];
  });
}

export function validationError(problems: FieldProblem[]): AppError {
  const message = `invalid request: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
  return new AppError('validation.failed', 400, message, { fields: problems });
}

/** What a required field left out (or removed by a PATCH's `null`) is told. */
export const REQUIRED = 'is required';

const TYPE_NAMES: Record<string, string> = { string: 'a string', number: 'a number', int: 'a whole number', boolean: 'true or false', object: 'an object', record: 'an object', array: 'an array' };

/**
 * Sentences for what zod would say in its own words ("Invalid input: expected string, received
 * undefined", "Too big: expected string to have <=100 characters"), in the words the API's own
 * messages use: every request schema (src/api/app.ts sets them for the process) and every schema
 * a source body goes through. A schema's own message wins over these.
 */
export const houseSentences: z.core.$ZodErrorMap = (issue) => {
  const size = (n: unknown, unit: string) => `${String(n)} ${unit}${n === 1 ? '' : 's'}`;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return REQUIRED;
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}${issue.input === null ? ', not null' : ''}`;
    case 'too_small':
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `must be at least ${size(issue.minimum, 'character')}`;
      if (issue.origin === 'array') return `must have at least ${size(issue.minimum, 'item')}`;
      return issue.origin === 'number' ? `must be at least ${String(issue.minimum)}` : undefined;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${size(issue.maximum, 'character')}`;
      if (issue.origin === 'array') return `must have at most ${size(issue.maximum, 'item')}`;
      return issue.origin === 'number' ? `must be at most ${String(issue.maximum)}` : undefined;
    case 'invalid_value': {
      // An enum or literal (a role, a sensitivity, a source type): the words it takes, as written.
      const words = issue.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      if (words.length === 1) return `must be ${words[0]}`;
      return `expected one of ${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
    }
    default:
      return undefined;
  }
};
