import type { ZodError } from 'zod';
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
