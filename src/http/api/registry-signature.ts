import { createHmac, timingSafeEqual } from 'node:crypto';
import { fail, ok, type Result } from '../../shared/result.js';

/** Header a registry signs its pushed events with (docs/api.md "Registry events"). */
export const REGISTRY_SIGNATURE_HEADER = 'X-Vneid-Signature';

export type SignatureProblem = 'missing' | 'malformed' | 'stale' | 'mismatch';

/** HMAC-SHA256 of `<t>.<raw body>` in lower-case hex: what the registry computes and sends as `v1`. */
export function signRegistryEvent(key: string, timestampSeconds: number, rawBody: string): string {
  return createHmac('sha256', key).update(`${timestampSeconds}.${rawBody}`).digest('hex');
}

/**
 * Checks `X-Vneid-Signature: t=<unix seconds>,v1=<hex>` over the exact bytes received. The timestamp bounds replays to
 * the tolerance window (the event id bounds them inside it); any configured key may have signed (rotation). Compared in
 * constant time.
 */
export function verifyRegistrySignature(
  header: string | undefined,
  rawBody: string,
  keys: readonly string[],
  nowMs: number,
  toleranceSeconds: number,
): Result<void, SignatureProblem> {
  if (!header) return fail('missing');
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [name, value = ''] = part.trim().split('=', 2);
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0) return fail('malformed');
  if (Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return fail('stale');
  for (const key of keys) {
    const expected = Buffer.from(signRegistryEvent(key, timestamp, rawBody), 'hex');
    if (signatures.some((signature) => timingSafeEqual(signature, expected))) return ok(undefined);
  }
  return fail('mismatch');
}
