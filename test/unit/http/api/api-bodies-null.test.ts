import { describe, expect, it } from '@jest/globals';
import { parseBody } from '../../../../src/http/dto/parse.js';
import { AccountStatusQuery } from '../../../../src/http/dto/api/account-status-query.js';
import { Level2RecordBody } from '../../../../src/http/dto/api/level2-record-body.js';
import { LockNoteBody } from '../../../../src/http/dto/api/lift-lock-body.js';
import { OpenLockBody } from '../../../../src/http/dto/api/open-lock-body.js';
import { RegistryEventBody } from '../../../../src/http/dto/api/registry-event-body.js';

const level2Record = {
  personalIdNumber: '001085900001',
  method: 'fpt',
  officerId: 'officer-1',
  stationId: 'station-1',
  legalBasis: 'Decision 34 Art 5.1.b',
  at: '2026-11-24T08:00:00Z',
};
const registryEvent = {
  id: 'evt-1',
  type: 'identity.changed',
  source: 'population',
  occurredAt: '2026-11-24T08:00:00Z',
  subject: { personalIdNumber: '001085900001' },
};

describe('API bodies: a field may be left out, but an explicit null is refused', () => {
  it('a lock with reason null is refused instead of falling back to the default reason', () => {
    expect(parseBody(OpenLockBody, { note: 'case 12' }).ok).toBe(true);
    expect(parseBody(OpenLockBody, { note: 'case 12', reason: null })).toMatchObject({ ok: false, fields: ['reason'] });
  });

  it('a lift with note null is refused', () => {
    expect(parseBody(LockNoteBody, {}).ok).toBe(true);
    expect(parseBody(LockNoteBody, { note: null })).toMatchObject({ ok: false, fields: ['note'] });
  });

  it('a person named with a null identifier is refused, not looked up under an empty one', () => {
    expect(parseBody(AccountStatusQuery, { personalIdNumber: null })).toMatchObject({ ok: false, fields: ['personalIdNumber'] });
    expect(parseBody(AccountStatusQuery, { passportNumber: 'P1234567', nationality: null })).toMatchObject({ ok: false, fields: ['nationality'] });
    expect(parseBody(Level2RecordBody, { ...level2Record, accountId: null })).toMatchObject({ ok: false, fields: ['accountId'] });
    expect(parseBody(Level2RecordBody, level2Record).ok).toBe(true);
  });

  it('a registry change never blanks a name, birth date or gender with null', () => {
    for (const field of ['fullName', 'birthDate', 'gender']) {
      expect(parseBody(RegistryEventBody, { ...registryEvent, changes: { [field]: null } })).toMatchObject({ ok: false, fields: ['changes'] });
    }
    expect(parseBody(RegistryEventBody, { ...registryEvent, changes: null })).toMatchObject({ ok: false, fields: ['changes'] });
    expect(parseBody(RegistryEventBody, { ...registryEvent, changes: { fullName: 'Nguyễn Văn B' } }).ok).toBe(true);
  });

  it('a document valid for life keeps its meaning: expiresOn null is accepted, a null number is not', () => {
    const lifelong = { ...registryEvent, type: 'document.renewed', document: { type: 'identity_card', expiresOn: null } };
    expect(parseBody(RegistryEventBody, lifelong).ok).toBe(true);
    expect(parseBody(RegistryEventBody, { ...lifelong, document: { ...lifelong.document, number: null } })).toMatchObject({ ok: false, fields: ['document'] });
  });
});
