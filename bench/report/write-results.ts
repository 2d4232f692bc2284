import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReadmeSection, renderReport, replaceMarkedSection } from './markdown.js';
import type { BenchReport } from './results.js';

export interface WrittenResults {
  json: string;
  markdown: string;
  latest: string;
}

/** bench/results/<stamp>-<sha>.json and .md, and latest.md (a copy of the newest Markdown). */
export function writeResults(resultsDir: string, stamp: string, report: BenchReport): WrittenResults {
  mkdirSync(resultsDir, { recursive: true });
  const base = join(resultsDir, `${stamp}-${report.git.sha}${report.settings.mode === 'quick' ? '-quick' : ''}`);
  const markdown = renderReport(report);
  const paths = { json: `${base}.json`, markdown: `${base}.md`, latest: join(resultsDir, 'latest.md') };
  writeFileSync(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(paths.markdown, markdown);
  writeFileSync(paths.latest, markdown);
  return paths;
}

/** Rewrites only the marked section of the README, re-reading the file just before so others' edits are kept. */
export function updateReadme(readmePath: string, report: BenchReport): void {
  writeFileSync(readmePath, replaceMarkedSection(readFileSync(readmePath, 'utf8'), renderReadmeSection(report)));
}
