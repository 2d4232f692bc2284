import { readFileSync } from 'node:fs';
import type { NotificationsConfig } from '../config/notifications-config.js';
import type { NotificationSender } from '../domain/ports.js';
import { CircuitBreaker } from '../shared/circuit-breaker.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { RedisKeys } from '../storage/keys.js';
import type { RedisConnection } from '../storage/redis-client.js';
import { DevOutbox } from './dev-outbox.js';
import { HttpSmsSender } from './http-sms-sender.js';
import { RoutingNotificationSender } from './routing-notification-sender.js';
import { SmtpEmailSender } from './smtp-email-sender.js';

export interface NotificationDependencies {
  redis: RedisConnection;
  keys: RedisKeys;
  logger: Logger;
  clock: Clock;
}

export interface NotificationSenders {
  /** What flows send through (the NotificationSender port). */
  sender: NotificationSender;
  /** Outbox mode only: the messages /dev/outbox shows (createOutboxRouter). */
  outbox?: DevOutbox;
  /** Closes the SMTP pool; call on shutdown. */
  close(): Promise<void>;
}

/**
 * The sender of the configured mode: `outbox` keeps every message in the development outbox (refused in production),
 * `deliver` routes email to the SMTP relay and SMS to the HTTP gateway, each behind its own circuit breaker (on the
 * flows' clock). Called once, by container.ts.
 */
export function createNotificationSender(
  config: { env: string; notifications: NotificationsConfig },
  dependencies: NotificationDependencies,
): NotificationSenders {
  const logger = dependencies.logger.child({ component: 'notifications' });
  const { mode, smtp, sms } = config.notifications;
  if (mode === 'outbox') {
    const outbox = new DevOutbox({ ...dependencies, logger, environment: config.env });
    return { sender: outbox, outbox, close: async () => undefined };
  }
  // loader.ts refuses deliver mode without these; checked again so that a hand-built config fails just as clearly.
  if (!smtp.host || !smtp.from) throw new Error('notifications.smtp.host and notifications.smtp.from are required in deliver mode');
  if (!sms.url) throw new Error('notifications.sms.url is required in deliver mode');
  const email = new SmtpEmailSender(
    {
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      requireTls: smtp.requireTls,
      ...(smtp.caFile !== undefined ? { ca: readPem(smtp.caFile, 'notifications.smtp.caFile') } : {}),
      ...(smtp.user !== undefined ? { user: smtp.user, password: smtp.password ?? '' } : {}),
      from: smtp.from,
      timeoutMs: smtp.timeoutMs,
      maxConnections: smtp.maxConnections,
    },
    // One circuit per channel: the relay and the gateway fail independently, and email keeps working while SMS is down.
    { logger, breaker: new CircuitBreaker({ failureThreshold: smtp.failureThreshold, openMs: smtp.openMs }, dependencies.clock) },
  );
  const text = new HttpSmsSender(
    {
      url: sms.url,
      ...(sms.apiKey !== undefined ? { apiKey: sms.apiKey } : {}),
      apiKeyHeader: sms.apiKeyHeader,
      apiKeyScheme: sms.apiKeyScheme,
      ...(sms.senderId !== undefined ? { senderId: sms.senderId } : {}),
      timeoutMs: sms.timeoutMs,
      ...(sms.bodyTemplate !== undefined ? { bodyTemplate: sms.bodyTemplate } : {}),
      ...(sms.acceptedField !== undefined ? { acceptedField: sms.acceptedField, acceptedValues: sms.acceptedValues } : {}),
    },
    { logger, breaker: new CircuitBreaker({ failureThreshold: sms.failureThreshold, openMs: sms.openMs }, dependencies.clock) },
  );
  return {
    sender: new RoutingNotificationSender({ email, sms: text }),
    close: () => email.close(),
  };
}

function readPem(path: string, key: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new Error(`${key}: cannot read ${path}`);
  }
}
