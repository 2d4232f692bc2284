import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, isPortFree } from '../shared/free-port.js';
import type { Logger } from '../shared/logger.js';

/**
 * A redis-server child for `npm start` with no configuration (development only, when REDIS_URL is unset). It is
 * configured as production Redis should be (AOF, noeviction), so development behaves like production: data survives
 * restarts and a full Redis refuses writes instead of silently dropping sessions or tokens.
 */

export interface EmbeddedRedisOptions {
  /** Where the AOF lives; created when missing. */
  dataDir?: string;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The redis-server executable: a name looked up on PATH, or a path. */
  binary?: string;
  /** Used when free, so the port is the same from one run to the next; otherwise the OS picks one. */
  preferredPort?: number;
  /** How long redis-server may take to answer PING (loading a large AOF takes a while). */
  startTimeoutMs?: number;
}

export interface EmbeddedRedis {
  url: string;
  stop(): Promise<void>;
}

export const DEFAULT_EMBEDDED_REDIS_PORT = 6390;
const DEFAULT_DATA_DIR = 'var/redis';
/** Remembers the child of the previous run, so a child orphaned by a crashed parent is found and stopped. */
const STATE_FILE = 'embedded-redis.json';
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_TAIL_LINES = 20;

export class EmbeddedRedisUnavailableError extends Error {
  constructor(binary: string) {
    super(
      `Cannot start the development Redis: "${binary}" was not found on this machine. The provider keeps all its ` +
        'state in Redis. Install Redis (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis), ' +
        'or run one with Docker (docker compose up redis, then REDIS_URL=redis://127.0.0.1:6379 npm start), or set ' +
        'REDIS_URL to the Redis you already have.',
    );
    this.name = 'EmbeddedRedisUnavailableError';
  }
}

/** Starts redis-server on 127.0.0.1 and resolves once it answers PING. */
export async function startEmbeddedRedis(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const { logger } = options;
  const binary = findExecutable(options.binary ?? 'redis-server');
  mkdirSync(resolve(options.dataDir ?? DEFAULT_DATA_DIR), { recursive: true });
  // Redis reports its directory with symlinks resolved; compare like with like when looking for an orphan.
  const dataDir = realpathSync(resolve(options.dataDir ?? DEFAULT_DATA_DIR));
  await stopOrphan(dataDir, logger);

  const preferredPort = options.preferredPort ?? DEFAULT_EMBEDDED_REDIS_PORT;
  const port = (await isPortFree(preferredPort)) ? preferredPort : await freePort();

  const child = spawn(
    binary,
    [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--protected-mode', 'yes',
      '--dir', dataDir,
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--maxmemory-policy', 'noeviction',
      '--daemonize', 'no',
    ],
    // Its own process group, so Ctrl-C in the terminal reaches only the parent, which drains its requests and then
    // stops Redis; the 'exit' hook below and the orphan check at the next start cover a parent that dies abruptly.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const output = keepOutputTail(child);
  try {
    await once(child, 'spawn');
  } catch (error) {
    throw new Error(`redis-server could not be started: ${(error as Error).message}`);
  }
  const pid = child.pid ?? 0;

  // When the parent exits for any reason the child goes too; 'exit' handlers must be synchronous, hence kill().
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.on('exit', killOnExit);
  let stopping = false;
  child.once('exit', (code, signal) => {
    process.off('exit', killOnExit);
    if (!stopping) {
      logger.error({ code, signal }, 'The development redis-server stopped; requests fail until the provider is restarted');
    }
  });

  try {
    await waitUntilReady(port, child, options.startTimeoutMs ?? 30_000, output);
  } catch (error) {
    stopping = true;
    await terminate(child);
    throw error;
  }
  writeFileSync(join(dataDir, STATE_FILE), JSON.stringify({ pid, port }));

  const where = port === preferredPort ? `port ${port}` : `port ${port} (${preferredPort} was in use)`;
  logger.info(
    { port, pid, dataDir },
    `Development Redis: started redis-server on 127.0.0.1, ${where}, data in ${dataDir}. Set REDIS_URL to use your own.`,
  );

  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      stopping = true;
      await terminate(child);
    },
  };
}

/** Resolves a command name against PATH the way a shell would; throws the installation advice when absent. */
function findExecutable(binary: string): string {
  const candidates = binary.includes('/')
    ? [isAbsolute(binary) ? binary : resolve(binary)]
    : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, binary));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  throw new EmbeddedRedisUnavailableError(binary);
}


/** A probe that never retries and never logs "Unhandled error event": it either answers now or it does not. */
function probeClient(port: number): Redis {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 500,
    commandTimeout: 1000,
    retryStrategy: () => null,
    // A probe of a server that has gone away must not hold the event loop open for ioredis' default 2 s.
    disconnectTimeout: 50,
  });
  client.on('error', () => undefined);
  return client;
}

async function answersPing(port: number): Promise<boolean> {
  const client = probeClient(port);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    // Refused, or still loading the AOF (-LOADING): not ready yet.
    return false;
  } finally {
    client.disconnect();
  }
}

async function waitUntilReady(port: number, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server exited before it was ready (exit ${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    if (await answersPing(port)) return;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
  }
  throw new Error(`redis-server did not answer PING on 127.0.0.1:${port} within ${timeoutMs} ms:\n${output()}`);
}

/**
 * A parent killed with SIGKILL leaves its redis-server running. Two servers must never share one data directory (they
 * would both rewrite the AOF), so a previous child still serving this directory is shut down before a new one starts.
 * It is identified by the pid and port recorded at its start and confirmed by asking it for its pid and directory.
 */
async function stopOrphan(dataDir: string, logger: Pick<Logger, 'warn'>): Promise<void> {
  let previous: { pid: number; port: number };
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dataDir, STATE_FILE), 'utf8'));
    if (!isRecordedChild(parsed)) return;
    previous = parsed;
  } catch {
    return;
  }
  const client = probeClient(previous.port);
  try {
    await client.connect();
    const info = await client.info('server');
    const dir = await client.config('GET', 'dir');
    const servesThisDir = Array.isArray(dir) && dir[1] === dataDir;
    if (!servesThisDir || !info.includes(`process_id:${previous.pid}\r\n`)) return;
  } catch {
    return;
  } finally {
    client.disconnect();
  }
  logger.warn(
    { pid: previous.pid, port: previous.port, dataDir },
    'A redis-server left running by an earlier run still uses this data directory; stopping it first',
  );
  try {
    process.kill(previous.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline && (await answersPing(previous.port))) {
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
  }
}

function isRecordedChild(value: unknown): value is { pid: number; port: number } {
  if (typeof value !== 'object' || value === null) return false;
  const { pid, port } = value as Record<string, unknown>;
  return Number.isInteger(pid) && Number.isInteger(port);
}

/** SIGTERM lets redis-server flush its AOF; SIGKILL only if it does not finish in time. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolvePromise) => {
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}

/** The last lines redis-server printed, for the error message when it refuses to start. */
function keepOutputTail(child: ChildProcess): () => string {
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - OUTPUT_TAIL_LINES));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return () => lines.join('\n');
}
