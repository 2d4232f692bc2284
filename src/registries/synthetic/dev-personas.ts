import type { Gender } from '../../domain/account.js';
import { composeIdNumber } from '../../domain/id-number.js';
import type { CitizenRecord, ForeignerRecord, PersonRef, ResidenceDocument } from '../../domain/registry.js';
import { addYears, birthDayForAge, dayOf, isoOf } from './calendar.js';

/**
 * Known people at the top of every generated dataset, one per case the registration rules must handle, so that
 * demos and journey tests can name them (login.gov's "magic inputs", here as registry records). Ages are relative to
 * the dataset's as-of date, so a persona stays 10 years old whatever year the dataset is generated in; therefore their
 * numbers (which encode the birth year) are computed, and callers read them from devPersonas(asOf).
 * docs/registry/dataset.md lists them.
 */
export interface DevPersonas {
  citizens: {
    /** 35, everything in order: registers themselves (Art 6.1). */
    adult: CitizenRecord;
    /** 29, registry spells the name "Hòa" (old tone style); "Hoà" must match too. */
    toneStyleName: CitizenRecord;
    /** Parents of `child` and `teenager`. */
    father: CitizenRecord;
    mother: CitizenRecord;
    /** 10: only through a parent's level-2 account (Art 6.2). */
    child: CitizenRecord;
    /** 15: registers themselves (Art 6.1). */
    teenager: CitizenRecord;
    /** 45, under guardianship: only through `guardian` (Art 6.3). */
    ward: CitizenRecord;
    guardian: CitizenRecord;
    /** Refused: deceased (Art 10.5). */
    deceased: CitizenRecord;
    /** Refused: number invalidated (Art 10.4). */
    invalidatedNumber: CitizenRecord;
    /** Refused: number re-established (Art 10.4); `reEstablishedCurrent` is the same person's new number. */
    reEstablishedOld: CitizenRecord;
    reEstablishedCurrent: CitizenRecord;
    /** 26, identity card expired at 25: still eligible (draft 2025 hides the card, never the account). */
    expiredCard: CitizenRecord;
  };
  foreigners: {
    /** 34, temporary residence card for work, two years: eligible. */
    resident: ForeignerRecord;
    /** 40, 30-day tourist visa: not eligible (under 90 days, not long-term). */
    tourist: ForeignerRecord;
    /** 41, investor residence card; parent of `child`. */
    parent: ForeignerRecord;
    /** 8: eligible, only through `parent`'s level-2 account. */
    child: ForeignerRecord;
    /** 5: refused, under 6 (draft 2025). */
    tooYoung: ForeignerRecord;
    /** 30, residence card expired: not eligible. */
    expiredResidence: ForeignerRecord;
    /** 38, lawyer's visa (LS, long-term) with 60 days granted: eligible through the long-term visa rule. */
    longTermVisa: ForeignerRecord;
  };
}

const DAY_IN_YEAR = 120;

export function devPersonas(asOf: string): DevPersonas {
  const asOfDay = dayOf(asOf);
  const birthDate = (age: number): string => isoOf(birthDayForAge(asOfDay, age, DAY_IN_YEAR));
  let serial = 900_000;

  const citizen = (
    name: string,
    age: number,
    gender: Gender,
    extra: Partial<CitizenRecord> = {},
    province = 1,
  ): CitizenRecord => {
    const born = extra.birthDate ?? birthDate(age);
    serial += 1;
    // Cards are renewed at 25, 40 and 60, and from 60 never expire (Law on Identification 2023).
    const nextRenewal = [25, 40, 60].find((milestone) => milestone > age);
    const idNumber = composeIdNumber({ provinceCode: province, birthYear: Number(born.slice(0, 4)), gender, serial });
    return {
      kind: 'citizen',
      idNumber,
      fullName: name,
      birthDate: born,
      gender,
      lifeStatus: 'alive',
      idNumberStatus: 'valid',
      replacedBy: null,
      idCard: age >= 14 ? { expiresOn: nextRenewal === undefined ? null : addYears(born, nextRenewal) } : null,
      parents: [],
      guardians: [],
      underGuardianship: false,
      biometrics: { portraitRef: `pt_persona_${serial}`, fingerprintRef: age >= 6 ? `fp_persona_${serial}` : null },
      ...extra,
    };
  };
  const citizenRef = (record: CitizenRecord): PersonRef => ({ kind: 'citizen', idNumber: record.idNumber });

  const father = citizen('Lê Văn Bình', 40, 'male');
  const mother = citizen('Phạm Thị Lan', 38, 'female', {}, 79);
  const guardian = citizen('Hoàng Thị Mai', 48, 'female');
  const reEstablishedCurrent = citizen('Bùi Văn Tâm', 31, 'male');
  const reEstablishedOld = citizen('Bùi Văn Tâm', 32, 'male', {
    idNumberStatus: 're_established',
    replacedBy: reEstablishedCurrent.idNumber,
    idCard: null,
  });

  const document = (
    type: ResidenceDocument['type'],
    startDaysAgo: number,
    days: number,
  ): ResidenceDocument => ({
    type,
    number: `${type === 'visa' ? 'V' : 'TT'}${String(90_000_000 + startDaysAgo * 1000 + days).slice(0, 8)}`,
    validFrom: isoOf(asOfDay - startDaysAgo),
    validUntil: isoOf(asOfDay - startDaysAgo + days - 1),
  });
  const foreigner = (
    name: string,
    age: number,
    gender: Gender,
    passportNumber: string,
    nationality: string,
    residenceDocument: ResidenceDocument,
    visaKind: string | null,
    extra: Partial<ForeignerRecord> = {},
  ): ForeignerRecord => ({
    kind: 'foreigner',
    passportNumber,
    nationality,
    fullName: name,
    birthDate: birthDate(age),
    gender,
    lifeStatus: 'alive',
    passportExpiresOn: isoOf(asOfDay + 1500),
    residenceDocument,
    visaKind,
    parents: [],
    guardians: [],
    underGuardianship: false,
    biometrics: { portraitRef: `pt_persona_${passportNumber}`, fingerprintRef: `fp_persona_${passportNumber}` },
    ...extra,
  });
  const parent = foreigner('Tanaka Hiroshi', 41, 'male', 'TP9000001', 'JPN', document('temporary_residence_card', 200, 1825), 'DT1');

  return {
    citizens: {
      adult: citizen('Nguyễn Văn An', 35, 'male'),
      toneStyleName: citizen('Trần Thị Hòa', 29, 'female'),
      father,
      mother,
      child: citizen('Lê Minh Khôi', 10, 'male', { parents: [citizenRef(father), citizenRef(mother)] }),
      teenager: citizen('Lê Thị Thu Trang', 15, 'female', { parents: [citizenRef(father), citizenRef(mother)] }),
      ward: citizen('Hoàng Văn Đức', 45, 'male', { underGuardianship: true, guardians: [citizenRef(guardian)] }),
      guardian,
      deceased: citizen('Vũ Văn Hải', 70, 'male', { lifeStatus: 'deceased' }),
      invalidatedNumber: citizen('Đặng Thị Ngọc', 33, 'female', { idNumberStatus: 'invalidated' }),
      reEstablishedOld,
      reEstablishedCurrent,
      expiredCard: citizen('Đỗ Thị Hương', 26, 'female', { idCard: { expiresOn: addYears(birthDate(26), 25) } }),
    },
    foreigners: {
      resident: foreigner('Kim Min-jun', 34, 'male', 'M90000001', 'KOR', document('temporary_residence_card', 100, 730), 'LD2'),
      tourist: foreigner('John Smith', 40, 'male', 'A90000001', 'USA', document('visa', 5, 30), 'DL', {
        biometrics: { portraitRef: 'pt_persona_A90000001', fingerprintRef: null },
      }),
      parent,
      child: foreigner('Tanaka Yui', 8, 'female', 'TP9000002', 'JPN', document('temporary_residence_card', 200, 1095), 'TT', {
        parents: [{ kind: 'foreigner', passportNumber: parent.passportNumber, nationality: parent.nationality }],
      }),
      tooYoung: foreigner('Lukas Müller', 5, 'male', 'C9000000X', 'DEU', document('visa', 30, 365), 'TT'),
      expiredResidence: foreigner('Wang Fang', 30, 'female', 'E90000001', 'CHN', document('temporary_residence_card', 800, 730), 'LD1'),
      longTermVisa: foreigner('Hélène Dubois', 38, 'female', '90AB00001', 'FRA', document('visa', 10, 60), 'LS'),
    },
  };
}

/** All persona records in the order a dataset lists them. */
export function devPersonaRecords(asOf: string): { citizens: CitizenRecord[]; foreigners: ForeignerRecord[] } {
  const personas = devPersonas(asOf);
  return { citizens: Object.values(personas.citizens), foreigners: Object.values(personas.foreigners) };
}
