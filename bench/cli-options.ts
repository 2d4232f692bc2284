import { SCENARIO_NAMES, SERVER_NAMES, type ScenarioName, type ServerName } from './report/results.js';

export interface BenchOptions {
  mode: 'quick' | 'full';
  roundSeconds: number;
  warmupSeconds: number;
  roundsPerServer: number;
  /** autocannon connections for single-request scenarios. */
  connections: number;
  /** Browsers signing in at the same time in the full sign-in scenario. */
  signInConcurrency: number;
  /** Sign-ins per server for the Redis memory measurement; 0 skips it. */
  memorySessions: number;
  scenarios: ScenarioName[];
  /** Replace the marked section of README.md with this run's table. */
  readme: boolean;
  /** Servers started with --cpu-prof (profiles under var/bench/profiles/). */
  cpuProfile: ServerName[];
  /** Our LOG_LEVEL; production's `info` by default (one line per request, as deployed). */
  ourLogLevel: string;
  /** Run ours from another checkout's dist/ (e.g. to measure a change before and after). */
  oursRoot?: string;
  /** Where results are written (bench/results by default; elsewhere for experiments that should not be kept). */
  outDir?: string;
  help: boolean;
}

export const USAGE = `npm run bench -- [options]

Starts Redis, our provider (dist/src/main.js, production mode) and a bare oidc-provider baseline as separate
processes on loopback, drives both alternately and writes bench/results/<date>-<sha>.{json,md} and latest.md.

  --quick              about a minute: 1 round of 3 s per server and scenario, 200 sessions for memory
  --readme             copy the table into README.md between <!-- bench:start --> and <!-- bench:end -->
  --only=a,b           scenarios to run: ${SCENARIO_NAMES.join(', ')}
  --no-memory          skip the Redis memory-per-session measurement
  --cpu-prof[=who]     profile ours (default), baseline or both with node --cpu-prof
  --seconds=N          seconds per measured round (default 6, quick 3)
  --rounds=N           measured rounds per server and scenario (default 2, quick 1)
  --connections=N      autocannon connections (default 8)
  --browsers=N         concurrent browsers in the full sign-in (default 4)
  --sessions=N         sign-ins for the memory measurement (default 1000, quick 200)
  --log-level=LEVEL    our LOG_LEVEL (default info)
  --ours-root=DIR      run ours from DIR/dist/src/main.js instead of this checkout
  --out=DIR            write the results to DIR instead of bench/results (experiments)
  --help               this text`;

const positiveInteger = (name: string, value: string, allowZero = false): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < (allowZero ? 0 : 1)) throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${value}"`);
  return number;
};

function listOf<T extends string>(name: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw new Error(`--${name}: unknown "${item}" (one of ${allowed.join(', ')})`);
  }
  if (items.length === 0) throw new Error(`--${name} needs at least one value`);
  return items as T[];
}

/** Parses the command line; throws with a message naming the bad option. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const options: BenchOptions = {
    mode: quick ? 'quick' : 'full',
    roundSeconds: quick ? 3 : 6,
    warmupSeconds: quick ? 1 : 2,
    roundsPerServer: quick ? 1 : 2,
    connections: 8,
    signInConcurrency: 4,
    memorySessions: quick ? 200 : 1000,
    scenarios: [...SCENARIO_NAMES],
    readme: false,
    cpuProfile: [],
    ourLogLevel: 'info',
    help: false,
  };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] as string;
    const separator = argument.indexOf('=');
    const name = (separator === -1 ? argument : argument.slice(0, separator)).replace(/^--/, '');
    const inlineValue = separator === -1 ? undefined : argument.slice(separator + 1);
    const value = (): string => {
      if (inlineValue !== undefined) return inlineValue;
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`--${name} needs a value`);
      index += 1;
      return next;
    };
    switch (name) {
      case 'quick':
        break;
      case 'readme':
        options.readme = true;
        break;
      case 'help':
        options.help = true;
        break;
      case 'no-memory':
        options.memorySessions = 0;
        break;
      case 'only':
        options.scenarios = listOf('only', value(), SCENARIO_NAMES);
        break;
      case 'cpu-prof':
        options.cpuProfile =
          inlineValue === undefined ? ['ours'] : inlineValue === 'both' ? [...SERVER_NAMES] : listOf('cpu-prof', inlineValue, SERVER_NAMES);
        break;
      case 'seconds':
        options.roundSeconds = positiveInteger(name, value());
        break;
      case 'rounds':
        options.roundsPerServer = positiveInteger(name, value());
        break;
      case 'connections':
        options.connections = positiveInteger(name, value());
        break;
      case 'browsers':
        options.signInConcurrency = positiveInteger(name, value());
        break;
      case 'sessions':
        options.memorySessions = positiveInteger(name, value(), true);
        break;
      case 'log-level':
        options.ourLogLevel = value();
        break;
      case 'ours-root':
        options.oursRoot = value();
        break;
      case 'out':
        options.outDir = value();
        break;
      default:
        throw new Error(`unknown option ${argument}\n\n${USAGE}`);
    }
  }
  return options;
}
