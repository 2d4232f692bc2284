import { describe, expect, it } from '@jest/globals';
import type { Account } from '../../../src/domain/account.js';
import type { AccountLock, LockReason } from '../../../src/domain/lock.js';
import { planRegistryEvent, reconcileWithRecord, type RegistryAction, type RegistryEvent } from '../../../src/domain/registry-event.js';
import type { CitizenRecord, ForeignerRecord } from '../../../src/domain/registry.js';

/** Decision 34 Art 9.1 (sync), 10.4, 10.5 (locks), draft 2025 (documents hidden) and later rules (foreigner documents). */

const citizen: Account = {
  id: 'acc-c',
  identity: { kind: 'citizen', idNumber: '001090900006', fullName: 'Nguyễn Văn An', birthDate: '1990-09-03', gender: 'male' },
  level: 1,
  status: 'active',
  passwordHash: 'x',
  documents: [{ type: 'identity_card', expiresOn: '2031-09-03', hidden: false }],
  createdAt: 0,
  updatedAt: 0,
};
const foreigner: Account = {
  ...citizen,
  id: 'acc-f',
  identity: { kind: 'foreigner', passportNumber: 'M90000001', nationality: 'KOR', fullName: 'Kim Min-jun', birthDate: '1991-09-03', gender: 'male' },
  documents: [],
};

const event = (type: RegistryEvent['type'], extra: Partial<RegistryEvent> = {}): RegistryEvent => ({
  id: 'e-1',
  type,
  source: 'population',
  occurredAt: '2026-03-01T00:00:00Z',
  subject: { kind: 'citizen', idNumber: '001090900006' },
  ...extra,
});

describe('what a pushed registry event does (planRegistryEvent)', () => {
  const rows: [string, RegistryEvent, Account, RegistryAction[] | string][] = [
    ['a new name', event('identity.changed', { changes: { fullName: 'Nguyễn Văn Bình' } }), citizen, [{ kind: 'update_identity', changes: { fullName: 'Nguyễn Văn Bình' }, fields: ['full_name'] }]],
    ['the same name again', event('identity.changed', { changes: { fullName: 'Nguyễn Văn An' } }), citizen, 'nothing_changed'],
    ['a corrected birth date and gender', event('identity.changed', { changes: { birthDate: '1990-09-04', gender: 'female' } }), citizen, [{ kind: 'update_identity', changes: { birthDate: '1990-09-04', gender: 'female' }, fields: ['birth_date', 'gender'] }]],
    ['a change without data', event('identity.changed'), citizen, 'missing_data'],
    ['a death (Art 10.5)', event('person.died'), citizen, [{ kind: 'open_lock', reason: 'death' }]],
    ['a foreigner\'s death (Art 10.5)', event('person.died', { source: 'immigration' }), foreigner, [{ kind: 'open_lock', reason: 'death' }]],
    ['a death corrected', event('death.corrected'), citizen, [{ kind: 'lift_locks', reasons: ['death'], cause: 'correction' }]],
    ['a number invalidated (Art 10.4)', event('id_number.invalidated'), citizen, [{ kind: 'open_lock', reason: 'id_number_invalidated' }]],
    ['a number re-established (Art 10.4)', event('id_number.re_established'), citizen, [{ kind: 'open_lock', reason: 'id_number_re_established' }]],
    ['a number corrected', event('id_number.corrected'), citizen, [{ kind: 'lift_locks', reasons: ['id_number_invalidated', 'id_number_re_established'], cause: 'correction' }]],
    ['a number event for a foreigner', event('id_number.invalidated'), foreigner, 'wrong_subject_kind'],
    ['an identity card expired (draft 2025: hidden, NOT locked)', event('document.expired', { document: { type: 'identity_card' } }), citizen, [{ kind: 'hide_document', documentType: 'identity_card' }]],
    ['a driving licence renewed', event('document.renewed', { document: { type: 'driving_licence', number: 'B2-123', expiresOn: '2036-01-01' } }), citizen, [{ kind: 'show_document', document: { type: 'driving_licence', number: 'B2-123', expiresOn: '2036-01-01', hidden: false } }]],
    ['a renewal without expiry', event('document.renewed', { document: { type: 'identity_card' } }), citizen, 'missing_data'],
    ['a foreigner\'s residence expired (later rules: lock)', event('residence.expired', { source: 'immigration' }), foreigner, [{ kind: 'open_lock', reason: 'foreign_document_expired' }]],
    ['a foreigner\'s residence renewed', event('residence.renewed', { source: 'immigration' }), foreigner, [{ kind: 'lift_locks', reasons: ['foreign_document_expired'], cause: 'renewal' }]],
    ['a residence event for a citizen', event('residence.expired'), citizen, 'wrong_subject_kind'],
  ];
  it.each(rows)('%s', (_name, subject, account, expected) => {
    const planned = planRegistryEvent(subject, account);
    if (typeof expected === 'string') expect(planned).toEqual({ ok: false, error: expected });
    else expect(planned).toEqual({ ok: true, actions: expected });
  });

  it('never locks on a document expiry', () => {
    const planned = planRegistryEvent(event('document.expired', { document: { type: 'identity_card' } }), citizen);
    expect(planned.ok && planned.actions.some((action) => action.kind === 'open_lock')).toBe(false);
  });
});

const openLock = (reason: LockReason): AccountLock => ({
  id: `l-${reason}`,
  accountId: citizen.id,
  reason,
  requestedBy: { kind: 'registry', id: 'population' },
  legalBasis: 'x',
  at: 0,
});

const citizenRecord = (overrides: Partial<CitizenRecord> = {}): CitizenRecord => ({
  kind: 'citizen',
  idNumber: '001090900006',
  idNumberStatus: 'valid',
  replacedBy: null,
  fullName: 'Nguyễn Văn An',
  birthDate: '1990-09-03',
  gender: 'male',
  lifeStatus: 'alive',
  parents: [],
  guardians: [],
  underGuardianship: false,
  biometrics: { portraitRef: null, fingerprintRef: null },
  idCard: { expiresOn: '2031-09-03' },
  ...overrides,
});

const foreignerRecord = (overrides: Partial<ForeignerRecord> = {}): ForeignerRecord => ({
  kind: 'foreigner',
  passportNumber: 'M90000001',
  nationality: 'KOR',
  passportExpiresOn: '2030-01-01',
  residenceDocument: { type: 'temporary_residence_card', number: 'TRC1', validFrom: '2025-01-01', validUntil: '2027-01-01' },
  visaKind: 'LD2',
  fullName: 'Kim Min-jun',
  birthDate: '1991-09-03',
  gender: 'male',
  lifeStatus: 'alive',
  parents: [],
  guardians: [],
  underGuardianship: false,
  biometrics: { portraitRef: null, fingerprintRef: null },
  ...overrides,
});

describe('what the reconciliation pass finds (reconcileWithRecord)', () => {
  const TODAY = '2026-06-01';
  const rows: [string, Account, CitizenRecord | ForeignerRecord, AccountLock[], RegistryAction[]][] = [
    ['nothing differs', citizen, citizenRecord(), [], []],
    ['a missed death', citizen, citizenRecord({ lifeStatus: 'deceased' }), [], [{ kind: 'open_lock', reason: 'death' }]],
    ['a death already locked', citizen, citizenRecord({ lifeStatus: 'deceased' }), [openLock('death')], []],
    ['a missed death correction', citizen, citizenRecord(), [openLock('death')], [{ kind: 'lift_locks', reasons: ['death'], cause: 'correction' }]],
    ['a missed invalidation', citizen, citizenRecord({ idNumberStatus: 'invalidated' }), [], [{ kind: 'open_lock', reason: 'id_number_invalidated' }]],
    ['a missed number correction', citizen, citizenRecord(), [openLock('id_number_re_established')], [{ kind: 'lift_locks', reasons: ['id_number_re_established'], cause: 'correction' }]],
    ['a missed name change', citizen, citizenRecord({ fullName: 'Nguyễn Văn Bình' }), [], [{ kind: 'update_identity', changes: { fullName: 'Nguyễn Văn Bình' }, fields: ['full_name'] }]],
    ['an expired identity card', citizen, citizenRecord({ idCard: { expiresOn: '2026-05-31' } }), [], [{ kind: 'hide_document', documentType: 'identity_card', expiresOn: '2026-05-31' }]],
    ['a card expiring today is still valid', citizen, citizenRecord({ idCard: { expiresOn: '2026-06-01' } }), [], [{ kind: 'show_document', document: { type: 'identity_card', expiresOn: '2026-06-01', hidden: false } }]],
    ['an expired passport of a foreigner', foreigner, foreignerRecord({ passportExpiresOn: '2026-05-01' }), [], [{ kind: 'open_lock', reason: 'foreign_document_expired' }]],
    ['an expired residence card', foreigner, foreignerRecord({ residenceDocument: { type: 'visa', number: 'V', validFrom: '2025-01-01', validUntil: '2026-01-01' } }), [], [{ kind: 'open_lock', reason: 'foreign_document_expired' }]],
    ['a renewed residence', foreigner, foreignerRecord(), [openLock('foreign_document_expired')], [{ kind: 'lift_locks', reasons: ['foreign_document_expired'], cause: 'renewal' }]],
  ];
  it.each(rows)('%s', (_name, account, record, locks, expected) => {
    expect(reconcileWithRecord(account, record, locks, TODAY)).toEqual(expected);
  });
});
