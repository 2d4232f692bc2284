import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config/loader.js';
import type { AppConfig } from '../src/config/schema.js';
import { ConfigError } from '../src/config/validation.js';
import { freePort } from '../src/shared/free-port.js';
import { TestRedisServer } from '../test/support/redis-server.js';
import { parseBenchArgs, USAGE, type BenchOptions } from './cli-options.js';
import { discoverEndpoints } from './load/endpoints.js';
import { freshSessions, prepareFixtures, type TargetFixtures } from './load/fixtures.js';
import { measureSessionMemory } from './memory/session-memory.js';
import type { BenchReport, MemoryResult, ScenarioResult, ServerName } from './report/results.js';
import { memoryChecks } from './report/targets.js';
import { updateReadme, writeResults } from './report/write-results.js';
import { redisVersion, runScenario } from './scenario-runner.js';
import { SCENARIOS } from './scenarios.js';
import { BASELINE_KEY_PREFIX, parityWith, startBaselineServer } from './servers/baseline-server.js';
import { OUR_KEY_PREFIX, ourServerEnvironment, startOurServer } from './servers/our-server.js';
import { benchAccounts, seedAccounts } from './servers/seed-accounts.js';
import type { ServerProcess } from './servers/server-process.js';
import type { BenchTarget } from './support/bench-target.js';
import { ProcessCpuReader } from './support/cpu.js';
import { fileStamp, gitState, machineInfo } from './support/environment.js';
import { repoRoot } from './support/repo-root.js';

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
    // The code that is about to run, not whatever the checkout holds when the run ends.
    const git = gitState(oursRoot);
    const redisServer = await TestRedisServer.start();
    cleanup.push(() => redisServer.destroy());
    const redis = redisServer.client();
    cleanup.push(() => redis.disconnect());

    const [ourPort, baselinePort] = [await freePort(), await freePort()];
    const ourEnv = ourServerEnvironment({ redisUrl: redisServer.url, port: ourPort, workDir, logLevel: options.ourLogLevel });
    // The configuration ours will run with: a production setting the bench does not provide stops the run here.
    let config: AppConfig;
    try {
      config = loadConfig(ourEnv, join(oursRoot, 'config'));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new Error(`${error.message}\nProduction configuration needs a setting the bench does not give: add it in bench/servers/our-server.ts.`);
    }
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
        measured[server] = await measureSessionMemory(redis, target, () =>
          freshSessions(target, endpoints[server], accounts, options.memorySessions, options.signInConcurrency * 2, log),
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
      git,
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
