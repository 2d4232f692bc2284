import type { Context, Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { AccountLockStatus, AccountStore } from '../../domain/ports.js';
import type { Level2Api } from '../../flows/level2/types.js';
import type { Clock } from '../../shared/clock.js';
import type { render } from '../views.js';

export type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * Which account a sign-in's level-2 verification is for, or undefined when the person has not proven who they are in
 * this sign-in yet (they are sent back to the sign-in page). The default reads the account of the interaction's
 * session: the password step finished the login prompt (level 1), and the provider then asked again for level 2.
 */
export type InteractionAccountResolver = (ctx: Context, details: InteractionDetails) => Promise<string | undefined>;

/** What the level-2 pages need; built once in server.ts. */
export interface Level2PagesDeps {
  provider: Provider;
  accounts: AccountStore;
  level2: Level2Api;
  /** The flows' clock (times shown for the next attempt). */
  clock: Clock;
  issuer: string;
  /** How long a signed-out visitor may take to sign in (the provider's interaction lifetime). */
  signInMaxAgeMs: number;
  render: typeof render;
  formBody: Middleware;
  requireCsrf: Middleware;
  /** `config.level2`, as far as the pages tell people about it. */
  settings: { attemptsTotal: number; windowSeconds: number; uploadMaxBytes: number };
  /** Decision 34 Art 10: a locked account is unusable, these pages included. */
  lockStatus?: AccountLockStatus;
  interactionAccount?: InteractionAccountResolver;
}
