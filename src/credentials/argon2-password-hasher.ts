import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';
import type { PasswordHashConfig } from '../config/schema.js';
import type { PasswordHasher } from '../domain/ports.js';

/** `Algorithm.Argon2id`; the package declares it as an ambient const enum, which isolatedModules cannot read. */
const ARGON2ID = 2 as Algorithm;

/**
 * Passwords in one Unicode form: Vietnamese text typed on different keyboards arrives precomposed or with combining
 * marks, and the same password must verify either way (NIST SP 800-63B 5.1.1.2 applies NFKC or NFKD).
 */
const normalise = (password: string): string => password.normalize('NFKC');

/**
 * argon2id hashing with the configured cost (OWASP minimum m=19456 KiB, t=2, p=1, enforced by PasswordHashConfig).
 * The PHC string carries its parameters, so raising the cost later still verifies old hashes (see needsRehash).
 */
export class Argon2PasswordHasher implements PasswordHasher {
  private readonly options: Options;
  private readonly dummyHash: Promise<string>;

  constructor(config: PasswordHashConfig) {
    this.options = {
      algorithm: ARGON2ID,
      memoryCost: config.memoryCostKiB,
      timeCost: config.timeCost,
      parallelism: config.parallelism,
    };
    // Made once, with the same cost as real hashes, so a dummy verification takes as long as a real one. Its password
    // is random and thrown away: nothing can ever match it.
    this.dummyHash = hash(randomBytes(32), this.options);
    // Observed here so that a failure surfaces on the first verifyDummy() instead of as an unhandled rejection.
    this.dummyHash.catch(() => undefined);
  }

  async hash(password: string): Promise<string> {
    return hash(normalise(password), this.options);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    return verify(passwordHash, normalise(password));
  }

  /**
   * The work of one verification for a login name that has no account, so that the answer's timing does not reveal
   * whether an account exists. Always false.
   */
  async verifyDummy(password: string): Promise<boolean> {
    await verify(await this.dummyHash, normalise(password));
    return false;
  }

  /** True when a stored hash was made with other parameters than configured now: rehash it after a good sign-in. */
  needsRehash(passwordHash: string): boolean {
    const used = parseOptions(passwordHash);
    return (
      used.algorithm !== ARGON2ID ||
      used.memoryCost !== this.options.memoryCost ||
      used.timeCost !== this.options.timeCost ||
      used.parallelism !== this.options.parallelism
    );
  }
}
