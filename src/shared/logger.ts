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
 */
function censor(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return CENSOR;
  if (Array.isArray(value)) return value.map((item) => censor(item, depth + 1));
  if (value instanceof Error) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = REDACTED_KEYS.has(key) ? CENSOR : censor(item, depth + 1);
  }
  return copy;
}

export interface LoggerSettings {
  level: string;
  pretty?: boolean;
}

export function createLogger(settings: LoggerSettings, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: 'vn-eid' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => censor(object, 0) as Record<string, unknown>,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
