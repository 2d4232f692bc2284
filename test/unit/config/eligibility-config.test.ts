import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/loader.js';
import { ConfigError } from '../../../src/config/validation.js';
import { DEFAULT_ELIGIBILITY_POLICY } from '../../../src/domain/eligibility.js';

const dirWith = (config: object): string => {
  const dir = mkdtempSync(join(tmpdir(), 'vneid-config-'));
  writeFileSync(join(dir, 'default.json'), JSON.stringify(config));
  return dir;
};

describe('eligibility thresholds in configuration (Decision 34 Art 6; draft 2025)', () => {
  it('defaults to the domain policy', () => {
    const config = loadConfig({}, dirWith({}));
    expect({ ...config.eligibility }).toEqual({ ...DEFAULT_ELIGIBILITY_POLICY, longTermVisaKinds: [...DEFAULT_ELIGIBILITY_POLICY.longTermVisaKinds] });
  });

  it('lets an operator change a threshold', () => {
    const config = loadConfig({}, dirWith({ eligibility: { foreignerMinAge: 10, longTermVisaKinds: ['DT1'] } }));
    expect(config.eligibility.foreignerMinAge).toBe(10);
    expect(config.eligibility.longTermVisaKinds).toEqual(['DT1']);
    expect(config.eligibility.selfRegistrationMinAge).toBe(14);
  });

  it.each([
    [{ representativeMinLevel: 3 }, 'eligibility.representativeMinLevel'],
    [{ foreignerMinLegalResidenceDays: 0 }, 'eligibility.foreignerMinLegalResidenceDays'],
    [{ selfRegistrationMinAge: 'fourteen' }, 'eligibility.selfRegistrationMinAge'],
    [{ minAge: 14 }, 'minAge'],
  ])('names the bad key %j', (eligibility, key) => {
    let failure: unknown;
    try {
      loadConfig({}, dirWith({ eligibility }));
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).message).toContain(key);
  });
});
