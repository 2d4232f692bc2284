import type { ModelMemory } from '../report/results.js';

/** Records that stay as long as the person stays signed in; codes, access tokens and interactions expire within minutes. */
export const LONG_LIVED_KINDS: ReadonlySet<string> = new Set(['Session', 'Session uid lookup', 'Grant']);

/**
 * What kind of record a Redis key holds, for both servers' layouts: ours `vneid:oidc:<Model>:{id}`,
 * `vneid:oidc:Session:uid:{uid}`, `vneid:oidc:grant:{grantId}`; the baseline's `baseline:<Model>:<id>`,
 * `baseline:uid:<uid>`, `baseline:grant:<grantId>`.
 */
export function kindOfKey(key: string, prefix: string): string {
  if (!key.startsWith(prefix)) return 'other';
  const parts = key.slice(prefix.length).replace(/^oidc:/, '').split(':');
  const [first = '', second = ''] = parts;
  if (first === 'grant') return 'grant index';
  if (first === 'uid' || (first === 'Session' && second === 'uid')) return 'Session uid lookup';
  if (first === 'userCode') return 'user code lookup';
  if (first === 'account' || first === 'login') return 'account';
  return /^[A-Z]\w*$/.test(first) ? first : 'other';
}

/** Sums bytes per kind and divides by the number of sessions. */
export function bytesByKind(usage: ReadonlyArray<{ key: string; bytes: number }>, prefix: string, sessions: number): Record<string, ModelMemory> {
  const totals: Record<string, ModelMemory> = {};
  for (const { key, bytes } of usage) {
    const kind = kindOfKey(key, prefix);
    const entry = (totals[kind] ??= { keys: 0, bytes: 0 });
    entry.keys += 1;
    entry.bytes += bytes;
  }
  for (const entry of Object.values(totals)) {
    entry.keys /= sessions;
    entry.bytes /= sessions;
  }
  return totals;
}
