import type { Gender } from '../../domain/account.js';
import { composeIdNumber } from '../../domain/id-number.js';
import type { CitizenRecord, IdentityCard } from '../../domain/registry.js';
import { addYears, birthDayForAge, isoOf } from './calendar.js';
import { SeededRandom, WeightedTable } from './seeded-random.js';
import { GIVEN_NAMES, MIDDLE_NAMES, PROVINCES, SURNAMES, TRADITIONAL_MIDDLE } from './vietnamese-tables.js';

const surnames = new WeightedTable(SURNAMES);
const provinces = new WeightedTable(PROVINCES);
const childCounts = new WeightedTable<number>([[0, 10], [1, 25], [2, 40], [3, 18], [4, 7]]);

/** Ages at which the identity card must be renewed (Law on Identification 2023); from 60 it is valid for life. */
const CARD_MILESTONES = [14, 25, 40, 60];

interface Draft {
  record: CitizenRecord;
  age: number;
}

/**
 * Synthetic citizens of the National Population Database, household by household: couples with their children and
 * sometimes the husband's parents, and people living alone. Families are linked (parents, guardians), and the
 * population carries what the rules must handle: deaths, invalidated and re-established numbers, expired cards,
 * persons under guardianship.
 */
export class CitizenGenerator {
  constructor(
    private readonly random: SeededRandom,
    private readonly asOfDay: number,
    /** Numbers already taken (personas, earlier households); numbers are unique across the dataset. */
    private readonly usedNumbers: IdNumberRegister,
  ) {}

  /** One household of at most `room` records (room ≥ 1), in the order they are written. */
  household(room: number): CitizenRecord[] {
    const drafts = room >= 2 && this.random.chance(0.72) ? this.family(room) : [this.person(this.adultAge(), this.pickGender())];
    this.settleGuardianships(drafts);
    const records = drafts.map((draft) => draft.record);
    // Decision 34 Art 10.4: a few numbers were re-established after a correction; the old number stays on file.
    const last = records.length > 0 ? records[records.length - 1] : undefined;
    if (last && records.length < room && this.random.chance(0.004)) records.push(this.reEstablishedPredecessor(last));
    return records;
  }

  private family(room: number): Draft[] {
    const fatherAge = this.random.int(22, 72);
    const motherAge = Math.max(19, fatherAge - this.random.int(-2, 7));
    const familyName = surnames.pick(this.random);
    const province = provinces.pick(this.random);
    const father = this.person(fatherAge, 'male', familyName, this.localOr(province, 0.7));
    const mother = this.person(motherAge, 'female', undefined, this.localOr(province, 0.7));
    const drafts: Draft[] = [father, mother];
    if (room >= 4 && fatherAge <= 50 && this.random.chance(0.25)) {
      const grandfather = this.person(fatherAge + this.random.int(20, 34), 'male', familyName, province);
      const grandmother = this.person(grandfather.age - this.random.int(-2, 6), 'female', undefined, province);
      father.record.parents = [ref(grandfather), ref(grandmother)];
      drafts.unshift(grandfather, grandmother);
    }
    const children = Math.min(childCounts.pick(this.random), room - drafts.length);
    const ages = new Set<number>();
    for (let i = 0; i < children; i += 1) {
      const age = motherAge - this.random.int(19, 40);
      if (age < 0 || ages.has(age)) continue;
      ages.add(age);
      const child = this.person(age, this.pickGender(), familyName, this.localOr(province, 0.9));
      child.record.parents = [ref(father), ref(mother)];
      drafts.push(child);
    }
    return drafts;
  }

  private person(age: number, gender: Gender, familyName?: string, province?: number): Draft {
    const birthDate = isoOf(birthDayForAge(this.asOfDay, age, this.random.int(0, 364)));
    const birthYear = Number(birthDate.slice(0, 4));
    const idNumber = this.newNumber(province ?? provinces.pick(this.random), birthYear, gender);
    const deceased = this.random.chance(deathShare(age));
    const hasCard = age >= 14 ? this.random.chance(0.97) : age >= 6 ? this.random.chance(0.2) : this.random.chance(0.05);
    const idCard = hasCard ? this.identityCard(birthDate, age) : null;
    const record: CitizenRecord = {
      kind: 'citizen',
      idNumber,
      fullName: this.vietnameseName(gender, birthYear, familyName),
      birthDate,
      gender,
      lifeStatus: deceased ? 'deceased' : 'alive',
      // Decision 34 Art 10.4: invalidated numbers are rare but must exist in a realistic dataset.
      idNumberStatus: this.random.chance(0.002) ? 'invalidated' : 'valid',
      replacedBy: null,
      idCard,
      parents: [],
      guardians: [],
      underGuardianship: false,
      biometrics: {
        // Fingerprints are taken from age 6; the portrait with any card.
        portraitRef: idCard ? this.reference('pt_') : null,
        fingerprintRef: idCard && age >= 6 ? this.reference('fp_') : null,
      },
    };
    return { record, age };
  }

  /** Most cards were renewed at the last milestone age; some were not and have expired. */
  private identityCard(birthDate: string, age: number): IdentityCard {
    const reached = CARD_MILESTONES.filter((milestone) => milestone <= age);
    const upcoming = CARD_MILESTONES.find((milestone) => milestone > age);
    if (reached.length >= 2 && this.random.chance(0.08)) {
      return { expiresOn: addYears(birthDate, reached[reached.length - 1] as number) };
    }
    if (age < 14) return { expiresOn: addYears(birthDate, 14) };
    return { expiresOn: upcoming === undefined ? null : addYears(birthDate, upcoming) };
  }

  /**
   * Orphans under 14 get a guardian from the household (Decision 34 Art 6.2); a few adults are under guardianship
   * (Art 6.3) with their spouse, a parent or an adult child as guardian.
   */
  private settleGuardianships(drafts: Draft[]): void {
    const byNumber = new Map(drafts.map((draft) => [draft.record.idNumber, draft]));
    const alive = (draft: Draft | undefined): boolean =>
      draft !== undefined && draft.record.lifeStatus === 'alive' && draft.age >= 18;
    for (const draft of drafts) {
      const parents = draft.record.parents.map((parent) => byNumber.get(parent.kind === 'citizen' ? parent.idNumber : ''));
      if (draft.age < 14 && parents.length > 0 && parents.every((parent) => !alive(parent))) {
        const guardian = drafts.find((other) => other.age >= 45 && alive(other) && !parents.includes(other));
        if (guardian) this.placeUnderGuardianship(draft, guardian);
        else for (const parent of parents) if (parent) parent.record.lifeStatus = 'alive';
      } else if (draft.age >= 18 && draft.record.lifeStatus === 'alive' && this.random.chance(0.004)) {
        const guardian = drafts.find(
          (other) => other !== draft && alive(other) && other.record.underGuardianship === false,
        );
        if (guardian) this.placeUnderGuardianship(draft, guardian);
      }
    }
  }

  private placeUnderGuardianship(draft: Draft, guardian: Draft): void {
    draft.record.underGuardianship = true;
    draft.record.guardians = [ref(guardian)];
  }

  /** The number a person held before a correction of their birth data gave them `current` (Art 10.4). */
  private reEstablishedPredecessor(current: CitizenRecord): CitizenRecord {
    const later = addYears(current.birthDate, 1);
    const wrongBirthDate = this.random.chance(0.5) && later <= isoOf(this.asOfDay) ? later : addYears(current.birthDate, -1);
    return {
      ...current,
      idNumber: this.newNumber(Number(current.idNumber.slice(0, 3)), Number(wrongBirthDate.slice(0, 4)), current.gender),
      birthDate: wrongBirthDate,
      idNumberStatus: 're_established',
      replacedBy: current.idNumber,
      idCard: null,
    };
  }

  private newNumber(province: number, birthYear: number, gender: Gender): string {
    for (;;) {
      const idNumber = composeIdNumber({ provinceCode: province, birthYear, gender, serial: this.random.int(0, 999_999) });
      if (this.usedNumbers.claim(idNumber)) return idNumber;
    }
  }

  private vietnameseName(gender: Gender, birthYear: number, familyName?: string): string {
    const surname = familyName ?? surnames.pick(this.random);
    const traditional = this.random.chance(birthYear < 1985 ? 0.7 : 0.25);
    const middle = traditional ? TRADITIONAL_MIDDLE[gender] : this.random.pick(MIDDLE_NAMES[gender]);
    const second = !traditional && birthYear >= 1990 && this.random.chance(0.15) ? this.random.pick(MIDDLE_NAMES[gender]) : middle;
    const given = this.random.pick(GIVEN_NAMES[gender]);
    return second === middle ? `${surname} ${middle} ${given}` : `${surname} ${middle} ${second} ${given}`;
  }

  /** The household's province most of the time, else anywhere (people move). */
  private localOr(province: number, share: number): number | undefined {
    return this.random.chance(share) ? province : undefined;
  }

  private adultAge(): number {
    return this.random.chance(0.85) ? this.random.int(18, 65) : this.random.int(66, 98);
  }

  private pickGender(): Gender {
    return this.random.chance(0.5) ? 'male' : 'female';
  }

  /** An opaque reference to a template: 96 random bits in hex. */
  private reference(prefix: string): string {
    return prefix + this.random.hex(12);
  }
}

/**
 * Which numbers are taken, grouped by their first six digits (province, century/gender, year): the serials of one
 * group are small integers, which a Set holds and hashes far faster than a million 12-character strings.
 */
export class IdNumberRegister {
  private readonly groups = new Map<string, Set<number>>();

  /** Takes the number; false when it was already taken. */
  claim(idNumber: string): boolean {
    const prefix = idNumber.slice(0, 6);
    const serial = Number(idNumber.slice(6));
    let group = this.groups.get(prefix);
    if (!group) {
      group = new Set();
      this.groups.set(prefix, group);
    }
    if (group.has(serial)) return false;
    group.add(serial);
    return true;
  }
}

const ref = (draft: Draft): { kind: 'citizen'; idNumber: string } => ({ kind: 'citizen', idNumber: draft.record.idNumber });

/** Share of people of an age who have died and are still on file (older people far more often). */
function deathShare(age: number): number {
  if (age < 40) return 0.002;
  if (age < 60) return 0.01;
  if (age < 75) return 0.05;
  return 0.15;
}
