import type { ModelMemory } from '../report/results.js';

/** Memory of one kind of unit (an account, a sign-in, a refresh token), measured over `units` of them. */
export interface RecordMemory {
  units: number;
  /** MEMORY USAGE (SAMPLES 0) of the keys created plus the growth of keys that existed, per unit. */
  bytesPerUnit: number;
  /** INFO used_memory after minus before, per unit: adds allocator slack and Redis's own dictionary growth. */
  usedMemoryDeltaPerUnit: number;
  /** Per kind of key (bench/memory/key-kinds.ts): keys created and bytes, per unit. */
  byKind: Record<string, ModelMemory>;
}

/** What `npm run bench:memory` measured, with where it came from. */
export interface StateMemoryReport {
  measuredAt: string;
  git: { sha: string; dirty: boolean };
  redis: string;
  argon2: { memoryCostKiB: number; timeCost: number; parallelism: number };
  accounts: { level1: RecordMemory; level2: RecordMemory };
  /** Sign-ins from new browsers, none logged out (session, grant, lookups, access token, code, audit). */
  signIns: RecordMemory;
  /** Sign-ins with offline_access (prompt=consent), for the refresh token. */
  offlineSignIns: RecordMemory;
  /** Audit events the sign-ins wrote (XLEN of audit:all), each appended to audit:all and its account's stream. */
  auditEvents: number;
  /** Accounts the sign-ins were spread over: one each, so each session is its account's first. */
  signInAccounts: number;
  /** Audit events written directly: the first event of each of many accounts, and many events of a few accounts. */
  audit: { firstOfAccount: RecordMemory; marginal: RecordMemory };
  /** The same with `stream-node-max-bytes 1024` (Redis preallocates a new stream's first node at up to that size). */
  auditSmallNodes: { firstOfAccount: RecordMemory; marginal: RecordMemory };
}

/**
 * The records that outlive a sign-in while the person stays signed in (bench/memory/key-kinds.ts names; as the full
 * benchmark's LONG_LIVED_KINDS). The grant index is not among them without a refresh token: it lists only the code and
 * the access token and expires with them.
 */
export const SESSION_KINDS = ['Session', 'Session uid lookup', 'Grant', 'account index'] as const;

const bytesOf = (memory: RecordMemory, kinds: readonly string[]): number =>
  kinds.reduce((sum, kind) => sum + (memory.byKind[kind]?.bytes ?? 0), 0);

/** The headline figures docs/scaling.md uses, in bytes. */
export function headlineFigures(report: StateMemoryReport): Record<string, number> {
  const auditBytes = bytesOf(report.signIns, ['audit:all', 'audit:account']) * report.signIns.units;
  return {
    'activated account, level 1 (record + login claim)': report.accounts.level1.bytesPerUnit,
    'activated account, level 2 (record + login claim)': report.accounts.level2.bytesPerUnit,
    'active session (Session, uid lookup, Grant, account index)': bytesOf(report.signIns, SESSION_KINDS),
    'access token (opaque, stored)': bytesOf(report.signIns, ['AccessToken']),
    'authorization code (until it expires, consumed or not)': bytesOf(report.signIns, ['AuthorizationCode']),
    'grant index of a sign-in (code + access token; expires with them)': bytesOf(report.signIns, ['grant index']),
    'refresh token': bytesOf(report.offlineSignIns, ['RefreshToken']),
    'refresh token with its grant index (which then lives as long)': bytesOf(report.offlineSignIns, ['RefreshToken', 'grant index']),
    'audit event written by a sign-in (first of its account)': report.auditEvents > 0 ? auditBytes / report.auditEvents : 0,
    'audit event, first of an account (its stream created)': report.audit.firstOfAccount.bytesPerUnit,
    'audit event, one more in existing streams': report.audit.marginal.bytesPerUnit,
    'audit event, first of an account, stream-node-max-bytes 1024': report.auditSmallNodes.firstOfAccount.bytesPerUnit,
    'audit event, one more, stream-node-max-bytes 1024': report.auditSmallNodes.marginal.bytesPerUnit,
  };
}

const integer = (value: number): string => Math.round(value).toLocaleString('en-US');

function kindTable(title: string, memory: RecordMemory): string[] {
  const rows = Object.entries(memory.byKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, entry]) => `| ${kind} | ${entry.keys.toFixed(2)} | ${integer(entry.bytes)} |`);
  return [
    `### ${title} (over ${integer(memory.units)}; used_memory Δ ${integer(memory.usedMemoryDeltaPerUnit)} bytes each)`,
    '',
    '| kind of key | keys created each | bytes each |',
    '|---|---:|---:|',
    ...rows,
    '',
  ];
}

export function renderMemoryReport(report: StateMemoryReport): string {
  const headline = headlineFigures(report);
  return [
    '# Redis memory per record',
    '',
    `${report.measuredAt.slice(0, 10)}, commit \`${report.git.sha}\`${report.git.dirty ? ' (with uncommitted changes)' : ''}, Redis ${report.redis}, ` +
      `argon2id m=${report.argon2.memoryCostKiB} KiB t=${report.argon2.timeCost} p=${report.argon2.parallelism}. ` +
      'Measured by `npm run bench:memory` against the built provider in production mode on loopback: `MEMORY USAGE ... SAMPLES 0` ' +
      'of every key under the prefix before and after, and INFO `used_memory` deltas (which add allocator slack and dictionary growth).',
    '',
    '| record | bytes (MEMORY USAGE) |',
    '|---|---:|',
    ...Object.entries(headline).map(([name, bytes]) => `| ${name} | ${integer(bytes)} |`),
    '',
    `Sign-ins were spread over ${integer(report.signInAccounts)} accounts (one session each, as most people have); ` +
      `${integer(report.auditEvents)} audit events over ${integer(report.signIns.units)} sign-ins. The offline_access sign-ins ` +
      "are the second session of the first accounts. An access token's, code's and refresh token's share of its grant index " +
      'is in "grant index". The account figures include no session, audit stream or lock: those are counted where they arise.',
    '',
    ...kindTable('Activated account, level 1', report.accounts.level1),
    ...kindTable('Activated account, level 2', report.accounts.level2),
    ...kindTable('Sign-in from a new browser (everything right after)', report.signIns),
    ...kindTable('Sign-in with offline_access (everything right after)', report.offlineSignIns),
    ...kindTable('Audit event, first of its account', report.audit.firstOfAccount),
    ...kindTable('Audit event, one more (100 per account)', report.audit.marginal),
  ].join('\n');
}
