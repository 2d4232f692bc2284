import { describe, expect, it } from '@jest/globals';
import { parseBenchArgs } from '../../../bench/cli-options.js';
import { bytesByKind, kindOfKey } from '../../../bench/memory/key-kinds.js';
import { aggregateRounds, roundOrder, scenarioResult } from '../../../bench/report/aggregate.js';
import { commandDelta } from '../../../bench/scenario-runner.js';
import {
  formatRate,
  README_END_MARKER,
  README_START_MARKER,
  renderReadmeSection,
  renderScenarioTable,
  replaceMarkedSection,
} from '../../../bench/report/markdown.js';
import type { BenchReport, RoundMeasurement, ServerMeasurement } from '../../../bench/report/results.js';
import { memoryChecks, scenarioChecks } from '../../../bench/report/targets.js';
import { parseProcStat } from '../../../bench/support/cpu.js';
import { LatencyRecorder, percentile, summarizeLatencies } from '../../../bench/support/statistics.js';
import { packageOf, summarizeProfile } from '../../../bench/tools/summarize-profile.js';

const round = (overrides: Partial<RoundMeasurement>): RoundMeasurement => ({
  server: 'ours',
  round: 1,
  completed: 0,
  failed: 0,
  wallSeconds: 5,
  cpuSeconds: 1,
  redisCpuSeconds: 0.5,
  redisCommands: 40,
  ...overrides,
});

const latencies = (...values: number[]): LatencyRecorder => {
  const recorder = new LatencyRecorder();
  for (const value of values) recorder.add(value);
  return recorder;
};

const measurement = (perCpuSecond: number, failed = 0): ServerMeasurement =>
  aggregateRounds([round({ completed: perCpuSecond, cpuSeconds: 1, failed })], latencies(1, 2, 3));

describe('CPU time read from /proc/<pid>/stat', () => {
  it('adds user and system ticks, whatever the command name contains', () => {
    const line = '4242 (node (bench) x) S 1 4242 4242 0 -1 4194560 2000 0 0 0 1234 567 0 0 20 0 11 0 100 1000000 5000';
    expect(parseProcStat(line, 100)).toEqual({ userSeconds: 12.34, systemSeconds: 5.67 });
  });

  it('refuses text that is not a stat line', () => {
    expect(() => parseProcStat('no parentheses here', 100)).toThrow(/stat/);
    expect(() => parseProcStat('1 (x) S', 100)).toThrow(/utime/);
  });
});

describe('latency statistics', () => {
  it('takes nearest-rank percentiles over every sample', () => {
    const sorted = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises unsorted samples, and keeps growing past its initial capacity', () => {
    const recorder = new LatencyRecorder();
    for (let value = 10_000; value >= 1; value -= 1) recorder.add(value);
    expect(recorder.count).toBe(10_000);
    expect(recorder.summary()).toMatchObject({ count: 10_000, p50: 5000, p99: 9900, max: 10_000 });
    expect(summarizeLatencies([3, 1, 2]).mean).toBe(2);
  });
});

describe('rounds, ratios and targets', () => {
  it('rates a server by all its operations over all its CPU time, not by the mean of round rates', () => {
    const summed = aggregateRounds(
      [round({ completed: 1000, cpuSeconds: 1, wallSeconds: 2 }), round({ round: 2, completed: 3000, cpuSeconds: 3, wallSeconds: 2 })],
      latencies(1, 2),
    );
    expect(summed).toMatchObject({ completed: 4000, cpuSeconds: 4, perCpuSecond: 1000, perWallSecond: 1000 });
  });

  it('counts the Redis commands each operation cost, by command, from the rounds’ INFO commandstats deltas', () => {
    const delta = commandDelta({ get: 10, evalsha: 5, ping: 1 }, { get: 30, evalsha: 25, ping: 1, hgetall: 10 });
    expect(delta).toEqual({ get: 20, evalsha: 20, hgetall: 10 });
    const summed = aggregateRounds([round({ completed: 10, redisCommands: 50, redisCommandsByName: delta })], latencies(1));
    expect(summed.redisCommandsPerOperation).toEqual({ get: 2, evalsha: 2, hgetall: 1 });
    expect(summed.redisCommands).toBe(50);
  });

  it('alternates which server goes first, round after round', () => {
    expect(roundOrder(1, ['ours', 'baseline'])).toEqual(['ours', 'baseline']);
    expect(roundOrder(2, ['ours', 'baseline'])).toEqual(['baseline', 'ours']);
  });

  it('checks the ratio to the baseline everywhere and the absolute floors where the issue sets them', () => {
    expect(scenarioChecks('client-credentials', 3000, 0.95)).toEqual([{ description: '≥ 0.9× baseline', met: true }]);
    expect(scenarioChecks('discovery', 19_000, 2)).toEqual([
      { description: '≥ 0.9× baseline', met: true },
      { description: '≥ 20,000/CPU-s', met: false },
    ]);
    expect(scenarioChecks('full-sign-in', 55, 0.89).map((check) => check.met)).toEqual([false, true]);
    expect(scenarioResult({ name: 'jwks', title: 'JWKS', unit: 'request' }, measurement(30_000), measurement(15_000)).ratio).toBe(2);
  });

  it('holds the session-size target against what a signed-in person keeps', () => {
    const memory = { server: 'ours' as const, sessions: 10, bytesPerSession: 3000, usedMemoryDeltaPerSession: 4000, byKind: {} };
    expect(memoryChecks({ ...memory, longLivedBytesPerSession: 1500 })[0]?.met).toBe(true);
    expect(memoryChecks({ ...memory, longLivedBytesPerSession: 2100 })[0]?.met).toBe(false);
  });
});

describe('Redis keys by kind of record', () => {
  it('recognises both servers’ layouts', () => {
    expect(kindOfKey('vneid:oidc:Session:{abc}', 'vneid:')).toBe('Session');
    expect(kindOfKey('vneid:oidc:Session:uid:{u1}', 'vneid:')).toBe('Session uid lookup');
    expect(kindOfKey('vneid:oidc:grant:{g1}', 'vneid:')).toBe('grant index');
    expect(kindOfKey('baseline:AccessToken:xyz', 'baseline:')).toBe('AccessToken');
    expect(kindOfKey('baseline:uid:u1', 'baseline:')).toBe('Session uid lookup');
    expect(kindOfKey('baseline:login:001', 'baseline:')).toBe('account');
    expect(kindOfKey('vneid:oidc:account:{a1}', 'vneid:')).toBe('account index');
    expect(kindOfKey('vneid:rl:login:{k}', 'vneid:')).toBe('rl:*');
    expect(kindOfKey('elsewhere:Session:x', 'vneid:')).toBe('other');
    expect(kindOfKey('vneid:account:{a1}', 'vneid:')).toBe('account');
    expect(kindOfKey('vneid:account:login:{citizen:001090000001}', 'vneid:')).toBe('account login claim');
    expect(kindOfKey('vneid:audit:account:{a1}', 'vneid:')).toBe('audit:account');
    expect(kindOfKey('vneid:audit:all', 'vneid:')).toBe('audit:all');
  });

  it('sums bytes per kind and per session, counting growth of existing keys but not as new keys', () => {
    const usage = [
      { key: 'vneid:oidc:Session:{a}', bytes: 700, created: true },
      { key: 'vneid:oidc:Session:{b}', bytes: 900, created: true },
      { key: 'vneid:oidc:Grant:{g}', bytes: 400, created: true },
      { key: 'vneid:oidc:account:{a1}', bytes: 120, created: false },
    ];
    expect(bytesByKind(usage, 'vneid:', 2)).toEqual({
      Session: { keys: 1, bytes: 800 },
      Grant: { keys: 0.5, bytes: 200 },
      'account index': { keys: 0, bytes: 60 },
    });
  });
});

describe('the Markdown table and the README section', () => {
  const result = scenarioResult({ name: 'client-credentials', title: 'Client credentials grant', unit: 'request' }, measurement(3200, 2), measurement(4000));

  it('renders one row per scenario with both servers, the ratio, latencies, target and verdict', () => {
    const table = renderScenarioTable([result]);
    expect(table).toContain('| Client credentials grant | 3,200 | 4,000 | 0.80× | 2.00 / 3.00 | 2.00 / 3.00 | ≥ 0.9× baseline | **no** |');
    expect(table).toContain('Client credentials grant (ours): 2 failed of 3202');
  });

  it('formats rates for reading: whole numbers from 100, three significant digits below', () => {
    expect([formatRate(3712.4), formatRate(57.345), formatRate(0.4217), formatRate(Number.NaN)]).toEqual(['3,712', '57.3', '0.422', 'n/a']);
  });

  it('replaces only what lies between the markers', () => {
    const readme = `# Title\n\n## Performance\n\n${README_START_MARKER}\nold table\n${README_END_MARKER}\n\nAfter.\n`;
    const updated = replaceMarkedSection(readme, 'new table');
    expect(updated).toBe(`# Title\n\n## Performance\n\n${README_START_MARKER}\nnew table\n${README_END_MARKER}\n\nAfter.\n`);
    expect(() => replaceMarkedSection('# no markers', 'x')).toThrow(/bench:start/);
  });

  it('names the machine and labels Keycloak’s figures as published', () => {
    const report: BenchReport = {
      startedAt: '2026-11-24T02:00:00.000Z',
      finishedAt: '2026-11-24T02:05:00.000Z',
      git: { sha: 'abc1234', dirty: false },
      machine: { cpuModel: 'Test CPU', cpus: 2, memoryGiB: 4, os: 'Linux 6', node: 'v22.0.0', redis: '7.0.15' },
      settings: {
        mode: 'full',
        roundSeconds: 6,
        warmupSeconds: 2,
        roundsPerServer: 2,
        connections: 8,
        signInConcurrency: 4,
        memorySessions: 1000,
        argon2: { memoryCostKiB: 19_456, timeCost: 2, parallelism: 1 },
        oidcProvider: '9.13.3',
        ourLogLevel: 'info',
      },
      scenarios: [result],
      allTargetsMet: false,
    };
    const section = renderReadmeSection(report);
    expect(section).toContain('Test CPU, 2 CPUs, 4 GiB RAM');
    expect(section).toContain('commit `abc1234`');
    expect(section).toContain("Keycloak's **published** sizing figures");
    expect(section).toContain('120 client-credentials grants (ours: 3,200, 26.7×)');
  });
});

describe('command line', () => {
  it('defaults to the full run and shortens everything with --quick', () => {
    expect(parseBenchArgs([])).toMatchObject({ mode: 'full', roundSeconds: 6, roundsPerServer: 2, memorySessions: 1000, readme: false });
    expect(parseBenchArgs(['--quick', '--readme'])).toMatchObject({ mode: 'quick', roundSeconds: 3, roundsPerServer: 1, readme: true });
  });

  it('takes scenario lists, profiles and numbers, and names a bad option', () => {
    expect(parseBenchArgs(['--only=jwks,discovery', '--cpu-prof', '--seconds', '4']).scenarios).toEqual(['jwks', 'discovery']);
    expect(parseBenchArgs(['--cpu-prof=both']).cpuProfile).toEqual(['ours', 'baseline']);
    expect(parseBenchArgs(['--no-memory']).memorySessions).toBe(0);
    expect(() => parseBenchArgs(['--only=nope'])).toThrow(/unknown "nope"/);
    expect(() => parseBenchArgs(['--seconds=0'])).toThrow(/--seconds must be a positive integer/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown option --fast/);
  });
});

describe('CPU profile summary', () => {
  it('attributes samples to functions and packages, inclusive of callers, idle excluded', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 4] },
        { id: 2, callFrame: frame('handle', 'file:///app/dist/src/http/router.js'), children: [3] },
        { id: 3, callFrame: frame('redact', 'file:///app/node_modules/@pinojs/redact/index.js') },
        { id: 4, callFrame: frame('(idle)', '') },
      ],
      samples: [3, 3, 2, 4],
      timeDeltas: [1000, 1000, 2000, 5000],
    };
    const summary = summarizeProfile(profile);
    expect(summary.totalMilliseconds).toBe(4);
    expect(summary.selfByPackage.map((line) => [line.name, line.milliseconds])).toEqual([
      ['@pinojs/redact', 2],
      ['dist/src/http/router.js', 2],
    ]);
    expect(summary.inclusiveByFunction.find((line) => line.name.startsWith('handle'))?.share).toBe(1);
    expect(packageOf('node:internal/streams/writable')).toBe('node:internal/streams');
  });
});
