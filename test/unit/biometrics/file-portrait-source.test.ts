import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilePortraitSource } from '../../../src/biometrics/file-portrait-source.js';
import { fail, ok } from '../../../src/shared/result.js';

/** The development portrait store: one image file per registry reference, and nothing outside its directory. */

const root = mkdtempSync(join(tmpdir(), 'vneid-portraits-'));
const directory = join(root, 'portraits');
mkdirSync(directory);
writeFileSync(join(directory, 'pt_persona_900001.jpg'), 'jpeg bytes');
writeFileSync(join(directory, 'pt_persona_900002.png'), 'png bytes');
writeFileSync(join(root, 'secret.jpg'), 'outside');
const source = new FilePortraitSource(directory);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the file portrait source', () => {
  it('finds a portrait stored as .jpg, .jpeg or .png under its reference', async () => {
    expect(await source.portrait('pt_persona_900001')).toEqual(ok(new Uint8Array(Buffer.from('jpeg bytes'))));
    expect(await source.portrait('pt_persona_900002')).toEqual(ok(new Uint8Array(Buffer.from('png bytes'))));
  });

  it('answers not_found for an unknown reference and for anything shaped like a path', async () => {
    for (const ref of ['pt_unknown', '../secret', '..', '/etc/passwd', 'a/b', '', 'x'.repeat(201)]) {
      expect(await source.portrait(ref)).toEqual(fail('not_found'));
    }
  });

  it('answers registry_unavailable when the store cannot be read, never not_found', async () => {
    // A directory where the file should be: reading fails with EISDIR (a permission test would pass as root).
    mkdirSync(join(directory, 'pt_broken.jpg'));
    expect(await source.portrait('pt_broken')).toEqual(fail('registry_unavailable'));
  });
});
