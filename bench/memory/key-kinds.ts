import type { ModelMemory } from '../report/results.js';

/**
 * Records that stay as long as the person stays signed in (the session, its lookup, the grant, the account's index of
 * its sessions and grants); codes, access tokens and interactions expire within minutes.
 */
export const LONG_LIVED_KINDS: ReadonlySet<string> = new Set(['Session', 'Session uid lookup', 'Grant', 'account index']);

/**
 * What kind of record a Redis key holds, for both servers' layouts: ours `vneid:oidc:<Model>:{id}`,
 * `vneid:oidc:Session:uid:{uid}`, `vneid:oidc:grant:{grantId}`, `vneid:oidc:account:{accountId}` (the account's
 * sessions and grants), `vneid:account:{id}` and its login claim `vneid:account:login:{...}`, the audit streams
 * (`audit:all`, one `audit:account` per account); the baseline's `baseline:<Model>:<id>`, `baseline:uid:<uid>`, `baseline:grant:<grantId>`.
 * Anything else is named by its first segment (`rl:*`, `audit:*`), so new kinds of records show up in the report.
 */
export function kindOfKey(key: string, prefix: string): string {
  if (!key.startsWith(prefix)) return 'other';
  const rest = key.slice(prefix.length);
  if (rest.startsWith('oidc:account:')) return 'account index';
  if (rest.startsWith('account:login:')) return 'account login claim';
  if (rest.startsWith('account:dependants:')) return 'dependants index';
  if (rest.startsWith('audit:account:')) return 'audit:account';
  if (rest === 'audit:all') return 'audit:all';
  const parts = rest.replace(/^oidc:/, '').split(':');
  const [first = '', second = ''] = parts;
  if (first === 'grant') return 'grant index';
  if (first === 'uid' || (first === 'Session' && second === 'uid')) return 'Session uid lookup';
  if (first === 'userCode') return 'user code lookup';
  if (first === 'account' || first === 'login') return 'account';
  if (/^[A-Z]\w*$/.test(first)) return first;
  return /^[a-z][\w-]*$/.test(first) ? `${first}:*` : 'other';
}

/** Sums bytes (and keys) per kind and divides by the number of sessions; `keys` counts keys that appeared. */
export function bytesByKind(
  usage: ReadonlyArray<{ key: string; bytes: number; created?: boolean }>,
  prefix: string,
  sessions: number,
): Record<string, ModelMemory> {
  const totals: Record<string, ModelMemory> = {};
  for (const { key, bytes, created } of usage) {
    const kind = kindOfKey(key, prefix);
    const entry = (totals[kind] ??= { keys: 0, bytes: 0 });
    if (created ?? true) entry.keys += 1;
    entry.bytes += bytes;
  }
  for (const entry of Object.values(totals)) {
    entry.keys /= sessions;
    entry.bytes /= sessions;
  }
  return totals;
}
