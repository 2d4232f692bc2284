import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { AppError } from '../../domain/errors.js';

export const DEFAULT_BODY_LIMIT = '16kb';

export interface BodyOptions {
  /** Largest accepted body (bytes or a string like '16kb'); our forms are a few hundred bytes. */
  limit?: string | number;
}

/**
 * Parses urlencoded forms and JSON into ctx.request.body, for our own routes only: oidc-provider parses its own
 * bodies and must never get a consumed stream, so this is never mounted in front of it. Too large -> 413, malformed
 * or in an unsupported charset -> 400, both through the error catalogue.
 */
export function parseBody(options: BodyOptions = {}): Middleware {
  const limit = options.limit ?? DEFAULT_BODY_LIMIT;
  return bodyParser({
    enableTypes: ['form', 'json'],
    formLimit: limit,
    jsonLimit: limit,
    jsonStrict: true,
    onError: (error) => {
      const { status, type } = error as Error & { status?: unknown; type?: unknown };
      if (status === 413 || type === 'entity.too.large') throw new AppError('payload_too_large');
      throw new AppError('bad_request', 'the request body could not be read');
    },
  });
}
