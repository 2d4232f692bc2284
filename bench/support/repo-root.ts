import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest directory above this file whose package.json is vn-eid's (works from dist/ too). */
export function repoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'vn-eid') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no vn-eid package.json above ${from}`);
    dir = parent;
  }
}
