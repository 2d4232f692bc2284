import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SpawnedServerOptions {
  /** For messages only. */
  label: string;
  /** Arguments to node: flags (e.g. --cpu-prof) then the entry script. */
  nodeArgs: string[];
  cwd: string;
  env: Record<string, string>;
  /** stdout and stderr go here, so that logging costs the server what it would in production and nothing else. */
  logFile: string;
}

/**
 * A server started as its own node process, so its CPU time can be read from /proc without counting the load
 * generator. Stopped by its PID: SIGTERM (a graceful drain, which also writes a --cpu-prof profile), SIGKILL if it
 * does not exit in time.
 */
export class ServerProcess {
  private readonly exit: Promise<number | null>;

  private constructor(
    readonly label: string,
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly logFile: string,
  ) {
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static spawn(options: SpawnedServerOptions): ServerProcess {
    const log = openSync(options.logFile, 'a');
    try {
      const child = spawn(process.execPath, options.nodeArgs, { cwd: options.cwd, env: options.env, stdio: ['ignore', log, log] });
      if (child.pid === undefined) throw new Error(`${options.label} did not start`);
      return new ServerProcess(options.label, child, child.pid, options.logFile);
    } finally {
      closeSync(log);
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Polls `url` until it answers 200; fails early if the process exits (its log says why). */
  async waitUntilAnswering(url: string, headers: Record<string, string>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.label} exited with ${this.child.exitCode ?? this.child.signalCode}; see ${this.logFile}`);
      try {
        const response = await fetch(url, { headers, signal: AbortSignal.timeout(1000) });
        await response.body?.cancel();
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`${this.label} did not answer ${url} within ${timeoutMs} ms; see ${this.logFile}`);
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    process.kill(this.pid, 'SIGTERM');
    const exited = await Promise.race([this.exit.then(() => true), sleep(timeoutMs).then(() => false)]);
    if (!exited && this.running) {
      process.kill(this.pid, 'SIGKILL');
      await this.exit;
    }
  }
}
