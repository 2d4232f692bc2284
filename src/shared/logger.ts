import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Fields that may carry personal data or secrets. Decision 34 Art 3.1 and the personal-data rules:
 * logs never contain identity numbers, names, contact details, credentials or biometrics.
 */
const REDACTED_KEY_NAMES = [
  'password',
  'newPassword',
  'code',
  'otp',
  'secret',
  'client_secret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'authorization',
  'cookie',
  'idNumber',
  'personalIdNumber',
  'passportNumber',
  'fullName',
  'name',
  'birthdate',
  'dateOfBirth',
  'phone',
  'phoneNumber',
  'email',
  'portrait',
  'fingerprint',
  'photo',
  'set-cookie',
];

const REDACTED_KEYS = new Set(REDACTED_KEY_NAMES);
const CENSOR = '[redacted]';
/** Deeper than any log object we write; beyond it values are dropped rather than walked. */
const MAX_DEPTH = 6;

/**
 * Copies a log object with the value of every key named above replaced, at any depth. One walk per line: pino's
 * path-based redaction with wildcards cost about 20 times more per line on the token endpoints (bench/, --cpu-prof).
 * Most lines (the request line, provider events) carry nothing to censor: those are passed on as they are, uncopied.
 */
function censor(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return CENSOR;
  if (Array.isArray(value)) return value.map((item) => censor(item, depth + 1));
  if (value instanceof Error) return value;
  if (isClean(value, depth)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = REDACTED_KEYS.has(key) ? CENSOR : censor(item, depth + 1);
  }
  return copy;
}

/**
 * True when censoring would copy `value` unchanged: a plain object or array (anything else is copied as before, so
 * its serialisation does not change) with no censored key and no value beyond MAX_DEPTH. Allocates nothing.
 */
function isClean(value: object, depth: number): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  const array = Array.isArray(value);
  if (!array && prototype !== Object.prototype && prototype !== null) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (!array && REDACTED_KEYS.has(key)) return false;
    const item: unknown = (value as Record<string, unknown>)[key];
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 >= MAX_DEPTH) return false;
    if (!(item instanceof Error) && !isClean(item, depth + 1)) return false;
  }
  return true;
}

/**
 * pino's ISO-8601 `time` field (same text as `stdTimeFunctions.isoTime`), formatting the date and time once per second
 * instead of once per line.
 */
function isoTimeField(): () => string {
  let second = Number.NaN;
  let prefix = '';
  return () => {
    const now = Date.now();
    const milliseconds = now % 1000;
    if (now - milliseconds !== second) {
      second = now - milliseconds;
      // "2026-11-24T04:00:00." : everything up to the milliseconds.
      prefix = new Date(second).toISOString().slice(0, 20);
    }
    return `,"time":"${prefix}${String(milliseconds).padStart(3, '0')}Z"`;
  };
}

export interface LoggerSettings {
  level: string;
  pretty?: boolean;
}

export function createLogger(settings: LoggerSettings, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: 'vn-eid' },
    timestamp: isoTimeField(),
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => censor(object, 0) as Record<string, unknown>,
    },
  };
  return pino(options, destination ?? standardOutput());
}

/**
 * Standard output, written asynchronously: lines logged while a write is under way leave together in the next one, so
 * under load a request's line costs a share of one write instead of a blocking write of its own (bench/: about 0.05
 * of the token endpoints' ours-to-baseline ratio). pino flushes what is pending when the process exits, normally or on
 * an uncaught error; only a hard kill (SIGKILL, out of memory) can lose the last lines. The audit trail is not a log:
 * it is written to Redis (storage/audit-trail.ts), never here.
 */
function standardOutput(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}
