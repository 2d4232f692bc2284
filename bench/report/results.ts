import type { LatencySummary } from '../support/statistics.js';

/** The data model of one benchmark run, as written to bench/results/<date>-<sha>.json. */

export const SERVER_NAMES = ['ours', 'baseline'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

export const SCENARIO_NAMES = ['discovery', 'jwks', 'client-credentials', 'refresh-token', 'introspection', 'full-sign-in'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface RoundMeasurement {
  server: ServerName;
  /** 1-based among the measured rounds of this scenario and server. */
  round: number;
  /** Operations that succeeded (2xx, or a whole sign-in that ended with tokens). */
  completed: number;
  /** Non-2xx answers, connection errors and sign-ins that did not end with tokens. */
  failed: number;
  wallSeconds: number;
  /** CPU time of the server process (all threads) during the round. */
  cpuSeconds: number;
  /** CPU time of redis-server during the round (INFO cpu), for context only. */
  redisCpuSeconds: number;
  /** Commands Redis executed during the round (INFO commandstats, those inside Lua scripts included; INFO excluded). */
  redisCommands: number;
  redisCommandsByName?: Record<string, number>;
}

export interface ServerMeasurement {
  completed: number;
  failed: number;
  wallSeconds: number;
  cpuSeconds: number;
  redisCpuSeconds: number;
  redisCommands: number;
  /** Per command name, per operation (e.g. evalsha 6.0, get 4.0): where the Redis round trips go. */
  redisCommandsPerOperation: Record<string, number>;
  /** The headline figure: completed operations per second of server CPU time. */
  perCpuSecond: number;
  perWallSecond: number;
  /** Milliseconds, over every successful operation of every measured round. */
  latency: LatencySummary;
  rounds: RoundMeasurement[];
}

export interface TargetCheck {
  description: string;
  met: boolean;
}

export interface ScenarioResult {
  name: ScenarioName;
  title: string;
  /** What one operation is: an HTTP request, or a whole sign-in of five requests. */
  unit: 'request' | 'sign-in';
  ours: ServerMeasurement;
  baseline: ServerMeasurement;
  /** ours.perCpuSecond / baseline.perCpuSecond. */
  ratio: number;
  checks: TargetCheck[];
}

export interface ModelMemory {
  keys: number;
  bytes: number;
}

export interface MemoryMeasurement {
  server: ServerName;
  /** Sign-ins completed, each from a new browser, none logged out. */
  sessions: number;
  /** MEMORY USAGE of the keys the sign-ins created, plus the growth of keys that existed, per sign-in. */
  bytesPerSession: number;
  /** The same, for what outlives the sign-in itself (session, grant, their lookups, the account's index of them). */
  longLivedBytesPerSession: number;
  /** INFO used_memory after minus before, per sign-in (includes allocator and dictionary growth). */
  usedMemoryDeltaPerSession: number;
  /** Per kind of record (Session, Grant, AccessToken, ...): keys created and bytes, per sign-in. */
  byKind: Record<string, ModelMemory>;
}

export interface MemoryResult {
  ours: MemoryMeasurement;
  baseline: MemoryMeasurement;
  checks: TargetCheck[];
}

export interface MachineInfo {
  cpuModel: string;
  cpus: number;
  memoryGiB: number;
  os: string;
  node: string;
  redis: string;
}

export interface BenchSettings {
  mode: 'quick' | 'full';
  roundSeconds: number;
  warmupSeconds: number;
  roundsPerServer: number;
  connections: number;
  signInConcurrency: number;
  memorySessions: number;
  argon2: { memoryCostKiB: number; timeCost: number; parallelism: number };
  oidcProvider: string;
  ourLogLevel: string;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  git: { sha: string; dirty: boolean };
  machine: MachineInfo;
  settings: BenchSettings;
  scenarios: ScenarioResult[];
  memory?: MemoryResult;
  allTargetsMet: boolean;
}
