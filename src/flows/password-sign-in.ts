import type { Account } from '../domain/account.js';
import type { AccountStore, PasswordHasher } from '../domain/ports.js';
import { fail, ok, type Result } from '../shared/result.js';

export type SignInFailure = 'invalid_credentials';

/**
 * Checks a login name and password. Unknown login names, accounts not yet activated and wrong passwords give the same
 * answer after the same amount of work, so the response does not reveal whether an account or a registration exists.
 */
export class PasswordSignIn {
  constructor(
    private readonly accounts: AccountStore,
    private readonly hasher: PasswordHasher,
  ) {}

  /** The account a login name belongs to, if any: `verify`'s first step, separate so a caller can overlap it. */
  lookUp(loginKey: string): Promise<Account | undefined> {
    return this.accounts.findByLoginKey(loginKey);
  }

  /** `found` is a lookUp(loginKey) the caller has already started; otherwise it is started here. */
  async verify(loginKey: string, password: string, found: Promise<Account | undefined> = this.lookUp(loginKey)): Promise<Result<Account, SignInFailure>> {
    const account = await found;
    // Decision 34 Art 7: a pending account is not usable until activated (its password is not even chosen yet).
    if (!account || account.status !== 'active') {
      await this.hasher.verifyDummy(password);
      return fail('invalid_credentials');
    }
    const matches = await this.hasher.verify(account.passwordHash, password);
    return matches ? ok(account) : fail('invalid_credentials');
  }
}
