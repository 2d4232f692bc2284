import type { Context, Middleware } from 'koa';
import type { PasswordPolicy } from '../../domain/password-policy.js';
import type { RateLimiter } from '../../domain/ports.js';
import type { AccountSelfServiceApi, OwnerRequestContext } from '../../flows/account/types.js';
import type { OwnerLockOperations } from '../../flows/locks/types.js';
import type { render } from '../views.js';
import type { DependantsPageDeps } from './dependants-page.js';
import type { OwnerGuardDeps } from './owner-guard.js';

/** Consents given to relying parties and their withdrawal (flows/consent/consent-service.ts). */
export interface ConnectedServices {
  connectedServices(accountId: string): Promise<string[]>;
  revokeConsent(accountId: string, clientId: string): Promise<{ revoked: number }>;
}

/** What the owner's pages need (server.ts builds it from the container). */
export interface AccountPagesDeps extends OwnerGuardDeps, DependantsPageDeps {
  render: typeof render;
  formBody: Middleware;
  requireCsrf: Middleware;
  self: AccountSelfServiceApi;
  locks: Pick<OwnerLockOperations, 'statusOf' | 'lockOwnAccount'>;
  /** Absent: the services section and page are not offered. */
  consents?: ConnectedServices;
  /** Signed-in changes (consent withdrawals, password and contact attempts) per account; the lock is never limited. */
  changesPerAccount: RateLimiter;
  passwordPolicy: PasswordPolicy;
  /** Pages of other parts the overview links to, when they are mounted. */
  links: { level2?: string; authenticator?: string };
}

/** The request as the flows see it: the client IP (as the proxy setting trusts it) and the page language. */
export const requestContextOf = (ctx: Context): OwnerRequestContext => ({ ip: ctx.ip, locale: ctx.state.locale });
