import type { AuditEvent } from '../../domain/audit.js';
import type { AssuranceLevel } from '../../domain/levels.js';
import { coarseLocationOfNetwork, type HomeRanges } from '../../domain/network-location.js';
import { AUDIT_PAGE_MAX } from '../audit/types.js';
import type { AccountSelfServiceDeps, AccountSelfServiceSettings } from './account-context.js';
import type { AccountOverview, DependantView, SignInView } from './types.js';

/** Pages of the audit trail read at most to find the recent sign-ins among other events. */
const MAX_AUDIT_PAGES = 3;

/**
 * Everything the owner's page shows (Decision 34 Art 12.1.dd): the account as held, its status (locks, with reason and
 * how each is lifted), its level, where it was used lately, and the people registered through it (Art 6.2, 6.3).
 * Undefined when the account does not exist.
 */
export async function accountOverview(
  deps: AccountSelfServiceDeps,
  settings: AccountSelfServiceSettings,
  accountId: string,
): Promise<AccountOverview | undefined> {
  const account = await deps.accounts.findById(accountId);
  if (!account) return undefined;
  const [lockStatus, recentSignIns, dependants] = await Promise.all([
    deps.locks.statusOf(accountId),
    recentSignInsOf(deps, accountId, settings.recentSignIns, settings.homeRanges),
    deps.accounts.dependantsOf(accountId),
  ]);
  return {
    account,
    lockStatus,
    recentSignIns,
    dependants: dependants.map(
      (dependant): DependantView => ({
        fullName: dependant.identity.fullName,
        birthDate: dependant.identity.birthDate,
        status: dependant.status,
        level: dependant.level,
      }),
    ),
  };
}

/** The latest successful sign-ins of the account from the audit trail, newest first. */
async function recentSignInsOf(
  deps: Pick<AccountSelfServiceDeps, 'audit'>,
  accountId: string,
  count: number,
  home: HomeRanges | undefined,
): Promise<SignInView[]> {
  const found: SignInView[] = [];
  let before: string | undefined;
  for (let page = 0; page < MAX_AUDIT_PAGES && found.length < count; page += 1) {
    const events = await deps.audit.listForAccount(accountId, { limit: AUDIT_PAGE_MAX, ...(before ? { before } : {}) });
    for (const event of events.events) {
      if (event.type === 'sign_in.succeeded' && found.length < count) found.push(signInView(event, home));
    }
    if (!events.nextCursor) break;
    before = events.nextCursor;
  }
  return found;
}

function signInView(event: AuditEvent, home: HomeRanges | undefined): SignInView {
  const level = event.details?.level;
  const parsedLevel = typeof level === 'number' ? level : typeof level === 'string' ? Number(level) : undefined;
  return {
    at: event.at,
    ...(event.clientId ? { clientId: event.clientId } : {}),
    ...(parsedLevel === 1 || parsedLevel === 2 ? { level: parsedLevel as AssuranceLevel } : {}),
    location: coarseLocationOfNetwork(event.location, home),
  };
}
