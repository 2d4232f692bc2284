/**
 * One catalogue of error codes with stable strings. The HTTP layer maps each to a status and a page; messages shown to
 * people come from the translation files keyed by these codes and never contain personal data.
 */
export const ERROR_CODES = {
  bad_request: 400,
  unauthorized: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  service_unavailable: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error the edge turns into a clear page or problem+json; `detail` is safe to show (no personal data). */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
  ) {
    super(detail ?? code);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

/** Raised by adapters when a dependency (Redis, a registry, a sender) cannot answer: the request fails closed with 503. */
export class DependencyUnavailableError extends AppError {
  constructor(readonly dependency: string) {
    super('service_unavailable', `${dependency} unavailable`);
    this.name = 'DependencyUnavailableError';
  }
}
