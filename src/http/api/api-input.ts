import type { ClassConstructor } from 'class-transformer';
import type { Context } from 'koa';
import { AppError } from '../../domain/errors.js';
import { parseBody } from '../dto/parse.js';
import './api-state.js';

/** Account ids are opaque URL-safe strings; anything else names no account. */
const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A JSON body validated by its class (unknown fields refused); 400 naming the bad fields, never their values. */
export function validBody<T extends object>(ctx: Context, schema: ClassConstructor<T>): T {
  if (ctx.request.length && !ctx.is('application/json')) throw new AppError('bad_request', 'the body must be application/json');
  const parsed = parseBody(schema, ctx.request.body ?? {});
  if (!parsed.ok) {
    const fields = [...new Set(parsed.fields ?? [])].join(', ');
    throw new AppError('bad_request', fields ? `invalid or unknown fields: ${fields}` : 'invalid body');
  }
  return parsed.value;
}

/** The `:accountId` of the route, remembered for the `api.called` audit event. */
export function accountIdParam(ctx: Context & { params: Record<string, string> }): string {
  const accountId = ctx.params.accountId ?? '';
  if (!ACCOUNT_ID.test(accountId)) throw new AppError('not_found', 'no such account');
  ctx.state.apiAccountId = accountId;
  return accountId;
}

/** The authenticated caller (api-auth.ts ran before every route). */
export function callerOf(ctx: Context): NonNullable<Context['state']['apiCaller']> {
  const caller = ctx.state.apiCaller;
  if (!caller) throw new AppError('unauthorized');
  return caller;
}
