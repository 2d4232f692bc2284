import { createHash } from 'node:crypto';
import type { Account } from '../../domain/account.js';
import { consentCoversComparison, LEVEL_TWO_LEGAL_BASIS, levelTwoIneligibility } from '../../domain/level-two.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { Level2Context } from './level2-context.js';
import type { Level2ConsentInput, Level2Status, RecordConsentError } from './types.js';

/** Longest consent text recorded; the catalogue's text is a few hundred characters. */
const MAX_CONSENT_TEXT = 10_000;

/** The status the pages show, from the account and the attempt window. */
export async function statusOf(context: Level2Context, account: Account): Promise<Level2Status> {
  const now = context.now();
  const { settings } = context;
  const window = await context.deps.attempts.peek(account.id, now);
  const ineligible = levelTwoIneligibility(account);
  return {
    level: account.level,
    ...(ineligible ? { ineligible } : {}),
    consentCurrent: consentCoversComparison(account.biometricConsent, settings.consentVersion, now, settings.consentMaxAgeMs),
    consentVersion: settings.consentVersion,
    attemptsLeft: window.remaining,
    ...(window.remaining === 0 && window.freesAt !== undefined ? { nextAttemptAt: window.freesAt } : {}),
    ...(account.levelVerification ? { verification: account.levelVerification } : {}),
  };
}

export async function status(context: Level2Context, accountId: string): Promise<Level2Status | undefined> {
  const account = await context.deps.accounts.findById(accountId);
  return account ? statusOf(context, account) : undefined;
}

/**
 * Decision 34 Art 5.1.b + personal-data rules: biometrics are sensitive data, processed only with explicit consent,
 * recorded first: the version of the text, a digest of the exact text shown (in the language shown) and the time.
 */
export async function recordConsent(
  context: Level2Context,
  accountId: string,
  consent: Level2ConsentInput,
): Promise<Result<Level2Status, RecordConsentError>> {
  const account = await context.deps.accounts.findById(accountId);
  if (!account) return fail('account_not_found');
  const ineligible = levelTwoIneligibility(account);
  if (ineligible) return fail(ineligible);
  if (consent.accepted !== true || typeof consent.text !== 'string' || consent.text.trim() === '' || consent.text.length > MAX_CONSENT_TEXT) {
    return fail('consent_required');
  }
  const now = context.now();
  const updated: Account = {
    ...account,
    biometricConsent: {
      version: context.settings.consentVersion,
      textSha256: createHash('sha256').update(consent.text, 'utf8').digest('hex'),
      locale: consent.locale,
      acceptedAt: now,
    },
    updatedAt: now,
  };
  await context.deps.accounts.save(updated);
  context.log('level2.consent_recorded', { accountId, version: context.settings.consentVersion });
  await context.audit({
    type: 'consent.granted',
    accountId,
    actor: { kind: 'owner', id: accountId },
    legalBasis: LEVEL_TWO_LEGAL_BASIS,
    details: { purpose: 'portrait_comparison', version: context.settings.consentVersion },
    at: now,
  });
  return ok(await statusOf(context, updated));
}
