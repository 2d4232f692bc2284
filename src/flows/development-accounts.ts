import { loginKeyOf, type Account } from '../domain/account.js';
import type { AccountStore, PasswordHasher } from '../domain/ports.js';
import type { Clock } from '../shared/clock.js';
import { uuid } from '../shared/ids.js';

/** Sign-in names and passwords of the development accounts; printed in the README. Never created in production. */
export const DEVELOPMENT_ACCOUNTS = [
  {
    password: 'demo-password-1',
    level: 1,
    identity: { kind: 'citizen', idNumber: '001099012345', fullName: 'Nguyễn Văn An', birthDate: '1999-03-14', gender: 'male' },
    phone: '+84912345678',
    email: 'an.nguyen@example.vn',
  },
  {
    password: 'demo-password-2',
    level: 2,
    identity: { kind: 'citizen', idNumber: '079301000123', fullName: 'Trần Thị Bình', birthDate: '2001-07-02', gender: 'female' },
    phone: '+84987654321',
    email: 'binh.tran@example.vn',
  },
  {
    password: 'demo-password-3',
    level: 1,
    identity: { kind: 'foreigner', passportNumber: 'C01234567', nationality: 'FRA', fullName: 'Camille Martin', birthDate: '1990-11-20', gender: 'female' },
    email: 'camille.martin@example.fr',
  },
] as const;

/**
 * Development convenience (ARCHITECTURE convention 10): creates the accounts above if they do not exist yet, so the
 * demo relying party can be tried at once. Refused in production.
 */
export async function seedDevelopmentAccounts(
  environment: string,
  accounts: AccountStore,
  hasher: PasswordHasher,
  clock: Clock,
): Promise<number> {
  if (environment === 'production') throw new Error('development accounts are refused in production');
  let created = 0;
  for (const entry of DEVELOPMENT_ACCOUNTS) {
    const loginKey = loginKeyOf(entry.identity);
    if (await accounts.findByLoginKey(loginKey)) continue;
    const now = clock.now();
    const account: Account = {
      id: uuid(),
      identity: { ...entry.identity },
      level: entry.level,
      phone: 'phone' in entry ? entry.phone : undefined,
      email: entry.email,
      passwordHash: await hasher.hash(entry.password),
      createdAt: now,
      updatedAt: now,
    };
    if (await accounts.create(account, loginKey)) created += 1;
  }
  return created;
}
