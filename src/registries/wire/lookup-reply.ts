/**
 * The envelope of an agency lookup reply (docs/registry/agency-api.md): `{"result":"found","record":{...}}` or
 * `{"result":"not_found"}`. "No such person" is only ever concluded from an explicit `not_found`.
 */
export type LookupReply<T> = { found: true; record: T } | { found: false };

/** Reads the envelope; `readRecord` validates the record. null = malformed (the caller treats it as unavailable). */
export function readLookupReply<T>(json: unknown, readRecord: (plain: unknown) => T | null): LookupReply<T> | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const envelope = json as { result?: unknown; record?: unknown };
  if (envelope.result === 'not_found') return envelope.record === undefined ? { found: false } : null;
  if (envelope.result !== 'found') return null;
  const record = readRecord(envelope.record);
  return record === null ? null : { found: true, record };
}
