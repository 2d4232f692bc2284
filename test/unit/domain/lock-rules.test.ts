import { describe, expect, it } from '@jest/globals';
import type { AccountLock, LockActor, LockReason } from '../../../src/domain/lock.js';
import { LOCK_REASONS } from '../../../src/domain/lock.js';
import { decideLift, decideOpen, LOCK_RULES, mayRecordRemediation, ownerMayLiftNow, type RegistryLiftCause } from '../../../src/domain/lock-rules.js';

/** Decision 34 Art 10 (who locks) and Art 11 (who lifts), one row per case of DECREE.md's table. */

const ACCOUNT = 'acc-1';
const owner: LockActor = { kind: 'owner', id: ACCOUNT };
const otherOwner: LockActor = { kind: 'owner', id: 'acc-2' };
const agencyA: LockActor = { kind: 'agency', id: 'agency-a' };
const agencyB: LockActor = { kind: 'agency', id: 'agency-b' };
const serviceA: LockActor = { kind: 'service_user', id: 'portal-a' };
const serviceB: LockActor = { kind: 'service_user', id: 'portal-b' };
const operator: LockActor = { kind: 'operator', id: 'ops' };
const population: LockActor = { kind: 'registry', id: 'population' };
const immigration: LockActor = { kind: 'registry', id: 'immigration' };

const lock = (reason: LockReason, requestedBy: LockActor, remediated = false): AccountLock => ({
  id: 'lock-1',
  accountId: ACCOUNT,
  reason,
  requestedBy,
  legalBasis: LOCK_RULES[reason].article,
  at: 0,
  ...(remediated ? { remediation: { recordedBy: operator, at: 1 } } : {}),
});

describe('who may open which lock (Decision 34 Art 10)', () => {
  const rows: [LockReason, LockActor, boolean][] = [
    ['owner_request', owner, true],
    ['owner_request', otherOwner, false],
    ['owner_request', agencyA, false],
    ['agency_request', agencyA, true],
    ['agency_request', serviceA, false],
    ['agency_request', operator, false],
    ['service_user_request', serviceA, true],
    ['service_user_request', agencyA, false],
    ['terms_violation', operator, true],
    ['terms_violation', agencyA, false],
    ['terms_violation', owner, false],
    ['id_number_invalidated', population, true],
    ['id_number_invalidated', operator, false],
    ['id_number_re_established', population, true],
    ['id_number_re_established', agencyA, false],
    ['death', population, true],
    ['death', immigration, true],
    ['death', agencyA, false],
    ['death', owner, false],
    ['foreign_document_expired', immigration, true],
    ['foreign_document_expired', operator, false],
  ];
  it.each(rows)('%s opened by %j: %s', (reason, actor, allowed) => {
    const decision = decideOpen(reason, actor, ACCOUNT);
    expect(decision.ok).toBe(allowed);
    if (decision.ok) expect(decision.value.legalBasis).toBe(LOCK_RULES[reason].article);
    else expect(decision.error).toBe('not_allowed_to_open');
  });
});

describe('who may lift which lock (Decision 34 Art 11)', () => {
  type Row = [string, AccountLock, LockActor, RegistryLiftCause | undefined, string];
  const rows: Row[] = [
    // Art 11.1: the owner's own lock, by the owner only.
    ['own lock, owner', lock('owner_request', owner), owner, undefined, 'Decision 34 Art 11.1'],
    ['own lock, another owner', lock('owner_request', owner), otherOwner, undefined, 'owner_only'],
    ['own lock, an agency', lock('owner_request', owner), agencyA, undefined, 'owner_only'],
    ['own lock, the operator', lock('owner_request', owner), operator, undefined, 'owner_only'],
    // Art 11.2: only the agency or service user that asked.
    ['agency lock, same agency', lock('agency_request', agencyA), agencyA, undefined, 'Decision 34 Art 11.2'],
    ['agency lock, another agency', lock('agency_request', agencyA), agencyB, undefined, 'not_requesting_party'],
    ['agency lock, the owner', lock('agency_request', agencyA), owner, undefined, 'not_requesting_party'],
    ['agency lock, the operator', lock('agency_request', agencyA), operator, undefined, 'not_requesting_party'],
    ['agency lock, a service user with the same id', lock('agency_request', agencyA), { kind: 'service_user', id: 'agency-a' }, undefined, 'not_requesting_party'],
    ['service-user lock, same service user', lock('service_user_request', serviceA), serviceA, undefined, 'Decision 34 Art 11.2'],
    ['service-user lock, another service user', lock('service_user_request', serviceA), serviceB, undefined, 'not_requesting_party'],
    // Art 11.3: the owner asks once the violation was remedied.
    ['terms lock, owner, not remedied', lock('terms_violation', operator), owner, undefined, 'remediation_required'],
    ['terms lock, owner, remedied', lock('terms_violation', operator, true), owner, undefined, 'Decision 34 Art 11.3'],
    ['terms lock, operator, remedied', lock('terms_violation', operator, true), operator, undefined, 'owner_only'],
    ['terms lock, another owner, remedied', lock('terms_violation', operator, true), otherOwner, undefined, 'owner_only'],
    // Art 10.4, 10.5: only a registry correction.
    ['number invalidated, registry correction', lock('id_number_invalidated', population), population, 'correction', 'Decision 34 Art 9.1'],
    ['number re-established, registry correction', lock('id_number_re_established', population), population, 'correction', 'Decision 34 Art 9.1'],
    ['number lock, registry renewal', lock('id_number_invalidated', population), population, 'renewal', 'registry_correction_only'],
    ['number lock, the owner', lock('id_number_invalidated', population), owner, undefined, 'registry_correction_only'],
    ['number lock, the operator', lock('id_number_invalidated', population), operator, 'correction', 'registry_correction_only'],
    ['death, registry correction', lock('death', population), population, 'correction', 'Decision 34 Art 9.1'],
    ['death, an agency', lock('death', population), agencyA, undefined, 'registry_correction_only'],
    ['death, the owner', lock('death', population), owner, undefined, 'registry_correction_only'],
    // Later rules: a foreigner's document lock lifts on renewal.
    ['document expired, renewal', lock('foreign_document_expired', immigration), immigration, 'renewal', 'Decree 69/2024 (foreigner document renewed)'],
    ['document expired, correction', lock('foreign_document_expired', immigration), immigration, 'correction', 'document_renewal_only'],
    ['document expired, the owner', lock('foreign_document_expired', immigration), owner, undefined, 'document_renewal_only'],
  ];
  it.each(rows)('%s -> %s', (_name, subject, actor, cause, expected) => {
    const decision = decideLift(subject, actor, cause);
    if (decision.ok) expect(decision.value.liftBasis).toBe(expected);
    else expect(decision.error).toBe(expected);
  });

  it('cites an article for every reason, to open and to lift', () => {
    for (const reason of LOCK_REASONS) {
      expect(LOCK_RULES[reason].article).toMatch(/Art \d+|Decree/);
      expect(LOCK_RULES[reason].liftArticle).toMatch(/Art \d+|Decree/);
    }
  });

  it('lets the owner lift now only their own lock or a remedied terms lock', () => {
    expect(LOCK_REASONS.filter((reason) => ownerMayLiftNow(lock(reason, LOCK_RULES[reason].openedBy[0] === 'owner' ? owner : operator)))).toEqual(['owner_request']);
    expect(ownerMayLiftNow(lock('terms_violation', operator, true))).toBe(true);
  });

  it('takes a remediation on a terms lock from the operator only (Art 11.3)', () => {
    expect(mayRecordRemediation(lock('terms_violation', operator), operator)).toBe(true);
    expect(mayRecordRemediation(lock('terms_violation', operator), agencyA)).toBe(false);
    expect(mayRecordRemediation(lock('agency_request', agencyA), operator)).toBe(false);
  });
});
