import type { Context } from 'koa';
import { AppError } from '../../domain/errors.js';
import type { RegistrationFlowView } from '../../flows/registration/types.js';

/**
 * Where the registration pages live. Started on its own, a registration runs under `/register`. Started from the
 * sign-in page of a relying party, the same pages run under `/interaction/<uid>/register`: oidc-provider scopes its
 * interaction cookie to `/interaction/<uid>`, so only under that path can the last page resume the sign-in the person
 * began (and prove it is this browser's sign-in).
 */
export const STANDALONE_PREFIX = '/register';
export const INTERACTION_PREFIX = '/interaction/:uid/register';

/** oidc-provider interaction uids are nanoids; anything else in the URL is refused before any lookup. */
const INTERACTION_UID = /^[A-Za-z0-9_-]{10,64}$/;

export interface RegistrationBase {
  /** The relying party's interaction this registration returns to. */
  uid?: string;
  /** URL path of the first page; the others are below it. */
  path: string;
}

export function standaloneBase(): RegistrationBase {
  return { path: STANDALONE_PREFIX };
}

export function interactionBase(uid: string): RegistrationBase {
  return { uid, path: `/interaction/${encodeURIComponent(uid)}/register` };
}

/** The base of the page being requested. */
export function baseOf(ctx: Context): RegistrationBase {
  const uid: unknown = ctx.params.uid;
  if (uid === undefined) return standaloneBase();
  if (typeof uid !== 'string' || !INTERACTION_UID.test(uid)) throw new AppError('not_found');
  return interactionBase(uid);
}

/** The base a flow's pages belong to: a dependant's registration is always run from the account pages. */
export function baseOfFlow(flow: RegistrationFlowView): RegistrationBase {
  return flow.interactionUid && flow.kind !== 'dependant' ? interactionBase(flow.interactionUid) : standaloneBase();
}

export const sameBase = (a: RegistrationBase, b: RegistrationBase): boolean => a.path === b.path;

export const registrationPages = (base: RegistrationBase) => ({
  choose: base.path,
  citizen: `${base.path}/citizen`,
  foreigner: `${base.path}/foreigner`,
  code: `${base.path}/code`,
  resend: `${base.path}/code/resend`,
  password: `${base.path}/password`,
  done: `${base.path}/done`,
});

/** The relying party's sign-in page the registration was started from. */
export const signInPage = (uid: string): string => `/interaction/${encodeURIComponent(uid)}`;
