import { perCpuSecond, ratio, type LatencyRecorder } from '../support/statistics.js';
import type { RoundMeasurement, ScenarioResult, ServerMeasurement, ServerName } from './results.js';
import { scenarioChecks } from './targets.js';
import type { ScenarioName } from './results.js';

/**
 * Rounds of one server in one scenario, summed: the rate is total operations over total CPU time (not a mean of
 * per-round rates, which would overweight short rounds), latencies are percentiles over every sample.
 */
export function aggregateRounds(rounds: readonly RoundMeasurement[], latencies: LatencyRecorder): ServerMeasurement {
  const sum = (pick: (round: RoundMeasurement) => number): number => rounds.reduce((total, round) => total + pick(round), 0);
  const completed = sum((round) => round.completed);
  const wallSeconds = sum((round) => round.wallSeconds);
  const cpuSeconds = sum((round) => round.cpuSeconds);
  const byName: Record<string, number> = {};
  for (const round of rounds) {
    for (const [name, calls] of Object.entries(round.redisCommandsByName ?? {})) byName[name] = (byName[name] ?? 0) + calls;
  }
  const redisCommandsPerOperation = Object.fromEntries(
    Object.entries(byName)
      .sort((a, b) => b[1] - a[1])
      .map(([name, calls]) => [name, completed > 0 ? Math.round((calls / completed) * 10) / 10 : Number.NaN] as const)
      // Below 0.1 per operation: the other server's background timers, not this scenario.
      .filter(([, perOperation]) => !(perOperation < 0.1)),
  );
  return {
    completed,
    failed: sum((round) => round.failed),
    wallSeconds,
    cpuSeconds,
    redisCpuSeconds: sum((round) => round.redisCpuSeconds),
    redisCommands: sum((round) => round.redisCommands ?? 0),
    redisCommandsPerOperation,
    perCpuSecond: perCpuSecond(completed, cpuSeconds),
    perWallSecond: wallSeconds > 0 ? completed / wallSeconds : Number.NaN,
    latency: latencies.summary(),
    rounds: [...rounds],
  };
}

export function scenarioResult(
  scenario: { name: ScenarioName; title: string; unit: 'request' | 'sign-in' },
  ours: ServerMeasurement,
  baseline: ServerMeasurement,
): ScenarioResult {
  const oursToBaseline = ratio(ours.perCpuSecond, baseline.perCpuSecond);
  return { ...scenario, ours, baseline, ratio: oursToBaseline, checks: scenarioChecks(scenario.name, ours.perCpuSecond, oursToBaseline) };
}

/**
 * Which server goes first in a round: ours/baseline, then baseline/ours (A B B A ...), so that a slow drift of the
 * machine (thermal, Redis growing) weighs on both equally instead of always on the second.
 */
export function roundOrder(round: number, servers: readonly [ServerName, ServerName]): ServerName[] {
  return round % 2 === 1 ? [servers[0], servers[1]] : [servers[1], servers[0]];
}
