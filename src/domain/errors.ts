/**
 * A failure the caller can act on. `code` is `<module>.<reason>` and is part of the public
 * contract; `status` is the HTTP status the API answers with.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: 400 | 401 | 404 | 409 | 413 | 422 | 429 | 503,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (module: string, what: string) => new AppError(`${module}.not_found`, 404, `${what} not found`);
