import type { BenchReport, MemoryMeasurement, ScenarioResult, ServerMeasurement, TargetCheck } from './results.js';

export const README_START_MARKER = '<!-- bench:start -->';
export const README_END_MARKER = '<!-- bench:end -->';

/**
 * Keycloak's published sizing figures (keycloak.org, "Concepts for sizing CPU and memory resources"): operations per
 * second that one vCPU sustains. Published figures from another product on other hardware, not measured here.
 */
export const KEYCLOAK_PUBLISHED_PER_VCPU = [
  { scenario: 'client-credentials', label: 'client-credentials grants', perVcpu: 120 },
  { scenario: 'refresh-token', label: 'refresh-token grants', perVcpu: 120 },
  { scenario: 'full-sign-in', label: 'password sign-ins', perVcpu: 15 },
] as const;
export const KEYCLOAK_SIZING_URL = 'https://www.keycloak.org/high-availability/single-cluster/concepts-memory-and-cpu-sizing';

/** 3,712 / 57.3 / 0.42: whole numbers from 100 up, otherwise three significant digits. */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

export function formatMilliseconds(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 100) return Math.round(value).toString();
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export const formatRatio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');

const formatBytes = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');

const latencyCell = (measurement: ServerMeasurement): string =>
  `${formatMilliseconds(measurement.latency.p50)} / ${formatMilliseconds(measurement.latency.p99)}`;

const metCell = (checks: readonly TargetCheck[]): string => (checks.every((check) => check.met) ? 'yes' : '**no**');

const targetCell = (checks: readonly TargetCheck[]): string => checks.map((check) => check.description).join('; ');

function scenarioRow(result: ScenarioResult): string {
  return [
    result.title,
    formatRate(result.ours.perCpuSecond),
    formatRate(result.baseline.perCpuSecond),
    formatRatio(result.ratio),
    latencyCell(result.ours),
    latencyCell(result.baseline),
    targetCell(result.checks),
    metCell(result.checks),
  ].join(' | ').replace(/^/, '| ').concat(' |');
}

/** The throughput table: one row per scenario, figures per second of server CPU time. */
export function renderScenarioTable(scenarios: readonly ScenarioResult[]): string {
  const lines = [
    '| scenario | ours /CPU-s | baseline /CPU-s | ours ÷ baseline | ours p50 / p99 ms | baseline p50 / p99 ms | target | met? |',
    '|---|---:|---:|---:|---:|---:|---|---|',
    ...scenarios.map(scenarioRow),
  ];
  const failures = scenarios.flatMap((result) =>
    (['ours', 'baseline'] as const)
      .filter((server) => result[server].failed > 0)
      .map((server) => `${result.title} (${server}): ${result[server].failed} failed of ${result[server].completed + result[server].failed}`),
  );
  if (failures.length > 0) lines.push('', `Failed operations (excluded from the figures): ${failures.join('; ')}.`);
  return lines.join('\n');
}

function memoryRow(measurement: MemoryMeasurement, checks: readonly TargetCheck[] | undefined): string {
  return [
    measurement.server,
    measurement.sessions.toLocaleString('en-US'),
    formatBytes(measurement.longLivedBytesPerSession),
    formatBytes(measurement.bytesPerSession),
    formatBytes(measurement.usedMemoryDeltaPerSession),
    checks ? targetCell(checks) : '',
    checks ? metCell(checks) : '',
  ].join(' | ').replace(/^/, '| ').concat(' |');
}

export function renderMemoryTable(report: BenchReport): string {
  const memory = report.memory;
  if (!memory) return '';
  const kinds = [...new Set([...Object.keys(memory.ours.byKind), ...Object.keys(memory.baseline.byKind)])].sort();
  const breakdown = kinds.map((kind) => {
    const ours = memory.ours.byKind[kind];
    const baseline = memory.baseline.byKind[kind];
    return `| ${kind} | ${ours ? formatBytes(ours.bytes) : '–'} | ${baseline ? formatBytes(baseline.bytes) : '–'} |`;
  });
  return [
    '| server | sessions | bytes per active session (session, grant, lookups, account index) | bytes per sign-in, everything right after | `used_memory` Δ per sign-in | target | met? |',
    '|---|---:|---:|---:|---:|---|---|',
    memoryRow(memory.ours, memory.checks),
    memoryRow(memory.baseline, undefined),
    '',
    'Bytes per sign-in by kind of record (`MEMORY USAGE` of the keys that appeared or grew, right after the sign-ins):',
    '',
    '| record | ours | baseline |',
    '|---|---:|---:|',
    ...breakdown,
  ].join('\n');
}

export function describeMachine(report: BenchReport): string {
  const { machine } = report;
  return `${machine.cpuModel}, ${machine.cpus} CPUs, ${machine.memoryGiB} GiB RAM, ${machine.os}, Node ${machine.node}, Redis ${machine.redis}`;
}

/** "2026-11-24, commit `abc1234`, full run (...)": when, what and how, without a final full stop. */
function describeRun(report: BenchReport): string {
  const { settings } = report;
  return [
    `${report.startedAt.slice(0, 10)}, commit \`${report.git.sha}\`${report.git.dirty ? ' with uncommitted changes' : ''},`,
    `${settings.mode} run (${settings.roundsPerServer} × ${settings.roundSeconds} s per server and scenario, alternating`,
    `ours/baseline, after ${settings.warmupSeconds} s of warm-up each; ${settings.connections} connections,`,
    `${settings.signInConcurrency} browsers for sign-ins; argon2id m=${settings.argon2.memoryCostKiB} KiB`,
    `t=${settings.argon2.timeCost} p=${settings.argon2.parallelism}; oidc-provider ${settings.oidcProvider}; our log level ${settings.ourLogLevel})`,
  ].join(' ');
}

/** How our figures compare with Keycloak's published per-vCPU sizing (labelled as published, not measured). */
export function renderKeycloakComparison(scenarios: readonly ScenarioResult[]): string {
  const parts = KEYCLOAK_PUBLISHED_PER_VCPU.map(({ scenario, label, perVcpu }) => {
    const ours = scenarios.find((result) => result.name === scenario)?.ours.perCpuSecond;
    const comparison = ours !== undefined && Number.isFinite(ours) ? `ours: ${formatRate(ours)}, ${formatRate(ours / perVcpu)}×` : 'ours: not measured';
    return `${perVcpu} ${label} (${comparison})`;
  });
  return [
    `For reference, Keycloak's **published** sizing figures ([source](${KEYCLOAK_SIZING_URL}); another product, measured`,
    `by its authors on their hardware with their password hashing, not by us) are, per vCPU and second: ${parts.join(', ')}.`,
    'A vCPU kept busy for a second is one CPU-second, so the units match; the set-ups do not (Keycloak keeps sessions in',
    'Infinispan and a database, we keep everything in Redis, whose CPU is not counted above).',
  ].join('\n');
}

/**
 * Redis per operation, for context: what the servers push to Redis is not in their own CPU time, and every command is
 * a round trip (and a system call) for the server.
 */
export function renderRedisTable(scenarios: readonly ScenarioResult[]): string {
  const per = (measurement: ServerMeasurement, total: number | undefined, scale: number, format: (value: number) => string): string =>
    measurement.completed > 0 && typeof total === 'number' ? format((total * scale) / measurement.completed) : 'n/a';
  const commands = (measurement: ServerMeasurement): string => per(measurement, measurement.redisCommands, 1, (value) => value.toFixed(1));
  const cpu = (measurement: ServerMeasurement): string => per(measurement, measurement.redisCpuSeconds, 1000, formatMilliseconds);
  return [
    '| scenario | ours Redis commands per operation | baseline | ours Redis CPU ms per operation | baseline |',
    '|---|---:|---:|---:|---:|',
    ...scenarios.map((result) => `| ${result.title} | ${commands(result.ours)} | ${commands(result.baseline)} | ${cpu(result.ours)} | ${cpu(result.baseline)} |`),
  ].join('\n');
}

/** The whole Markdown report of a run (bench/results/<date>-<sha>.md and latest.md). */
export function renderReport(report: BenchReport): string {
  const sections = [
    `# Benchmark: vn-eid vs a bare oidc-provider`,
    '',
    `${describeRun(report)}.`,
    '',
    `Machine: ${describeMachine(report)}.`,
    '',
    'Figures are completed operations per second of **server CPU time** (user + system of the server process, read',
    'from `/proc/<pid>/stat`), because the load generator and Redis share the machine. Latencies are over every',
    'successful operation of the measured rounds; a sign-in is five requests (authorization request, login page,',
    'password, resume with consent remembered, code exchange with PKCE).',
    '',
    renderScenarioTable(report.scenarios),
    '',
    'Redis is shared and not counted above. Commands it executed (INFO commandstats, including those run inside Lua',
    'scripts) and its CPU time (INFO cpu), per operation, during the same rounds:',
    '',
    renderRedisTable(report.scenarios),
  ];
  const memory = renderMemoryTable(report);
  if (memory) sections.push('', '## Redis memory per session', '', memory);
  sections.push('', renderKeycloakComparison(report.scenarios), '');
  sections.push(report.allTargetsMet ? 'All targets met.' : 'Some targets were **not** met (see "met?").', '');
  return sections.join('\n');
}

/** The part of the README between the bench markers: the latest table and the machine it ran on. */
export function renderReadmeSection(report: BenchReport): string {
  const sections = [
    `Latest run: ${describeRun(report)}.`,
    '',
    `Machine: ${describeMachine(report)}.`,
    '',
    renderScenarioTable(report.scenarios),
  ];
  if (report.memory) {
    const { ours, baseline, checks } = report.memory;
    sections.push(
      '',
      `Redis per active session (session, grant, their lookups and the account's index of them; over ${ours.sessions.toLocaleString('en-US')} sign-ins):`,
      `ours ${formatBytes(ours.longLivedBytesPerSession)} bytes, baseline ${formatBytes(baseline.longLivedBytesPerSession)} bytes`,
      `(target ${targetCell(checks)}: ${checks.every((check) => check.met) ? 'met' : '**not met**'}). Right after a sign-in, with its`,
      `authorization code and access token (they expire within minutes): ours ${formatBytes(ours.bytesPerSession)}, baseline ${formatBytes(baseline.bytesPerSession)}.`,
    );
  }
  sections.push('', renderKeycloakComparison(report.scenarios));
  return sections.join('\n');
}

/** Replaces what lies between the bench markers, keeping the markers and everything around them. */
export function replaceMarkedSection(text: string, content: string): string {
  const start = text.indexOf(README_START_MARKER);
  const end = text.indexOf(README_END_MARKER);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`README.md has no ${README_START_MARKER} … ${README_END_MARKER} section`);
  }
  return `${text.slice(0, start + README_START_MARKER.length)}\n${content.trim()}\n${text.slice(end)}`;
}
