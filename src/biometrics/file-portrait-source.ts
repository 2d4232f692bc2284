import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PortraitSource } from '../domain/ports.js';
import { fail, ok, type Result } from '../shared/result.js';

/** A reference is a file name stem: letters, digits, `_`, `-`, `.`, never a path. */
const SAFE_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;
const EXTENSIONS = ['.jpg', '.jpeg', '.png'];

/**
 * Development stand-in for the registry's portrait store: `<directory>/<portraitRef>.jpg` (or `.jpeg`, `.png`).
 * Refused in production (ARCHITECTURE convention 10; biometrics-config.ts). docs/biometrics.md says how to put a
 * portrait behind a development persona.
 */
export class FilePortraitSource implements PortraitSource {
  constructor(private readonly directory: string) {}

  async portrait(portraitRef: string): Promise<Result<Uint8Array, 'not_found' | 'registry_unavailable'>> {
    if (!SAFE_REFERENCE.test(portraitRef) || portraitRef.includes('..')) return fail('not_found');
    for (const extension of EXTENSIONS) {
      try {
        return ok(new Uint8Array(await readFile(join(this.directory, portraitRef + extension))));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        // Unreadable store (permissions, I/O): the registry could not answer, which is never "no portrait".
        return fail('registry_unavailable');
      }
    }
    return fail('not_found');
  }
}
