/**
 * Writes a synthetic registry dataset (docs/registry/dataset.md):
 *   npm run registry:generate -- --citizens 100000 --foreigners 10000 --out var/registry.ndjson
 *     [--seed vn-eid] [--as-of 2026-01-01|today] [--no-personas]
 * The same options always produce the same file, byte for byte.
 */
import { parseArgs } from 'node:util';
import { vietnamDateOf } from '../src/domain/eligibility.js';
import { DEFAULT_DATASET_SEED, writeRegistryDataset } from '../src/registries/synthetic/generate-dataset.js';

/** Fixed so that a bare command is reproducible; pass --as-of today for a dataset current on the day. */
const DEFAULT_AS_OF = '2026-01-01';

const USAGE =
  'usage: npm run registry:generate -- --citizens N --foreigners M --out FILE [--seed S] [--as-of YYYY-MM-DD|today] [--no-personas]';

function count(value: string | undefined, name: string): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new Error(`--${name} must be a whole number\n${USAGE}`);
  return Number(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      citizens: { type: 'string' },
      foreigners: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: DEFAULT_DATASET_SEED },
      'as-of': { type: 'string', default: DEFAULT_AS_OF },
      'no-personas': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.out) throw new Error(`--out is required\n${USAGE}`);
  const asOf = values['as-of'] === 'today' ? vietnamDateOf(Date.now()) : values['as-of'];
  const started = process.hrtime.bigint();
  const summary = await writeRegistryDataset(values.out, {
    seed: values.seed,
    citizens: count(values.citizens, 'citizens'),
    foreigners: count(values.foreigners, 'foreigners'),
    asOf,
    personas: !values['no-personas'],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `wrote ${summary.citizens} citizens and ${summary.foreigners} foreigners (${(summary.bytes / 1e6).toFixed(1)} MB, ` +
      `as of ${asOf}, seed ${JSON.stringify(values.seed)}) to ${values.out} in ${seconds.toFixed(2)} s\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
