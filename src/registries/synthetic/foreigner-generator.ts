import type { Gender } from '../../domain/account.js';
import type { ForeignerRecord, PersonRef, ResidenceDocument, ResidenceDocumentType } from '../../domain/registry.js';
import { birthDayForAge, isoOf } from './calendar.js';
import {
  DIGITS,
  LETTERS,
  NATIONALITIES,
  STAY_PURPOSES,
  type NationalityProfile,
  type StayPurpose,
} from './foreign-tables.js';
import { SeededRandom, WeightedTable } from './seeded-random.js';

const nationalities = new WeightedTable(NATIONALITIES.map((profile) => [profile, profile.weight] as const));
const purposes = new WeightedTable(STAY_PURPOSES);

interface DocumentPlan {
  type: ResidenceDocumentType;
  visaKind: string | null;
  /** Length of the granted stay in days, inclusive. */
  minDays: number;
  maxDays: number;
}

/**
 * What is on file for each purpose of stay: visa symbols and lengths as the Law on Entry, Exit, Transit and Residence
 * of Foreigners allows them (e.g. DL tourist visas up to 90 days, LĐ work visas up to 2 years, ĐT1 residence cards up
 * to 10 years), written in ASCII (`LD1` for LĐ1, `DT1` for ĐT1).
 */
const PLANS: Record<StayPurpose | 'family', readonly DocumentPlan[]> = {
  work: [
    { type: 'visa', visaKind: 'LD1', minDays: 90, maxDays: 730 },
    { type: 'visa', visaKind: 'LD2', minDays: 90, maxDays: 730 },
    { type: 'temporary_residence_card', visaKind: 'LD2', minDays: 365, maxDays: 730 },
  ],
  invest: [
    { type: 'temporary_residence_card', visaKind: 'DT1', minDays: 1825, maxDays: 3650 },
    { type: 'temporary_residence_card', visaKind: 'DT2', minDays: 730, maxDays: 1825 },
    { type: 'visa', visaKind: 'DT3', minDays: 90, maxDays: 1095 },
    { type: 'visa', visaKind: 'DT4', minDays: 30, maxDays: 365 },
  ],
  study: [
    { type: 'visa', visaKind: 'DH', minDays: 60, maxDays: 365 },
    { type: 'temporary_residence_card', visaKind: 'DH', minDays: 365, maxDays: 730 },
  ],
  business: [
    { type: 'visa', visaKind: 'DN1', minDays: 30, maxDays: 365 },
    { type: 'visa', visaKind: 'DN2', minDays: 30, maxDays: 365 },
  ],
  tourism: [
    { type: 'visa', visaKind: 'DL', minDays: 15, maxDays: 90 },
    { type: 'visa', visaKind: 'EV', minDays: 30, maxDays: 90 },
  ],
  visa_exempt: [{ type: 'temporary_residence_certificate', visaKind: null, minDays: 15, maxDays: 45 }],
  permanent: [{ type: 'permanent_residence_card', visaKind: null, minDays: 3650, maxDays: 3650 }],
  family: [
    { type: 'visa', visaKind: 'TT', minDays: 30, maxDays: 365 },
    { type: 'temporary_residence_card', visaKind: 'TT', minDays: 365, maxDays: 1095 },
  ],
};

const DOCUMENT_PREFIX: Record<ResidenceDocumentType, string> = {
  visa: 'V',
  temporary_residence_card: 'TT',
  permanent_residence_card: 'TTR',
  temporary_residence_certificate: 'CN',
};

/** Synthetic foreigners of the National Immigration Database: people alone or with their family. */
export class ForeignerGenerator {
  constructor(
    private readonly random: SeededRandom,
    private readonly asOfDay: number,
    /** `NAT:PASSPORT` already taken; passport number + nationality is unique. */
    private readonly usedPassports: Set<string>,
  ) {}

  household(room: number): ForeignerRecord[] {
    const profile = nationalities.pick(this.random);
    const purpose = purposes.pick(this.random);
    const movesWithFamily = room >= 2 && (purpose === 'work' || purpose === 'invest' || purpose === 'permanent');
    if (!movesWithFamily || !this.random.chance(0.35)) {
      return [this.person(profile, purpose, this.principalAge(purpose), this.pickGender()).record];
    }
    const principalAge = this.random.int(28, 55);
    const principal = this.person(profile, purpose, principalAge, this.pickGender());
    const spouseGender: Gender = principal.gender === 'male' ? 'female' : 'male';
    const spouse = this.person(profile, 'family', Math.max(22, principalAge + this.random.int(-6, 6)), spouseGender);
    const members = [principal, spouse];
    const familyName = principal.gender === 'male' ? principal.familyName : spouse.familyName;
    const children = Math.min(this.random.int(0, 3), room - members.length);
    for (let i = 0; i < children; i += 1) {
      const age = this.random.int(0, Math.min(17, principalAge - 22));
      const child = this.person(profile, 'family', age, this.pickGender(), familyName);
      child.record.parents = [refOf(principal.record), refOf(spouse.record)];
      members.push(child);
    }
    return members.map((member) => member.record);
  }

  private person(
    profile: NationalityProfile,
    purpose: StayPurpose | 'family',
    age: number,
    gender: Gender,
    familyNameGiven?: string,
  ): { record: ForeignerRecord; gender: Gender; familyName: string } {
    const familyName = familyNameGiven ?? this.random.pick(profile.familyNames);
    const givenName = this.random.pick(profile.givenNames[gender]);
    const plan = this.random.pick(PLANS[purpose]);
    const residenceDocument = this.random.chance(0.02) ? null : this.residenceDocument(plan);
    const longStay = plan.type === 'temporary_residence_card' || plan.type === 'permanent_residence_card';
    const record: ForeignerRecord = {
      kind: 'foreigner',
      passportNumber: this.newPassport(profile),
      nationality: profile.code,
      fullName: profile.familyNameFirst ? `${familyName} ${givenName}` : `${givenName} ${familyName}`,
      birthDate: isoOf(birthDayForAge(this.asOfDay, age, this.random.int(0, 364))),
      gender,
      lifeStatus: this.random.chance(0.001) ? 'deceased' : 'alive',
      passportExpiresOn: isoOf(this.asOfDay + (this.random.chance(0.03) ? -this.random.int(1, 400) : this.random.int(30, 3650))),
      residenceDocument,
      visaKind: residenceDocument ? plan.visaKind : null,
      parents: [],
      guardians: [],
      underGuardianship: false,
      biometrics: {
        portraitRef: this.random.chance(0.85) ? this.reference('pt_') : null,
        fingerprintRef: longStay && age >= 6 && this.random.chance(0.8) ? this.reference('fp_') : null,
      },
    };
    return { record, gender, familyName };
  }

  /** Mostly current; about one in ten has expired (an overstay, or a renewal not yet on file). */
  private residenceDocument(plan: DocumentPlan): ResidenceDocument {
    const days = this.random.int(plan.minDays, plan.maxDays);
    const expired = this.random.chance(0.1);
    const validUntilDay = expired
      ? this.asOfDay - this.random.int(1, 400)
      : this.asOfDay - this.random.int(0, days - 1) + days - 1;
    return {
      type: plan.type,
      number: DOCUMENT_PREFIX[plan.type] + this.random.chars(DIGITS, 8),
      validFrom: isoOf(validUntilDay - days + 1),
      validUntil: isoOf(validUntilDay),
    };
  }

  private newPassport(profile: NationalityProfile): string {
    for (;;) {
      let passport = '';
      for (const symbol of profile.passportPattern) {
        if (symbol === '#') passport += this.random.chars(DIGITS, 1);
        else if (symbol === '@') passport += this.random.chars(LETTERS, 1);
        else if (symbol === '*') passport += this.random.chars(LETTERS + DIGITS, 1);
        else passport += symbol;
      }
      const key = `${profile.code}:${passport}`;
      if (!this.usedPassports.has(key)) {
        this.usedPassports.add(key);
        return passport;
      }
    }
  }

  private principalAge(purpose: StayPurpose): number {
    if (purpose === 'study') return this.random.int(17, 30);
    if (purpose === 'permanent') return this.random.int(30, 85);
    // Tourists include children, some under the minimum age of 6 (draft 2025).
    if (purpose === 'tourism' || purpose === 'visa_exempt') return this.random.int(2, 75);
    return this.random.int(21, 65);
  }

  private pickGender(): Gender {
    return this.random.chance(0.5) ? 'male' : 'female';
  }

  /** An opaque reference to a template: 96 random bits in hex. */
  private reference(prefix: string): string {
    return prefix + this.random.hex(12);
  }
}

const refOf = (record: ForeignerRecord): PersonRef => ({
  kind: 'foreigner',
  passportNumber: record.passportNumber,
  nationality: record.nationality,
});
