import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/loader.js';
import { Argon2PasswordHasher } from '../../src/credentials/argon2-password-hasher.js';
import { freePort } from '../../src/shared/free-port.js';
import { RedisKeys } from '../../src/storage/keys.js';
import { TestRedisServer } from '../../test/support/redis-server.js';
import { BenchBrowser } from '../load/browser.js';
import { discoverEndpoints, type Endpoints } from '../load/endpoints.js';
import { freshSessions, inBatches } from '../load/fixtures.js';
import { signIn, type BenchAccount } from '../load/sign-in.js';
import { redisVersion } from '../scenario-runner.js';
import { OUR_KEY_PREFIX, ourServerEnvironment, startOurServer } from '../servers/our-server.js';
import type { ServerProcess } from '../servers/server-process.js';
import type { BenchTarget } from '../support/bench-target.js';
import { fileStamp, gitState } from '../support/environment.js';
import { repoRoot } from '../support/repo-root.js';
import { measureAccountMemory, seedSignInAccounts } from './account-memory.js';
import { measureAuditMemory } from './audit-memory.js';
import { bytesByKind } from './key-kinds.js';
import { headlineFigures, renderMemoryReport, type RecordMemory, type StateMemoryReport } from './memory-figures.js';
import { measureGrowth } from './session-memory.js';

const USAGE = `npm run bench:memory -- [options]

Starts Redis and our provider (dist/src/main.js, production mode) on loopback and measures Redis memory per record:
activated accounts (level 1 and 2, written as registration writes them), sign-ins from new browsers (session, grant,
lookups, access token, audit events) and offline_access sign-ins (refresh tokens). Writes
bench/results/memory-<date>-<sha>.{json,md} and bench/results/memory-latest.md (docs/scaling.md uses them).

  --accounts=N   accounts per level (default 1000)
  --sessions=N   sign-ins from new browsers (default 1000)
  --refresh=N    offline_access sign-ins (default 500)
  --out=DIR      write the results to DIR instead of bench/results
  --help         this text`;

interface MemoryOptions {
  accounts: number;
  sessions: number;
  refresh: number;
  outDir?: string;
  help: boolean;
}

function parseOptions(argv: readonly string[]): MemoryOptions {
  const options: MemoryOptions = { accounts: 1000, sessions: 1000, refresh: 500, help: false };
  for (const argument of argv) {
    const [name = '', value = ''] = argument.replace(/^--/, '').split('=');
    const count = (): number => {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 1 || number > 100_000) throw new Error(`--${name} must be an integer from 1 to 100000, got "${value}"`);
      return number;
    };
    if (name === 'help') options.help = true;
    else if (name === 'accounts') options.accounts = count();
    else if (name === 'sessions') options.sessions = count();
    else if (name === 'refresh') options.refresh = count();
    else if (name === 'out' && value) options.outDir = value;
    else throw new Error(`unknown option ${argument}\n\n${USAGE}`);
  }
  return options;
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Sign-ins with offline_access (granted only with prompt=consent, OIDC Core 11): one refresh token each. */
async function offlineSignIns(target: BenchTarget, endpoints: Endpoints, accounts: BenchAccount[], count: number): Promise<number> {
  // The first `count` people again: each gets a second session, with its refresh token.
  await inBatches(count, 8, (index) =>
    signIn(target, endpoints, new BenchBrowser(target), accounts[index % accounts.length] as BenchAccount, {
      prompt: 'consent',
      scope: 'openid offline_access profile',
      allowConsent: true,
    }),
  );
  return count;
}

async function measureSignIns(redis: Redis, prefix: string, run: () => Promise<number>): Promise<{ memory: RecordMemory; auditEvents: number }> {
  const auditAll = new RedisKeys(prefix).auditAll();
  const eventsBefore = await redis.xlen(auditAll);
  const { growth, result: units } = await measureGrowth(redis, prefix, run);
  const byKind = bytesByKind(growth.changes, prefix, units);
  return {
    memory: {
      units,
      bytesPerUnit: Object.values(byKind).reduce((sum, entry) => sum + entry.bytes, 0),
      usedMemoryDeltaPerUnit: growth.usedMemoryDelta / units,
      byKind,
    },
    auditEvents: (await redis.xlen(auditAll)) - eventsBefore,
  };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const root = repoRoot();
  const workDir = mkdtempSync(join(tmpdir(), 'vneid-bench-memory-'));
  const redisServer = await TestRedisServer.start();
  const redis = redisServer.client();
  let server: ServerProcess | undefined;
  try {
    const git = gitState(root);
    const port = await freePort();
    const env = ourServerEnvironment({ redisUrl: redisServer.url, port, workDir, logLevel: 'warn' });
    const config = loadConfig(env, join(root, 'config'));
    const hasher = new Argon2PasswordHasher(config.passwordHash);

    log(`accounts: ${options.accounts} per level`);
    const passwordHash = await hasher.hash('a password of typical length');
    const level1 = await measureAccountMemory(redis, OUR_KEY_PREFIX, options.accounts, 1, passwordHash);
    const level2 = await measureAccountMemory(redis, OUR_KEY_PREFIX, options.accounts, 2, passwordHash);

    log('audit events: 1 for each of 1000 accounts, then 100 for each of 10 (node size 4096, then 1024)');
    const auditFirst = await measureAuditMemory(redis, OUR_KEY_PREFIX, 1000, 1);
    const auditMarginal = await measureAuditMemory(redis, OUR_KEY_PREFIX, 10, 100);
    // Redis preallocates a new stream's first node at stream-node-max-bytes (4096 by default, at most 4096): smaller
    // nodes make the first event of an account cheaper and every later one dearer.
    const nodeBytes = (await redis.config('GET', 'stream-node-max-bytes')) as string[];
    await redis.config('SET', 'stream-node-max-bytes', '1024');
    const auditSmallFirst = await measureAuditMemory(redis, OUR_KEY_PREFIX, 1000, 1);
    const auditSmallMarginal = await measureAuditMemory(redis, OUR_KEY_PREFIX, 10, 100);
    await redis.config('SET', 'stream-node-max-bytes', nodeBytes[1] ?? '4096');

    // The people who sign in, one account each; not part of any measurement.
    const password = 'memory bench password';
    const accounts = await seedSignInAccounts(redis, OUR_KEY_PREFIX, options.sessions, password, await hasher.hash(password));
    const started = await startOurServer({ root, env, port, workDir, nodeFlags: [], onSpawn: (spawned) => (server = spawned) });
    const { target } = started;
    const endpoints = await discoverEndpoints(target);

    log(`sign-ins from new browsers: ${options.sessions}`);
    const signIns = await measureSignIns(redis, OUR_KEY_PREFIX, () => freshSessions(target, endpoints, accounts, options.sessions, 8, log));
    log(`offline_access sign-ins: ${options.refresh}`);
    const offline = await measureSignIns(redis, OUR_KEY_PREFIX, () => offlineSignIns(target, endpoints, accounts, options.refresh));

    const report: StateMemoryReport = {
      measuredAt: new Date().toISOString(),
      git,
      redis: await redisVersion(redis),
      argon2: { ...config.passwordHash },
      accounts: { level1, level2 },
      signIns: signIns.memory,
      offlineSignIns: offline.memory,
      auditEvents: signIns.auditEvents,
      signInAccounts: accounts.length,
      audit: { firstOfAccount: auditFirst, marginal: auditMarginal },
      auditSmallNodes: { firstOfAccount: auditSmallFirst, marginal: auditSmallMarginal },
    };
    const outDir = options.outDir ? resolve(options.outDir) : join(root, 'bench', 'results');
    mkdirSync(outDir, { recursive: true });
    const base = join(outDir, `memory-${fileStamp(new Date(report.measuredAt))}-${git.sha}`);
    const markdown = renderMemoryReport(report);
    writeFileSync(`${base}.json`, `${JSON.stringify({ ...report, headline: headlineFigures(report) }, null, 2)}\n`);
    writeFileSync(`${base}.md`, `${markdown}\n`);
    writeFileSync(join(outDir, 'memory-latest.md'), `${markdown}\n`);
    process.stdout.write(`${markdown}\n`);
    log(`results: ${base}.json, ${base}.md, ${join(outDir, 'memory-latest.md')}`);
    return 0;
  } finally {
    // Stopped by PID, then Redis, whatever happened.
    await server?.stop();
    redis.disconnect();
    await redisServer.destroy();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`memory benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
