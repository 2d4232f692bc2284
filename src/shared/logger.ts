import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Fields that may carry personal data or secrets. Decision 34 Art 3.1 and the personal-data rules:
 * logs never contain identity numbers, names, contact details, credentials or biometrics.
 */
const REDACTED_PATHS = [
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
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

const redactEverywhere = REDACTED_PATHS.flatMap((path) =>
  path.includes('.') ? [path] : [path, `*.${path}`, `*.*.${path}`],
);

export interface LoggerSettings {
  level: string;
  pretty?: boolean;
}

export function createLogger(settings: LoggerSettings, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: 'vn-eid' },
    redact: { paths: redactEverywhere, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
