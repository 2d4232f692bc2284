import { createHmac } from 'node:crypto';
import type { Configuration } from 'oidc-provider';
import type { ClientEntry } from '../config/clients.js';
import type { Environment } from '../config/schema.js';
import { ConfigError } from '../config/validation.js';

type PairwiseIdentifier = NonNullable<Configuration['pairwiseIdentifier']>;

/** Separates this use of a secret from its other uses (cookie keys sign cookies and CSRF tokens too). */
const CONTEXT = 'vn-eid pairwise sub v1\0';

/**
 * The secret pairwise subjects are derived from: `pairwiseSalt` (PAIRWISE_SALT), or outside production one derived
 * from the cookie keys (development persists those in Redis, so subjects stay stable across restarts). Production
 * refuses to start without it when any client is pairwise, and without it offers public subjects only (undefined).
 */
export function pairwiseSaltFor(
  settings: { env: Environment; pairwiseSalt?: string },
  clients: readonly Pick<ClientEntry, 'client_id' | 'subject_type'>[],
  cookieKeys: readonly string[],
): string | undefined {
  if (settings.pairwiseSalt) return settings.pairwiseSalt;
  const pairwise = clients.filter((client) => client.subject_type === 'pairwise');
  if (settings.env === 'production') {
    if (pairwise.length === 0) return undefined;
    throw new ConfigError('configuration', [
      `pairwiseSalt: required in production when a client is pairwise (${pairwise.map((client) => client.client_id).join(', ')}); set PAIRWISE_SALT`,
    ]);
  }
  const [cookieKey] = cookieKeys;
  if (!cookieKey) throw new Error('pairwise subjects need pairwiseSalt or a cookie key');
  return createHmac('sha256', cookieKey).update(`${CONTEXT}development salt`).digest('base64url');
}

/**
 * oidc-provider `pairwiseIdentifier`: the `sub` a pairwise client receives (OpenID Connect Core 8.1), a keyed hash of
 * the client and the account. Per client rather than per redirect-URI host: two services of one host (two ministries
 * behind one portal domain) must not be able to join their users by `sub`, and only an operator with the salt can link
 * a pairwise `sub` back to an account. Stable as long as the salt is.
 */
export function createPairwiseIdentifier(salt: string): PairwiseIdentifier {
  return (_ctx, accountId, client) =>
    createHmac('sha256', salt).update(`${CONTEXT}${client.clientId}\0${accountId}`).digest('base64url');
}
