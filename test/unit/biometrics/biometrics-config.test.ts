import { describe, expect, it } from '@jest/globals';
import { biometricsProblems, BiometricsConfig, defaultFacePoolSize } from '../../../src/config/biometrics-config.js';
import { AppConfig, SECRET_CONFIG_PATHS } from '../../../src/config/schema.js';
import { ConfigError, validateInto } from '../../../src/config/validation.js';

/** The biometrics block: defaults, validation at start-up, and the rules across keys. */

const biometrics = (plain: object): BiometricsConfig =>
  validateInto(AppConfig, { biometrics: plain }, 'test', SECRET_CONFIG_PATHS).biometrics;

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('biometrics configuration', () => {
  it('defaults to the local matcher with the documented threshold and one worker per spare core', () => {
    const config = biometrics({});
    expect(config).toMatchObject({ mode: 'local', threshold: 0.55, timeoutMs: 10_000, maxQueued: 8 });
    expect(config.poolSize).toBe(defaultFacePoolSize());
    expect(config.poolSize).toBeGreaterThanOrEqual(1);
    expect(biometricsProblems(config, 'development')).toEqual([]);
  });

  it('refuses out-of-range values by dotted path, without echoing the ABIS key', () => {
    expect(problemsOf(() => biometrics({ threshold: 1.5, poolSize: 0, mode: 'cloud' }))).toEqual(
      expect.arrayContaining([
        expect.stringContaining('biometrics.threshold'),
        expect.stringContaining('biometrics.poolSize'),
        expect.stringContaining('biometrics.mode'),
      ]),
    );
    const problems = problemsOf(() => biometrics({ abis: { apiKey: 'short-secret' } }));
    expect(problems).toEqual([expect.stringContaining('biometrics.abis.apiKey')]);
    expect(problems.join()).not.toContain('short-secret');
  });

  it('needs an ABIS URL and credentials in http mode, https and mutual TLS in pairs', () => {
    expect(biometricsProblems(biometrics({ mode: 'http' }), 'development')).toEqual([
      'biometrics.abis.url: required in http mode',
      'biometrics.abis: http mode needs apiKey or mutual TLS',
    ]);
    const halfTls = biometrics({ mode: 'http', abis: { url: 'http://abis.local', clientCertificateFile: 'c.pem' } });
    expect(biometricsProblems(halfTls, 'development')).toEqual([
      'biometrics.abis.clientCertificateFile, biometrics.abis.clientKeyFile: give both or neither',
      'biometrics.abis.url: TLS settings need an https URL',
    ]);
    const good = biometrics({ mode: 'http', abis: { url: 'https://abis.example', apiKey: 'k'.repeat(24) } });
    expect(biometricsProblems(good, 'production')).toEqual([]);
  });

  it('refuses in production the local mode, whose portraits come from development files, and plain http', () => {
    expect(biometricsProblems(biometrics({}), 'production')).toEqual([
      'biometrics.mode: local reads portraits from files, refused in production (use http)',
    ]);
    const plain = biometrics({ mode: 'http', abis: { url: 'http://abis.example', apiKey: 'k'.repeat(24) } });
    expect(biometricsProblems(plain, 'production')).toEqual(['biometrics.abis.url: must be https in production']);
  });
});
