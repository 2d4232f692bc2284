import { readFileSync } from 'node:fs';

/*
 * Summarises a V8 .cpuprofile (node --cpu-prof; `npm run bench -- --cpu-prof`): where the time went, by function
 * (self and inclusive) and by package or source file, so a hot path can be named without a GUI.
 *
 *   node dist/bench/tools/summarize-profile.js var/bench/profiles/<stamp>/ours-<stamp>.cpuprofile [--top=30]
 *   node dist/bench/tools/summarize-profile.js <file> --callers=writeUtf8String   (who calls a hot function)
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  milliseconds: number;
  share: number;
}

export interface ProfileSummary {
  totalMilliseconds: number;
  selfByFunction: ProfileLine[];
  inclusiveByFunction: ProfileLine[];
  selfByPackage: ProfileLine[];
}

/** node_modules/<package> (scoped too), our own src/… file, node:internal, or the V8 pseudo-frames. */
export function packageOf(url: string): string {
  if (url === '') return '(native/V8)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const own = /\/(src|bench|dist\/src|dist\/bench)\/(.*)$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

const functionKey = (frame: CallFrame): string => {
  const where = frame.url ? `${packageOf(frame.url)}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'} ${where}`.trim();
};

function top(map: Map<string, number>, total: number, count: number): ProfileLine[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, microseconds]) => ({ name, milliseconds: microseconds / 1000, share: total > 0 ? microseconds / total : 0 }));
}

/**
 * Who calls a hot function: for samples whose own frame's name starts with `leaf`, the nearest caller frames that
 * belong to our code or a package (not node: internals or V8), so "writeUtf8String" is traced back to, say, ioredis.
 */
export function callersOf(profile: CpuProfile, leaf: string, count = 25): ProfileLine[] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const callers = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const node = nodes.get(id);
    if (!node || !functionKey(node.callFrame).startsWith(leaf)) return;
    const delta = profile.timeDeltas[index] ?? 0;
    total += delta;
    const chain: string[] = [];
    for (let current = parents.get(id); current !== undefined && chain.length < 3; current = parents.get(current)) {
      const frame = nodes.get(current)?.callFrame;
      if (frame && frame.url && !frame.url.startsWith('node:')) chain.push(functionKey(frame));
    }
    const key = chain.join(' < ') || '(node internals only)';
    callers.set(key, (callers.get(key) ?? 0) + delta);
  });
  return top(callers, total, count);
}

export function summarizeProfile(profile: CpuProfile, count = 25): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const node = nodes.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    total += delta;
    self.set(functionKey(node.callFrame), (self.get(functionKey(node.callFrame)) ?? 0) + delta);
    byPackage.set(packageOf(node.callFrame.url), (byPackage.get(packageOf(node.callFrame.url)) ?? 0) + delta);
    // Each function once per sample, however deep it recurses.
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parents.get(current)) {
      const frame = nodes.get(current)?.callFrame;
      if (!frame) break;
      const key = functionKey(frame);
      if (!seen.has(key)) {
        seen.add(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + delta);
      }
    }
  });
  return {
    totalMilliseconds: total / 1000,
    selfByFunction: top(self, total, count),
    inclusiveByFunction: top(inclusive, total, count),
    selfByPackage: top(byPackage, total, count),
  };
}

function render(title: string, lines: ProfileLine[]): string {
  return [`## ${title}`, ...lines.map((line) => `${(line.share * 100).toFixed(1).padStart(5)} %  ${line.milliseconds.toFixed(0).padStart(7)} ms  ${line.name}`)].join('\n');
}

function main(): void {
  const file = process.argv.slice(2).find((argument) => !argument.startsWith('--'));
  const countArgument = process.argv.find((argument) => argument.startsWith('--top='));
  if (!file) {
    process.stderr.write('usage: node dist/bench/tools/summarize-profile.js <file.cpuprofile> [--top=N]\n');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const count = countArgument ? Number(countArgument.slice(6)) : 25;
  const callersArgument = process.argv.find((argument) => argument.startsWith('--callers='));
  if (callersArgument) {
    process.stdout.write(`${render(`callers of ${callersArgument.slice(10)}`, callersOf(profile, callersArgument.slice(10), count))}\n`);
    return;
  }
  const summary = summarizeProfile(profile, count);
  process.stdout.write(
    [
      `busy time sampled: ${summary.totalMilliseconds.toFixed(0)} ms (idle excluded)`,
      render('self time by package or file', summary.selfByPackage),
      render('self time by function', summary.selfByFunction),
      render('inclusive time by function', summary.inclusiveByFunction),
    ].join('\n\n') + '\n',
  );
}

if (process.argv[1]?.endsWith('summarize-profile.js')) main();
