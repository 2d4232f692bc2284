import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import type { BenchOptions } from './cli-options.js';
import type { TargetFixtures } from './load/fixtures.js';
import type { LoadOutcome } from './load/load-outcome.js';
import { aggregateRounds, roundOrder, scenarioResult } from './report/aggregate.js';
import { formatMilliseconds, formatRate, formatRatio } from './report/markdown.js';
import type { RoundMeasurement, ScenarioResult, ServerName } from './report/results.js';
import type { Scenario } from './scenarios.js';
import type { BenchTarget } from './support/bench-target.js';
import { totalCpuSeconds, type ProcessCpuReader } from './support/cpu.js';
import { LatencyRecorder } from './support/statistics.js';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** CPU time redis-server has used (INFO cpu), for the Redis column of the report. */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const value = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return value('used_cpu_user') + value('used_cpu_sys');
}

/** Commands Redis has executed, by name (INFO commandstats), leaving out the INFO calls the harness itself makes. */
export async function redisCommandCounts(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info('commandstats');
  const counts: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const [, name = '', calls = '0'] = match;
    if (name !== 'info') counts[name] = Number(calls);
  }
  return counts;
}

/** after - before, per command name, leaving out the ones that did not change. */
export function commandDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, calls] of Object.entries(after)) {
    const difference = calls - (before[name] ?? 0);
    if (difference > 0) delta[name] = difference;
  }
  return delta;
}

export async function redisVersion(redis: Redis): Promise<string> {
  return /^redis_version:(\S+)/m.exec(await redis.info('server'))?.[1] ?? 'unknown';
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
  const [cpuBefore, redisBefore, commandsBefore] = await Promise.all([cpu.read(target.pid), redisCpuSeconds(redis), redisCommandCounts(redis)]);
  const started = performance.now();
  const outcome = await load();
  const wallSeconds = (performance.now() - started) / 1000;
  const [cpuAfter, redisAfter, commandsAfter] = await Promise.all([cpu.read(target.pid), redisCpuSeconds(redis), redisCommandCounts(redis)]);
  const commands = commandDelta(commandsBefore, commandsAfter);
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
      redisCommands: Object.values(commands).reduce((sum, calls) => sum + calls, 0),
      redisCommandsByName: commands,
    },
  };
}

/**
 * One scenario on both servers: a warm-up each (not measured, and it must complete something), then the measured
 * rounds, alternating which server goes first.
 */
export async function runScenario(
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

