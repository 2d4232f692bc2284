import type { Context } from 'koa';
import { AppError } from '../../domain/errors.js';

/**
 * Where the level-2 pages live (Decision 34 Art 5.1.b). For a signed-in owner: `/account/level2`. During a relying
 * party's sign-in that asks for level 2 of a level-1 account: `/interaction/<uid>/level2`, inside the interaction's
 * path, so that oidc-provider's interaction cookie (path `/interaction/<uid>`) comes along and proves the sign-in is this
 * browser's; the sign-in page links there (level2InteractionPath).
 */
export const LEVEL2_STANDALONE_PREFIX = '/account/level2';
export const LEVEL2_INTERACTION_PREFIX = '/interaction/:uid/level2';

/** oidc-provider interaction uids are nanoids; anything else in the URL is refused before any lookup. */
const INTERACTION_UID = /^[A-Za-z0-9_-]{10,64}$/;

export interface Level2Base {
  /** The sign-in (interaction) this verification belongs to. */
  uid?: string;
  /** URL path of the first page; the others are below it. */
  path: string;
}

/** The link the sign-in page gives a level-1 account asked for level 2. */
export const level2InteractionPath = (uid: string): string => `/interaction/${encodeURIComponent(uid)}/level2`;

/** The sign-in page of an interaction, where the person goes back once verified (or to give up). */
export const signInPageOf = (uid: string): string => `/interaction/${encodeURIComponent(uid)}`;

export function level2BaseOf(ctx: Context): Level2Base {
  const uid: unknown = ctx.params.uid;
  if (uid === undefined) return { path: LEVEL2_STANDALONE_PREFIX };
  if (typeof uid !== 'string' || !INTERACTION_UID.test(uid)) throw new AppError('not_found');
  return { uid, path: level2InteractionPath(uid) };
}

export const level2Pages = (base: Level2Base) => ({
  start: base.path,
  consent: `${base.path}/consent`,
  photo: `${base.path}/photo`,
  result: `${base.path}/result`,
});
