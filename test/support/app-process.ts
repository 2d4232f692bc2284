import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '../../src/shared/free-port.js';

/**
 * The real application as operators run it: `node <build>/src/main.js` in its own process, so that tests can send it
 * signals and watch it exit. It is built from this checkout into test-artifacts/faults/build (git-ignored, inside the
 * repository so that packages resolve from node_modules), incrementally: the first build takes ~15 s, later ones
 * only recompile what changed.
 */
const BUILD_DIR = resolve('test-artifacts', 'faults', 'build');
const MAIN = join(BUILD_DIR, 'src', 'main.js');

/**
 * Compiles src/ with tsconfig.build.json into BUILD_DIR and returns the entry point. Jest runs two test files at once:
 * a lock directory lets one of them build while the other waits for its result.
 */
export async function buildApplication(): Promise<string> {
  const lock = `${BUILD_DIR}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = performance.now() + 150_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock older than any build was left by a killed run.
      if (Date.now() - statSync(lock).mtimeMs > 150_000) rmSync(lock, { recursive: true, force: true });
      if (performance.now() > deadline) throw new Error(`another build held ${lock} for too long`);
      await delay(200);
    }
  }
  try {
    const result = spawnSync(
      process.execPath,
      [
        resolve('node_modules', 'typescript', 'bin', 'tsc'),
        ...['-p', 'tsconfig.build.json', '--outDir', BUILD_DIR],
        ...['--incremental', '--tsBuildInfoFile', join(BUILD_DIR, '.tsbuildinfo')],
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    // Type errors (exit 2) still emit JavaScript; only a build that emitted nothing stops the test.
    if (!existsSync(MAIN)) throw new Error(`the build did not produce ${MAIN}:\n${result.stdout}${result.stderr}`);
    return MAIN;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * The environment the fault tests run the application with: the test relying parties, the external ABIS (never
 * called) instead of face-matching workers that would load models at start, and no background registry pass.
 */
export function applicationEnvironment(
  /** A Redis URL, or TestRedisServer.providerEnvironment() (REDIS_CLUSTER_NODES on the cluster run). */
  redis: string | Record<string, string>,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...(typeof redis === 'string' ? { REDIS_URL: redis } : redis),
    LOG_LEVEL: 'info',
    CLIENTS_FILE: 'test/support/clients.test.json',
    BIOMETRICS_MODE: 'http',
    ABIS_URL: 'http://127.0.0.1:9/abis',
    ABIS_API_KEY: 'test-abis-api-key-0123456789',
    RECONCILIATION_ENABLED: 'false',
    ...extra,
  };
}

export interface ExitOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the exit was seen. */
  at: number;
}

export class AppProcess {
  private readonly lines: string[] = [];
  private readonly waiters: { pattern: RegExp; resolve: (at: number) => void }[] = [];
  readonly exited: Promise<ExitOutcome>;

  private constructor(
    private readonly child: ChildProcess,
    readonly issuer: string,
    readonly port: number,
  ) {
    this.exited = new Promise((resolveExit) =>
      child.once('exit', (code, signal) => resolveExit({ code, signal, at: performance.now() })),
    );
    let pending = '';
    const onOutput = (chunk: Buffer): void => {
      pending += chunk.toString('utf8');
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) this.onLine(line);
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
  }

  /**
   * Starts `main` on a free loopback port with `env` (NODE_ENV, ISSUER and PORT are set here) and waits until /readyz
   * answers 200.
   */
  static async start(main: string, env: Record<string, string>): Promise<AppProcess> {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [main], {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        NODE_ENV: 'test',
        PORT: String(port),
        ISSUER: issuer,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(child, issuer, port);
    const deadline = performance.now() + 30_000;
    while (performance.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the application exited with ${child.exitCode}:\n${app.output()}`);
      try {
        const response = await fetch(`${issuer}/readyz`, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        if (response.status === 200) return app;
      } catch {
        // not listening yet
      }
      await delay(100);
    }
    app.kill('SIGKILL');
    throw new Error(`the application did not become ready:\n${app.output()}`);
  }

  /** Whether the process is still alive (it has neither exited nor been killed). */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** Resolves with performance.now() when a log line matching `pattern` has been written (at once if it was). */
  waitForLine(pattern: RegExp): Promise<number> {
    if (this.lines.some((line) => pattern.test(line))) return Promise.resolve(performance.now());
    return new Promise((resolveLine) => this.waiters.push({ pattern, resolve: resolveLine }));
  }

  /** The fields of the first JSON log line whose `msg` is `message`, or undefined if none was written. */
  logLine(message: string): Record<string, unknown> | undefined {
    for (const line of this.lines) {
      if (!line.startsWith('{')) continue;
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (parsed.msg === message) return parsed;
    }
    return undefined;
  }

  /** Everything the process wrote, for failure messages. */
  output(): string {
    return this.lines.join('\n').slice(-4000);
  }

  /** Stops the process if a test left it running: SIGTERM, then SIGKILL. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.kill('SIGTERM');
    const exited = await Promise.race([this.exited.then(() => true), delay(15_000).then(() => false)]);
    if (!exited) {
      this.kill('SIGKILL');
      await this.exited;
    }
  }

  private onLine(line: string): void {
    this.lines.push(line);
    const at = performance.now();
    for (const waiter of [...this.waiters]) {
      if (waiter.pattern.test(line)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(at);
      }
    }
  }
}
