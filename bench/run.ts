import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { loadConfig } from '../src/config/loader.js';
import type { AppConfig } from '../src/config/schema.js';
import { SCOPE_CLAIMS } from '../src/oidc/claims.js';
import { freePort } from '../src/shared/free-port.js';
import { TestRedisServer } from '../test/support/redis-server.js';
import type { BaselineSettings } from './baseline/settings.js';
import { parseBenchArgs, USAGE, type BenchOptions } from './cli-options.js';
import { BenchBrowser } from './load/browser.js';
import { discoverEndpoints } from './load/endpoints.js';
import { inBatches, prepareFixtures, type TargetFixtures } from './load/fixtures.js';
import type { LoadOutcome } from './load/load-outcome.js';
import { signIn, type BenchAccount } from './load/sign-in.js';
import { measureSessionMemory } from './memory/session-memory.js';
import { aggregateRounds, roundOrder, scenarioResult } from './report/aggregate.js';
import { formatMilliseconds, formatRate, formatRatio } from './report/markdown.js';
import type { BenchReport, MemoryResult, RoundMeasurement, ScenarioResult, ServerName } from './report/results.js';
import { memoryChecks } from './report/targets.js';
import { updateReadme, writeResults } from './report/write-results.js';
import { SCENARIOS, type Scenario } from './scenarios.js';
import { BASELINE_KEY_PREFIX, startBaselineServer } from './servers/baseline-server.js';
import { OUR_KEY_PREFIX, ourServerEnvironment, startOurServer } from './servers/our-server.js';
import { benchAccounts, seedAccounts } from './servers/seed-accounts.js';
import type { ServerProcess } from './servers/server-process.js';
import type { BenchTarget } from './support/bench-target.js';
import { ProcessCpuReader, totalCpuSeconds } from './support/cpu.js';
import { fileStamp, gitState, machineInfo } from './support/environment.js';
import { repoRoot } from './support/repo-root.js';
import { LatencyRecorder } from './support/statistics.js';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Tear-down steps, run last-in first-out once, whether the run ends, fails or is interrupted. */
class Cleanup {
  private readonly steps: Array<() => Promise<void> | void> = [];
  private done?: Promise<void>;

  push(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.done ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step();
        } catch (error) {
          log(`clean-up step failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.done;
  }
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const value = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return value('used_cpu_user') + value('used_cpu_sys');
}

async function redisVersion(redis: Redis): Promise<string> {
  return /^redis_version:(\S+)/m.exec(await redis.info('server'))?.[1] ?? 'unknown';
}

/** What the baseline must share with ours, taken from the configuration ours actually runs with. */
function parityWith(config: AppConfig): Pick<BaselineSettings, 'ttl' | 'acrValues' | 'signingAlgorithms' | 'scopeClaims'> {
  const { ttl } = config;
  return {
    ttl: {
      AccessToken: ttl.accessTokenSeconds,
      AuthorizationCode: ttl.authorizationCodeSeconds,
      IdToken: ttl.idTokenSeconds,
      RefreshToken: ttl.refreshTokenSeconds,
      Session: ttl.sessionSeconds,
      Interaction: ttl.interactionSeconds,
      Grant: ttl.grantSeconds,
      PushedAuthorizationRequest: ttl.pushedAuthorizationRequestSeconds,
      ClientCredentials: ttl.clientCredentialsSeconds,
    },
    acrValues: [...config.acr.values],
    signingAlgorithms: [...config.keys.signingAlgorithms],
    scopeClaims: Object.fromEntries(
      Object.entries(SCOPE_CLAIMS)
        .filter(([scope]) => scope !== 'openid')
        .map(([scope, claims]) => [scope, [...claims]]),
    ),
  };
}

interface Measured {
  round: RoundMeasurement;
  outcome: LoadOutcome;
}

/** Runs one round of load and attaches the CPU time the server (and Redis) spent meanwhile. */
async function measureRound(
  cpu: ProcessCpuReader,
  redis: Redis,
  target: BenchTarget,
  round: number,
  load: () => Promise<LoadOutcome>,
): Promise<Measured> {
  const [cpuBefore, redisBefore] = await Promise.all([cpu.read(target.pid), redisCpuSeconds(redis)]);
  const started = performance.now();
  const outcome = await load();
  const wallSeconds = (performance.now() - started) / 1000;
  const [cpuAfter, redisAfter] = await Promise.all([cpu.read(target.pid), redisCpuSeconds(redis)]);
  return {
    outcome,
    round: {
      server: target.name,
      round,
      completed: outcome.completed,
      failed: outcome.failed,
      wallSeconds,
      cpuSeconds: totalCpuSeconds(cpuAfter) - totalCpuSeconds(cpuBefore),
      redisCpuSeconds: redisAfter - redisBefore,
    },
  };
}

async function runScenario(
  scenario: Scenario,
  fixtures: Record<ServerName, TargetFixtures>,
  options: BenchOptions,
  cpu: ProcessCpuReader,
  redis: Redis,
): Promise<ScenarioResult> {
  const settings = { connections: options.connections, signInConcurrency: options.signInConcurrency };
  for (const server of ['ours', 'baseline'] as const) {
    const warmup = await scenario.run(fixtures[server], options.warmupSeconds, settings);
    if (warmup.completed === 0) throw new Error(`${scenario.name} on ${server} completed nothing in warm-up: ${warmup.failureSamples.join('; ')}`);
  }
  const rounds: Record<ServerName, RoundMeasurement[]> = { ours: [], baseline: [] };
  const latencies: Record<ServerName, LatencyRecorder> = { ours: new LatencyRecorder(), baseline: new LatencyRecorder() };
  for (let round = 1; round <= options.roundsPerServer; round += 1) {
    for (const server of roundOrder(round, ['ours', 'baseline'])) {
      const target = fixtures[server].target;
      const { round: measured, outcome } = await measureRound(cpu, redis, target, round, () =>
        scenario.run(fixtures[server], options.roundSeconds, settings),
      );
      rounds[server].push(measured);
      latencies[server].addAll(outcome.latencies);
      const failures = outcome.failed > 0 ? `, ${outcome.failed} failed (${outcome.failureSamples.join('; ')})` : '';
      log(
        `  ${scenario.name} ${server} round ${round}: ${formatRate(measured.completed / measured.cpuSeconds)}/CPU-s ` +
          `(${measured.completed} in ${measured.wallSeconds.toFixed(1)} s, ${measured.cpuSeconds.toFixed(2)} CPU-s)${failures}`,
      );
    }
  }
  const result = scenarioResult(
    scenario,
    aggregateRounds(rounds.ours, latencies.ours),
    aggregateRounds(rounds.baseline, latencies.baseline),
  );
  log(
    `${scenario.title}: ours ${formatRate(result.ours.perCpuSecond)}/CPU-s, baseline ${formatRate(result.baseline.perCpuSecond)}/CPU-s, ` +
      `${formatRatio(result.ratio)}; p50/p99 ours ${formatMilliseconds(result.ours.latency.p50)}/${formatMilliseconds(result.ours.latency.p99)} ms` +
      `${result.checks.every((check) => check.met) ? '' : ' — TARGET MISSED'}`,
  );
  return result;
}

/** Sign-ins from new browsers (each a new session that stays); fails with the first reason if none completes. */
async function freshSessions(target: BenchTarget, fixtures: TargetFixtures, count: number, concurrency: number): Promise<number> {
  let firstFailure: string | undefined;
  const outcomes = await inBatches(count, concurrency, async (index) => {
    const account = fixtures.accounts[index % fixtures.accounts.length] as BenchAccount;
    try {
      await signIn(target, fixtures.endpoints, new BenchBrowser(target), account, { allowConsent: true });
      return true;
    } catch (error) {
      firstFailure ??= error instanceof Error ? error.message : String(error);
      return false;
    }
  });
  const completed = outcomes.filter(Boolean).length;
  if (completed === 0) throw new Error(`${target.name}: no sign-in completed: ${firstFailure ?? 'unknown reason'}`);
  if (firstFailure) log(`  ${target.name}: ${count - completed} of ${count} sign-ins failed, first: ${firstFailure}`);
  return completed;
}

/** Three times the planned load time plus a margin for start-up, preparation and the memory sign-ins. */
function runLimitSeconds(options: BenchOptions): number {
  const perScenario = 2 * options.warmupSeconds + 2 * options.roundsPerServer * options.roundSeconds;
  return 3 * perScenario * options.scenarios.length + 180 + options.memorySessions / 5;
}

async function main(): Promise<number> {
  const options = parseBenchArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) log(`warning: Node ${process.version}; the servers run on this binary, production runs Node 22 (use npm run bench)`);
  const root = repoRoot();
  const oursRoot = options.oursRoot ? resolve(options.oursRoot) : root;
  const started = new Date();
  const stamp = fileStamp(started);
  const workDir = mkdtempSync(join(tmpdir(), 'vneid-bench-'));
  const profileDir = join(root, 'var', 'bench', 'profiles', stamp);
  const cleanup = new Cleanup();
  let succeeded = false;
  cleanup.push(() => {
    if (succeeded) rmSync(workDir, { recursive: true, force: true });
    else log(`server logs kept in ${workDir}`);
  });
  const interrupt = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping the servers and Redis`);
    void cleanup.run().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  // Whatever goes wrong, the child processes and Redis are stopped by PID before this process ends.
  const crash = (error: unknown): void => {
    log(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    void cleanup.run().then(() => process.exit(1));
  };
  process.once('uncaughtException', crash);
  process.once('unhandledRejection', crash);
  // Bounded: a run that takes three times its planned length (plus start-up) is stopped.
  const watchdog = setTimeout(() => crash(new Error(`the run took longer than ${Math.round(runLimitSeconds(options))} s`)), runLimitSeconds(options) * 1000);
  watchdog.unref();
  cleanup.push(() => clearTimeout(watchdog));

  try {
    log(`vn-eid benchmark (${options.mode}); work directory ${workDir}`);
    const redisServer = await TestRedisServer.start();
    cleanup.push(() => redisServer.destroy());
    const redis = redisServer.client();
    cleanup.push(() => redis.disconnect());

    const [ourPort, baselinePort] = [await freePort(), await freePort()];
    const ourEnv = ourServerEnvironment({ redisUrl: redisServer.url, port: ourPort, workDir, logLevel: options.ourLogLevel });
    // The configuration ours will run with: a production setting the bench does not provide stops the run here.
    const config = loadConfig(ourEnv, join(oursRoot, 'config'));
    const accounts = benchAccounts(Math.max(32, options.signInConcurrency * 2));
    await seedAccounts(redis, { ours: OUR_KEY_PREFIX, baseline: BASELINE_KEY_PREFIX }, accounts, config.passwordHash);

    const profileFlags = (server: ServerName): string[] => {
      if (!options.cpuProfile.includes(server)) return [];
      mkdirSync(profileDir, { recursive: true });
      return ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${server}-${stamp}.cpuprofile`];
    };
    const servers: ServerProcess[] = [];
    cleanup.push(async () => {
      await Promise.all(servers.map((server) => server.stop()));
    });
    const register = (server: ServerProcess): void => {
      servers.push(server);
    };
    // Both start at once; wait for both to settle so that neither is still starting while the other's failure tears
    // Redis down.
    const [oursStart, baselineStart] = await Promise.allSettled([
      startOurServer({ root: oursRoot, env: ourEnv, port: ourPort, workDir, nodeFlags: profileFlags('ours'), onSpawn: register }),
      startBaselineServer({
        root,
        redisUrl: redisServer.url,
        port: baselinePort,
        workDir,
        nodeFlags: profileFlags('baseline'),
        onSpawn: register,
        parity: parityWith(config),
      }),
    ]);
    if (oursStart.status === 'rejected') throw oursStart.reason;
    if (baselineStart.status === 'rejected') throw baselineStart.reason;
    const [ours, baseline] = [oursStart.value, baselineStart.value];
    log(`ours (pid ${ours.target.pid}) and baseline (pid ${baseline.target.pid}) are up; Redis on ${redisServer.url}`);
    const targets: Record<ServerName, BenchTarget> = { ours: ours.target, baseline: baseline.target };
    const endpoints = { ours: await discoverEndpoints(targets.ours), baseline: await discoverEndpoints(targets.baseline) };

    let memory: MemoryResult | undefined;
    if (options.memorySessions > 0) {
      const measured = {} as Record<ServerName, MemoryResult['ours']>;
      for (const server of ['ours', 'baseline'] as const) {
        const target = targets[server];
        const context = { target, endpoints: endpoints[server], accounts, returningBrowsers: [], refreshTokens: [], accessToken: '' };
        measured[server] = await measureSessionMemory(redis, target, () =>
          freshSessions(target, context, options.memorySessions, options.signInConcurrency * 2),
        );
        log(
          `Redis per session, ${server}: ${Math.round(measured[server].longLivedBytesPerSession)} bytes kept ` +
            `(${Math.round(measured[server].bytesPerSession)} right after sign-in) over ${measured[server].sessions} sessions`,
        );
      }
      memory = { ours: measured.ours, baseline: measured.baseline, checks: memoryChecks(measured.ours) };
    }

    // Each measured run loses at most one refresh token per connection (the request in flight when it stops).
    const runsPerServer = options.roundsPerServer + 1;
    const preparation = {
      signInWorkers: options.signInConcurrency,
      refreshTokens: options.connections * (runsPerServer + 1),
      concurrency: options.signInConcurrency * 2,
    };
    const fixtures: Record<ServerName, TargetFixtures> = {
      ours: await prepareFixtures(targets.ours, endpoints.ours, accounts, preparation),
      baseline: await prepareFixtures(targets.baseline, endpoints.baseline, accounts, preparation),
    };

    const cpu = new ProcessCpuReader();
    const scenarios: ScenarioResult[] = [];
    for (const scenario of SCENARIOS.filter((candidate) => options.scenarios.includes(candidate.name))) {
      scenarios.push(await runScenario(scenario, fixtures, options, cpu, redis));
    }

    const report: BenchReport = {
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      git: gitState(oursRoot),
      machine: machineInfo(await redisVersion(redis)),
      settings: {
        mode: options.mode,
        roundSeconds: options.roundSeconds,
        warmupSeconds: options.warmupSeconds,
        roundsPerServer: options.roundsPerServer,
        connections: options.connections,
        signInConcurrency: options.signInConcurrency,
        memorySessions: options.memorySessions,
        argon2: { ...config.passwordHash },
        oidcProvider: (JSON.parse(readFileSync(join(root, 'node_modules', 'oidc-provider', 'package.json'), 'utf8')) as { version: string }).version,
        ourLogLevel: options.ourLogLevel,
      },
      scenarios,
      memory,
      allTargetsMet: scenarios.every((result) => result.checks.every((check) => check.met)) && (memory?.checks.every((check) => check.met) ?? true),
    };
    const written = writeResults(options.outDir ? resolve(options.outDir) : join(root, 'bench', 'results'), stamp, report);
    log(`results: ${written.json}, ${written.markdown}, ${written.latest}`);
    if (options.readme) {
      updateReadme(join(root, 'README.md'), report);
      log('README.md: bench section updated');
    }
    if (options.cpuProfile.length > 0) log(`CPU profiles (written as the servers stop): ${profileDir}`);
    succeeded = true;
    return 0;
  } finally {
    await cleanup.run();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
