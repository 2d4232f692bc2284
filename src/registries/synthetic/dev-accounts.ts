import type { Identity } from '../../domain/account.js';
import type { AssuranceLevel } from '../../domain/levels.js';
import type { RegistryRecord } from '../../domain/registry.js';
import { devPersonas } from './dev-personas.js';

/** A development account to create at start-up: a persona of the dev dataset with a known password. */
export interface DevAccountSeed {
  identity: Identity;
  level: AssuranceLevel;
  password: string;
  phone?: string;
  email?: string;
}

const identityOf = (record: RegistryRecord): Identity =>
  record.kind === 'citizen'
    ? { kind: 'citizen', idNumber: record.idNumber, fullName: record.fullName, birthDate: record.birthDate, gender: record.gender }
    : {
        kind: 'foreigner',
        passportNumber: record.passportNumber,
        nationality: record.nationality,
        fullName: record.fullName,
        birthDate: record.birthDate,
        gender: record.gender,
      };

/**
 * Parents and a guardian with accounts already, so a developer can sign in at once and register their dependants
 * (Decision 34 Art 6.2, 6.3 need a level-2 representative); everyone else in the dataset can be registered. The
 * README lists these.
 */
export function devAccountSeeds(asOf: string): DevAccountSeed[] {
  const { citizens, foreigners } = devPersonas(asOf);
  return [
    { identity: identityOf(citizens.father), level: 2, password: 'demo-password-1', phone: '+84912345678', email: 'binh.le@example.vn' },
    { identity: identityOf(citizens.mother), level: 1, password: 'demo-password-2', phone: '+84987654321', email: 'lan.pham@example.vn' },
    { identity: identityOf(citizens.guardian), level: 2, password: 'demo-password-3', phone: '+84903000111' },
    { identity: identityOf(foreigners.parent), level: 2, password: 'demo-password-4', email: 'hiroshi.tanaka@example.jp' },
  ];
}
