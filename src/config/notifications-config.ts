import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

/**
 * How one-time codes and notices reach people (Decision 34 Art 7: the registered phone number or email). Read by
 * src/notifications/create-notification-sender.ts; documented in docs/configuration.md.
 */

export const NOTIFICATION_MODES = ['outbox', 'deliver'] as const;
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];

/** The SMTP relay that sends email. */
export class SmtpConfig {
  /** Relay host name; required in `deliver` mode. */
  @IsOptional() @IsString() @MinLength(1) host?: string;

  @IsInt() @Min(1) @Max(65_535) port = 587;

  /** TLS from the first byte (usually port 465). When false the connection is upgraded with STARTTLS. */
  @IsBoolean() secure = false;

  /** With `secure` false: refuse to send unless the relay upgrades the connection with STARTTLS. */
  @IsBoolean() requireTls = true;

  /** PEM file of the CA that signed the relay's certificate, when it is not a publicly trusted one. */
  @IsOptional() @IsString() @MinLength(1) caFile?: string;

  @IsOptional() @IsString() @MinLength(1) user?: string;

  /** SMTP_PASSWORD or SMTP_PASSWORD_FILE. */
  @IsOptional() @IsString() @MinLength(1) password?: string;

  /** Sender address, e.g. `"Định danh điện tử" <no-reply@eid.example.vn>`; required in `deliver` mode. */
  @IsOptional() @IsString() @MinLength(3) from?: string;

  /** Budget of one message, from taking a pooled connection to the relay's acceptance. */
  @IsInt() @Min(500) @Max(120_000) timeoutMs = 10_000;

  /** Connections the pool keeps open to the relay. */
  @IsInt() @Min(1) @Max(50) maxConnections = 5;

  /** Consecutive failed messages that open the circuit: emails then fail at once ("try again later"). */
  @IsInt() @Min(1) @Max(1000) failureThreshold = 5;

  /** How long the circuit stays open before one message is let through to probe the relay. */
  @IsInt() @Min(1000) @Max(600_000) openMs = 30_000;
}

/** The SMS gateway: one JSON POST per message. */
export class SmsGatewayConfig {
  /** Endpoint that accepts one message per POST; required in `deliver` mode, https in production. */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) url?: string;

  /** SMS_API_KEY or SMS_API_KEY_FILE; sent in `apiKeyHeader`, or in the body through `{{api_key}}`. */
  @IsOptional() @IsString() @MinLength(8) apiKey?: string;

  /** Header that carries the key. */
  @IsString() @MinLength(1) apiKeyHeader = 'Authorization';

  /** Written before the key in that header (`Bearer <key>`); empty sends the key alone. */
  @IsString() apiKeyScheme = 'Bearer';

  /** Brand name registered with the carriers for this service. */
  @IsOptional() @IsString() @MinLength(1) senderId?: string;

  /** Budget of one POST, from connecting to the end of the reply. No retry follows: a second POST could send twice. */
  @IsInt() @Min(200) @Max(60_000) timeoutMs = 5000;

  /**
   * The JSON body, as the gateway names its fields. Strings may hold `{{to}}` (E.164), `{{to_digits}}` (E.164 without
   * `+`), `{{text}}`, `{{sender_id}}` and `{{api_key}}`. Unset: `{"to": "{{to}}", "text": "{{text}}", "sender_id":
   * "{{sender_id}}"}`.
   */
  @IsOptional() @IsObject() bodyTemplate?: Record<string, unknown>;

  /**
   * Dotted path of a field of the 2xx JSON reply that says whether the gateway took the message (for gateways that
   * answer 200 to everything). Unset: any 2xx means taken.
   */
  @IsOptional() @IsString() @MinLength(1) acceptedField?: string;

  /** Values of `acceptedField` that mean taken, compared as strings. */
  @IsArray() @IsString({ each: true }) acceptedValues: string[] = [];

  /** Consecutive failed posts that open the circuit: SMS then fail at once ("try again later"). */
  @IsInt() @Min(1) @Max(1000) failureThreshold = 5;

  /** How long the circuit stays open before one message is let through to probe the gateway. */
  @IsInt() @Min(1000) @Max(600_000) openMs = 30_000;
}

export class NotificationsConfig {
  /**
   * `outbox`: nothing leaves the machine; messages are kept in Redis and shown at /dev/outbox (refused in production).
   * `deliver`: email through `smtp`, SMS through `sms`.
   */
  @IsIn(NOTIFICATION_MODES) mode: NotificationMode = 'outbox';

  @ValidateNested() @Type(() => SmtpConfig) smtp: SmtpConfig = new SmtpConfig();
  @ValidateNested() @Type(() => SmsGatewayConfig) sms: SmsGatewayConfig = new SmsGatewayConfig();
}

/** Rules across the keys above; the loader adds them to its own (ARCHITECTURE convention 10). */
export function notificationProblems(config: NotificationsConfig, environment: string): string[] {
  const problems: string[] = [];
  const production = environment === 'production';
  if (production && config.mode === 'outbox') {
    problems.push('notifications.mode: the development outbox is refused in production (set NOTIFICATIONS_MODE=deliver)');
  }
  if (config.mode !== 'deliver') return problems;
  const { smtp, sms } = config;
  if (!smtp.host) problems.push('notifications.smtp.host: required in deliver mode (set SMTP_HOST)');
  if (!smtp.from) problems.push('notifications.smtp.from: required in deliver mode (set SMTP_FROM)');
  if ((smtp.user === undefined) !== (smtp.password === undefined)) {
    problems.push('notifications.smtp.user, notifications.smtp.password: give both or neither');
  }
  // Codes travel in these messages: production never hands them to a relay in clear text.
  if (production && !smtp.secure && !smtp.requireTls) {
    problems.push('notifications.smtp.requireTls: must be true in production unless notifications.smtp.secure is');
  }
  if (!sms.url) problems.push('notifications.sms.url: required in deliver mode (set SMS_URL)');
  else if (production && !sms.url.startsWith('https://')) problems.push('notifications.sms.url: must be https in production');
  if (sms.acceptedField !== undefined && sms.acceptedValues.length === 0) {
    problems.push('notifications.sms.acceptedValues: required when notifications.sms.acceptedField is set');
  }
  return problems;
}
