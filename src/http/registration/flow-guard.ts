import type { Context } from 'koa';
import type { RegistrationFlowView, RegistrationState } from '../../flows/registration/types.js';
import { readFlowId } from './flow-cookie.js';
import type { RegistrationPagesDeps } from './registration-pages-deps.js';
import { baseOf, baseOfFlow, registrationPages, sameBase, type RegistrationBase } from './registration-paths.js';

export type EndedReason = 'not_found' | 'locked';

/**
 * The page for a registration that cannot go on: unknown, expired or replaced (`flow_not_found`, shown identically
 * whatever the cause), or stopped after too many wrong codes.
 */
export function renderEnded(ctx: Context, deps: Pick<RegistrationPagesDeps, 'render'>, base: RegistrationBase, reason: EndedReason): void {
  deps.render(
    ctx,
    'registration/ended',
    {
      titleKey: `registration.ended.${reason}.title`,
      messageKey: `registration.ended.${reason}.message`,
      startAgainUrl: registrationPages(base).choose,
    },
    reason === 'locked' ? 403 : 410,
  );
}

const pageOfState = (flow: RegistrationFlowView): string => {
  const pages = registrationPages(baseOfFlow(flow));
  if (flow.state === 'awaiting_password') return pages.password;
  if (flow.state === 'completed') return pages.done;
  return pages.code;
};

/** Sends the browser to the page of the flow's current state (after a deadline passed, another tab moved it on...). */
export function redirectToState(ctx: Context, flow: RegistrationFlowView, query = ''): void {
  ctx.status = 303;
  ctx.redirect(`${pageOfState(flow)}${query}`);
}

/**
 * The flow of this browser (from its cookie) when it is in the state the page serves and belongs to this URL's base;
 * otherwise the response is already written (the ended page, or a redirect to where the flow stands) and undefined is
 * returned.
 */
export async function flowForPage(
  ctx: Context,
  deps: Pick<RegistrationPagesDeps, 'registration' | 'render'>,
  expected: RegistrationState,
): Promise<{ flow: RegistrationFlowView; base: RegistrationBase } | undefined> {
  const base = baseOf(ctx);
  const flowId = readFlowId(ctx);
  const flow = flowId === undefined ? undefined : await deps.registration.load(flowId);
  if (!flow) {
    renderEnded(ctx, deps, base, 'not_found');
    return undefined;
  }
  if (flow.state === 'locked') {
    renderEnded(ctx, deps, baseOfFlow(flow), 'locked');
    return undefined;
  }
  if (flow.state !== expected || !sameBase(base, baseOfFlow(flow))) {
    redirectToState(ctx, flow);
    return undefined;
  }
  return { flow, base };
}
