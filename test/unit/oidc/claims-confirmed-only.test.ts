import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accountClaims } from '../../../src/oidc/claims.js';
import {
  citizenForm,
  GENEROUS,
  registerAndActivate,
  startShared,
  world,
  type Shared,
} from '../flows/registration/registration-harness.js';

/**
 * "Level 1 never releases data the registry did not confirm" (Decision 34 Art 5.1.a, 7): the identity claims are the
 * registry's, and a contact is released (and marked verified) only because a one-time code sent to it was entered.
 */

let shared: Shared;

beforeAll(async () => {
  shared = await startShared();
});

afterAll(async () => {
  await shared.close();
});

describe('claims of a newly activated account', () => {
  it('releases the phone the code went to, verified, and not the email that was only typed', async () => {
    const w = world(shared, GENEROUS);
    const adult = shared.personas.citizens.adult;
    const account = await registerAndActivate(w, citizenForm(adult, { channel: 'sms', phone: '0901234567', email: 'typed@example.vn' }));
    expect(account.phoneVerifiedAt).toBeDefined();
    expect(account.emailVerifiedAt).toBeUndefined();
    const claims = accountClaims(account);
    expect(claims).toMatchObject({ phone_number: '+84901234567', phone_number_verified: true });
    expect(claims.email).toBeUndefined();
    expect(claims.email_verified).toBeUndefined();
  });

  it('releases the email the code went to, verified, and not the phone that was only typed', async () => {
    const w = world(shared, GENEROUS);
    const teenager = shared.personas.citizens.teenager;
    const account = await registerAndActivate(w, citizenForm(teenager, { channel: 'email', email: 'proven@example.vn' }));
    const claims = accountClaims(account);
    expect(claims).toMatchObject({ email: 'proven@example.vn', email_verified: true });
    expect(claims.phone_number).toBeUndefined();
  });

  it('releases the name as the registry spells it, not as it was typed', async () => {
    const w = world(shared, GENEROUS);
    const record = shared.personas.citizens.toneStyleName;
    // The registry writes the old tone style ("Hòa"); the person typed the new one ("Hoà"): a match, registry's spelling kept.
    const typed = record.fullName.normalize('NFC').replace('òa', 'oà').toUpperCase();
    const account = await registerAndActivate(w, citizenForm(record, { fullName: typed }));
    expect(accountClaims(account)).toMatchObject({ name: record.fullName, birthdate: record.birthDate, personal_id_number: record.idNumber });
  });
});

describe('an account whose contacts were never proven', () => {
  it('releases neither contact', () => {
    const claims = accountClaims({
      id: 'acc',
      identity: { kind: 'citizen', idNumber: '001190000001', fullName: 'Lê Văn A', birthDate: '1990-01-01', gender: 'male' },
      level: 1,
      status: 'active',
      phone: '+84901111111',
      email: 'a@example.vn',
      passwordHash: 'x',
      createdAt: 0,
      updatedAt: 0,
    });
    expect(claims.phone_number).toBeUndefined();
    expect(claims.email).toBeUndefined();
  });
});
