import { z } from '@hono/zod-openapi';
import { isIso639_1 } from '../domain/language/iso639.js';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation.failed' }),
      message: z.string().openapi({ example: 'invalid request: name: unknown field' }),
      requestId: z.string().nullable(),
      fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
      position: z.number().int().optional().openapi({ description: 'For query.invalid: the 0-based offset of the problem in the query.' }),
      retryAfterSeconds: z.number().int().optional().openapi({ description: 'With a 429: the seconds to wait before retrying, as the `Retry-After` header says.' }),
    }),
  })
  .openapi('Error');

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

/** Every 429 sends it (errors.ts handleError), with the same seconds as `error.retryAfterSeconds`. */
const RetryAfterHeader = z.object({ 'Retry-After': z.string().openapi({ description: 'Seconds until a request may succeed.', example: '1' }) });

export const errors = {
  400: errorResponse('Invalid request; `error.fields` names the offending fields (and `query.invalid` gives the `position` of the problem in the query).'),
  401: errorResponse('Missing, invalid, revoked or expired credentials.'),
  404: errorResponse('Not found in this workspace.'),
  409: errorResponse('Conflicts with existing data.'),
  429: {
    ...errorResponse(
      'Rate limited; retry after the `Retry-After` seconds (also `error.retryAfterSeconds`). `rate_limit.exceeded`: the API key\'s request budget is spent; ' +
        '`auth.too_many_failures`: too many failed authentications from this address.',
    ),
    headers: RetryAfterHeader,
  },
  503: errorResponse('A dependency (Postgres or Redis) is unavailable; retry later.'),
} as const;

export const commonErrors = { 400: errors[400], 401: errors[401], 429: errors[429], 503: errors[503] } as const;

/**
 * A query parameter given more than once (`limit=1&limit=2`) reaches the schema as an array:
 * name that, instead of letting the array fail a string or number check with a message about
 * its type.
 */
const GIVEN_TWICE = 'given more than once; give it once';
function refuseRepeated(v: unknown, ctx: z.RefinementCtx): unknown {
  if (!Array.isArray(v)) return v;
  ctx.issues.push({ code: 'custom', message: GIVEN_TWICE, input: v });
  return z.NEVER;
}

/** A query parameter that must be given at most once. */
export const once = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(refuseRepeated, schema);

/**
 * A query parameter that takes one of a few lower-case words, in any letter case (`sentiment=Negative`,
 * `interval=Day`), as `lang=` takes `CS`: the words name nothing else, so the case cannot change
 * which one is meant. A list of them (`sentiment=negative,positive`) is named as one: each
 * parameter takes one value.
 */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const allowed = new Set<string>(values);
  const listed = values.length === 1 ? values[0] : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.toLowerCase() : v),
    z.enum(values, {
      error: (issue) =>
        typeof issue.input === 'string' && issue.input.split(',').length > 1 && issue.input.split(',').every((part) => allowed.has(part.trim()))
          ? `takes one value, not a list: one of ${listed}`
          : issue.input === undefined
            ? undefined
            : `expected one of ${listed}`,
    }),
  );
}

const NOT_A_LANG = 'expected a two-letter ISO 639-1 code such as cs';

/**
 * A language as mentions store it: ISO 639-1, taken in either case (`CS` is `cs`, as in BCP 47).
 * Two letters that name no language (`xx`) are refused, as `lang:xx` in a query is.
 */
export const LangCode = z
  .string()
  .regex(/^[a-zA-Z]{2}$/, { message: NOT_A_LANG, abort: true })
  .refine(isIso639_1, NOT_A_LANG)
  .transform((code) => code.toLowerCase());

const WHOLE_NUMBER = 'expected a whole number in the digits 0-9, such as 50';

/**
 * `limit=`, 1–200, the one definition every list uses. Decimal digits only: coercion alone would
 * read '0x10' as 16, '1e2' as 100 and ' 7 ' as 7. Any run of digits is a number, however long, so
 * 99999999999 is too large rather than not a number (past 15 digits it is only known to be large).
 */
export const limitParam = (defaultValue: number) =>
  z
    .preprocess(
      (v, ctx) => {
        if (Array.isArray(v)) return refuseRepeated(v, ctx);
        if (typeof v !== 'string') return v;
        if (!/^\d+$/.test(v)) return Number.NaN;
        const digits = v.replace(/^0+(?=\d)/, '');
        return digits.length > 15 ? Number.MAX_SAFE_INTEGER : Number(digits);
      },
      z.number({ message: WHOLE_NUMBER }).int(WHOLE_NUMBER).min(1, 'must be at least 1').max(200, 'must be at most 200'),
    )
    .default(defaultValue);

export const PageQuery = z.strictObject({
  limit: limitParam(50).openapi({ param: { name: 'limit', in: 'query' }, example: 50 }),
  cursor: once(z.string().max(2000))
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: 'The `nextCursor` of the previous page.' }),
});

export const IdParam = z.strictObject({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }),
});

export const pageOf = <T extends z.ZodTypeAny>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const bearer = [{ bearer: [] as string[] }];

/** The one definition (domain/analytics/net-sentiment.ts): share of voice, the SWOT and the digest describe it in the same words. */
export const NET_SENTIMENT = '(positive − negative) / scored mentions (positive + neutral + negative; unscored mentions are left out), −1..1; null when none was scored.';
