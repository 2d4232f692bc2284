import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem, type } from 'node:os';
import type { MachineInfo } from '../report/results.js';

export function gitState(root: string): { sha: string; dirty: boolean } {
  try {
    const git = (args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const sha = git(['rev-parse', '--short', 'HEAD']).trim();
    const status = git(['status', '--porcelain']);
    return { sha, dirty: status.trim() !== '' };
  } catch {
    return { sha: 'unknown', dirty: false };
  }
}

export function machineInfo(redisVersion: string): MachineInfo {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown CPU',
    cpus: processors.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    redis: redisVersion,
  };
}

/** 2026-11-20T1432Z: a sortable, file-name-safe UTC timestamp. */
export function fileStamp(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace(':', '')}Z`;
}
