import { loginKeyOf, type Account, type Identity } from '../domain/account.js';
import type { AssuranceLevel } from '../domain/levels.js';
import type { AccountStore, PasswordHasher } from '../domain/ports.js';
import type { Clock } from '../shared/clock.js';
import { uuid } from '../shared/ids.js';

export interface DevelopmentAccount {
  identity: Identity;
  level: AssuranceLevel;
  password: string;
  phone?: string;
  email?: string;
}

/**
 * Development convenience (ARCHITECTURE convention 10): creates the given accounts if they do not exist yet, so the
 * demo relying party can be tried at once. Refused in production.
 */
export async function seedDevelopmentAccounts(
  environment: string,
  seeds: readonly DevelopmentAccount[],
  deps: { accounts: AccountStore; hasher: PasswordHasher; clock: Clock },
): Promise<number> {
  if (environment === 'production') throw new Error('development accounts are refused in production');
  let created = 0;
  for (const seed of seeds) {
    const loginKey = loginKeyOf(seed.identity);
    if (await deps.accounts.findByLoginKey(loginKey)) continue;
    const now = deps.clock.now();
    const account: Account = {
      id: uuid(),
      identity: { ...seed.identity },
      level: seed.level,
      status: 'active',
      phone: seed.phone,
      email: seed.email,
      // Development personas: their made-up contacts count as proven, so the demo shows phone and email claims.
      ...(seed.phone ? { phoneVerifiedAt: now } : {}),
      ...(seed.email ? { emailVerifiedAt: now } : {}),
      passwordHash: await deps.hasher.hash(seed.password),
      createdAt: now,
      updatedAt: now,
    };
    if (await deps.accounts.create(account, loginKey)) created += 1;
  }
  return created;
}
