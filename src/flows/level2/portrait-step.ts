import type { LevelVerification } from '../../domain/account.js';
import {
  consentCoversComparison,
  LEVEL_TWO_LEGAL_BASIS,
  levelTwoIneligibility,
  raisedToLevelTwo,
  registryIdentityOpen,
} from '../../domain/level-two.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { Level2Context } from './level2-context.js';
import type { PortraitAttempt, VerifyPortraitError } from './types.js';

const roundScore = (score: number): number => Math.round(score * 1000) / 1000;

/**
 * Decision 34 Art 5.1.b, remotely: the photo the person just took is compared with the portrait the registry holds.
 * The photo is wiped when this returns, whatever happened (never stored, never logged: only the outcome is kept).
 */
export async function verifyPortrait(
  context: Level2Context,
  accountId: string,
  probe: Uint8Array,
): Promise<Result<PortraitAttempt, VerifyPortraitError>> {
  try {
    return await compare(context, accountId, probe);
  } finally {
    probe.fill(0);
  }
}

/**
 * Order and why:
 *  1. Nothing is compared without a current consent (recorded first, consent-step.ts).
 *  2. The attempt is counted before anything is asked (one atomic step in Redis), so concurrent uploads of one account
 *     cannot together exceed 5 comparisons in 6 hours; it is given back when no comparison could be made (registry or
 *     verifier down, no usable reference) or the photo was unusable (counted apart: it tells nothing about a match).
 *  3. The reference is the portrait of the registry's current record, asked for every time.
 */
async function compare(context: Level2Context, accountId: string, probe: Uint8Array): Promise<Result<PortraitAttempt, VerifyPortraitError>> {
  const { deps, settings } = context;
  const account = await deps.accounts.findById(accountId);
  if (!account) return fail('account_not_found');
  const ineligible = levelTwoIneligibility(account);
  if (ineligible) return fail(ineligible);
  const now = context.now();
  if (!consentCoversComparison(account.biometricConsent, settings.consentVersion, now, settings.consentMaxAgeMs)) {
    return fail('consent_required');
  }
  if ((await deps.photoRejections.peek(accountId, now)).remaining === 0) {
    context.log('level2.photo_rejections_exhausted', { accountId });
    return fail('photo_rejections_exhausted');
  }
  const attempt = await deps.attempts.take(accountId, now);
  if (!attempt.taken) {
    context.log('level2.attempts_exhausted', { accountId });
    return fail('attempts_exhausted');
  }
  const giveBack = () => deps.attempts.giveBack(accountId, attempt.attemptId);

  const lookup = await context.currentRecord(account.identity);
  if (!lookup.ok) {
    await giveBack();
    context.log('level2.unavailable', { accountId, dependency: 'registry' });
    return fail('unavailable');
  }
  const record = lookup.value;
  const portraitRef = record && registryIdentityOpen(record) ? record.biometrics.portraitRef : null;
  if (portraitRef === null) {
    await giveBack();
    context.log('level2.reference_unavailable', { accountId, reason: record === null ? 'no_record' : 'no_portrait_or_closed' });
    return fail('reference_unavailable');
  }

  const started = performance.now();
  const checked = await deps.verifier.verifyPortrait({ probe, portraitRef });
  const durationMs = Math.round(performance.now() - started);
  if (!checked.ok) {
    switch (checked.error) {
      case 'verifier_unavailable':
        await giveBack();
        context.log('level2.unavailable', { accountId, dependency: 'verifier', durationMs });
        return fail('unavailable');
      case 'reference_unavailable':
        await giveBack();
        context.log('level2.reference_unavailable', { accountId, reason: 'unusable_portrait', durationMs });
        return fail('reference_unavailable');
      case 'no_face':
      case 'multiple_faces':
      case 'poor_quality': {
        await giveBack();
        await deps.photoRejections.take(accountId, now);
        context.log('level2.photo_rejected', { accountId, reason: checked.error, durationMs });
        const left = await deps.attempts.peek(accountId, now);
        return ok({ kind: 'retake', reason: checked.error, attemptsLeft: left.remaining });
      }
      default: {
        const unexpected: never = checked.error;
        throw new Error(`unknown portrait check failure ${String(unexpected)}`);
      }
    }
  }

  const score = roundScore(checked.value.score);
  if (!checked.value.matched) {
    context.log('level2.portrait_not_matched', { accountId, score, attemptsLeft: attempt.state.remaining, durationMs });
    return ok({
      kind: 'not_matched',
      attemptsLeft: attempt.state.remaining,
      ...(attempt.state.remaining === 0 && attempt.state.freesAt !== undefined ? { nextAttemptAt: attempt.state.freesAt } : {}),
    });
  }

  const verification: LevelVerification = {
    method: checked.value.method,
    at: now,
    score,
    legalBasis: LEVEL_TWO_LEGAL_BASIS,
    channel: 'remote',
  };
  // Read again just before writing: the comparison took a while and the record may have changed meanwhile.
  const current = (await deps.accounts.findById(accountId)) ?? account;
  await deps.accounts.save(raisedToLevelTwo(current, verification, context.now()));
  context.log('level2.portrait_matched', { accountId, score, durationMs });
  await context.audit({
    type: 'level.changed',
    accountId,
    actor: { kind: 'owner', id: accountId },
    legalBasis: LEVEL_TWO_LEGAL_BASIS,
    details: { from: current.level, to: 2, method: verification.method, channel: 'remote' },
    at: now,
  });
  return ok({ kind: 'matched', verification });
}
