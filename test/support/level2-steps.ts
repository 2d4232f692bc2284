import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Identity } from '../../src/domain/account.js';
import type { RegistryRecord } from '../../src/domain/registry.js';
import { findForm, type Page, type UserAgent } from './user-agent.js';

/**
 * Steps of the level-2 journeys (src/http/level2): a registry portrait on disk for the local face matcher, and the
 * photo form submitted as a browser does (multipart, one file).
 */

export const identityOf = (record: RegistryRecord): Identity =>
  record.kind === 'citizen'
    ? { kind: 'citizen', idNumber: record.idNumber, fullName: record.fullName, birthDate: record.birthDate, gender: record.gender }
    : {
        kind: 'foreigner',
        passportNumber: record.passportNumber,
        nationality: record.nationality,
        fullName: record.fullName,
        birthDate: record.birthDate,
        gender: record.gender,
      };

/** A directory for `biometrics.portraitsDirectory` (BIOMETRICS_PORTRAITS_DIR) holding the given registry portraits. */
export function portraitsDirectory(portraits: Record<string, Uint8Array>): string {
  const directory = mkdtempSync(join(tmpdir(), 'vneid-portraits-'));
  for (const [portraitRef, bytes] of Object.entries(portraits)) writeFileSync(join(directory, `${portraitRef}.jpg`), bytes);
  return directory;
}

/** Submits the photo form of `page` with `photo` as the file (and its hidden fields, the CSRF token among them). */
export function sendPhoto(
  agent: UserAgent,
  page: Page,
  photo: Uint8Array,
  options: { stopAt?: string; fields?: Record<string, string>; type?: string } = {},
): Promise<Page> {
  const form = findForm(page.html, '/photo');
  const body = new FormData();
  for (const [name, value] of Object.entries({ ...form.hidden, ...options.fields })) body.append(name, value);
  body.append('photo', new Blob([Buffer.from(photo)], { type: options.type ?? 'image/jpeg' }), 'photo.jpg');
  return agent.navigate(new URL(form.action, page.url).toString(), options.stopAt, { method: 'POST', body });
}
