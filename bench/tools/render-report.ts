import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReport } from '../report/markdown.js';
import type { BenchReport } from '../report/results.js';
import { updateReadme } from '../report/write-results.js';
import { repoRoot } from '../support/repo-root.js';

/*
 * Renders the Markdown of a stored run again from its JSON (after a change to the report's layout, or to put an
 * earlier run in the README), without running anything:
 *
 *   node dist/bench/tools/render-report.js bench/results/<stamp>-<sha>.json [--latest] [--readme]
 */
function main(): void {
  const file = process.argv.slice(2).find((argument) => !argument.startsWith('--'));
  if (!file?.endsWith('.json')) {
    process.stderr.write('usage: node dist/bench/tools/render-report.js <results.json> [--latest] [--readme]\n');
    process.exit(2);
  }
  const report = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
  const markdown = renderReport(report);
  writeFileSync(file.replace(/\.json$/, '.md'), markdown);
  if (process.argv.includes('--latest')) writeFileSync(join(repoRoot(), 'bench', 'results', 'latest.md'), markdown);
  if (process.argv.includes('--readme')) updateReadme(join(repoRoot(), 'README.md'), report);
}

main();
