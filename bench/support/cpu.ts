import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** CPU time a process has used so far, user and kernel, in seconds (all its threads: argon2 runs on libuv's pool). */
export interface ProcessCpu {
  userSeconds: number;
  systemSeconds: number;
}

export const totalCpuSeconds = (cpu: ProcessCpu): number => cpu.userSeconds + cpu.systemSeconds;

/**
 * Reads utime and stime (fields 14 and 15, in clock ticks) from the text of /proc/<pid>/stat. The command name (field
 * 2) is in parentheses and may itself contain spaces and parentheses, so fields are counted from the last ")".
 */
export function parseProcStat(text: string, ticksPerSecond: number): ProcessCpu {
  const close = text.lastIndexOf(')');
  if (close === -1) throw new Error('not a /proc/<pid>/stat line: no command name');
  // After ")": field 3 (state) is at index 0, so field n is at index n - 3.
  const fields = text.slice(close + 1).trim().split(/\s+/);
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('not a /proc/<pid>/stat line: no utime/stime');
  return { userSeconds: utime / ticksPerSecond, systemSeconds: stime / ticksPerSecond };
}

/** The kernel's clock ticks per second (USER_HZ), which /proc reports CPU times in; 100 on Linux in practice. */
export function clockTicksPerSecond(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/**
 * Reads a server process's CPU time from outside it, so that the load generator (sharing the machine) is not counted
 * and the server needs no endpoint of its own for it.
 */
export class ProcessCpuReader {
  constructor(private readonly ticksPerSecond: number = clockTicksPerSecond()) {}

  async read(pid: number): Promise<ProcessCpu> {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'), this.ticksPerSecond);
  }
}
