import { describe, expect, it } from '@jest/globals';
import { signRegistryEvent, verifyRegistrySignature } from '../../../../src/http/api/registry-signature.js';

const KEY = 'k'.repeat(40);
const OLD_KEY = 'o'.repeat(40);
const BODY = '{"id":"e-1","type":"person.died"}';
const NOW = 1_780_000_000_000;
const t = NOW / 1000;

const header = (key: string, timestamp: number, body = BODY): string => `t=${timestamp},v1=${signRegistryEvent(key, timestamp, body)}`;

describe('registry event signatures (HMAC-SHA256 over "<t>.<body>")', () => {
  const rows: [string, string | undefined, string, string][] = [
    ['a valid signature', header(KEY, t), BODY, 'ok'],
    ['a signature by a key being rotated out', header(OLD_KEY, t), BODY, 'ok'],
    ['several v1 values, one valid', `t=${t},v1=${'0'.repeat(64)},v1=${signRegistryEvent(KEY, t, BODY)}`, BODY, 'ok'],
    ['no header', undefined, BODY, 'missing'],
    ['no timestamp', `v1=${signRegistryEvent(KEY, t, BODY)}`, BODY, 'malformed'],
    ['a short signature', `t=${t},v1=abcd`, BODY, 'malformed'],
    ['a timestamp too old', header(KEY, t - 301), BODY, 'stale'],
    ['a timestamp too far ahead', header(KEY, t + 301), BODY, 'stale'],
    ['a body changed after signing', header(KEY, t), BODY.replace('died', 'born'), 'mismatch'],
    ['an unknown key', header('x'.repeat(40), t), BODY, 'mismatch'],
  ];
  it.each(rows)('%s -> %s', (_name, value, body, expected) => {
    const verified = verifyRegistrySignature(value, body, [KEY, OLD_KEY], NOW, 300);
    expect(verified.ok ? 'ok' : verified.error).toBe(expected);
  });

  it('refuses everything when no key is configured', () => {
    expect(verifyRegistrySignature(header(KEY, t), BODY, [], NOW, 300)).toEqual({ ok: false, error: 'mismatch' });
  });
});
