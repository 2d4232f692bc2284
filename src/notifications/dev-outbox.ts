import type { Notification, NotificationChannel, NotificationSender } from '../domain/ports.js';
import type { Clock } from '../shared/clock.js';
import { randomId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { RedisKeys } from '../storage/keys.js';
import type { RedisConnection } from '../storage/redis-client.js';
import { renderNotification } from './render-notification.js';
import type { MessageLocale } from './templates/template-definition.js';

/** A message the outbox caught, rendered exactly as it would have been sent. */
export interface OutboxMessage {
  id: string;
  channel: NotificationChannel;
  to: string;
  template: string;
  locale: MessageLocale;
  /** The template parameters, so a test can read a code without parsing text. */
  params: Record<string, string>;
  /** ISO 8601, from the injected clock. */
  sentAt: string;
  subject?: string;
  text: string;
  html?: string;
}

export interface OutboxQuery {
  /** Only messages to this phone number (digits compared, so `+84 91…` finds `+8491…`) or email (any case). */
  to?: string;
  /** At most this many, newest first. */
  limit?: number;
}

/** What /dev/outbox reads. */
export interface OutboxReader {
  messages(query?: OutboxQuery): Promise<OutboxMessage[]>;
}

export interface DevOutboxOptions {
  /** The running environment; `production` is refused (ARCHITECTURE convention 10). */
  environment: string;
  redis: RedisConnection;
  keys: RedisKeys;
  logger: Logger;
  clock: Clock;
}

const NOTICE_MAX_LENGTH = 500;

/**
 * Development stand-in for the SMTP relay and the SMS gateway: each message is rendered as it would be sent, kept in
 * Redis (newest first, capped, expiring) for /dev/outbox, and printed as one log line. That line is the only place
 * where a one-time code is ever written to a log, and only because development codes protect nothing. Refused in
 * production, whatever the caller passes. Like the real senders it fails closed: when Redis does not take the
 * message, nothing was "sent".
 */
export class DevOutbox implements NotificationSender, OutboxReader {
  constructor(private readonly options: DevOutboxOptions) {
    if (options.environment === 'production' || process.env.NODE_ENV === 'production') {
      throw new Error('The development outbox is refused in production: set notifications.mode to deliver');
    }
  }

  async send(notification: Notification): Promise<Result<void, 'sender_unavailable'>> {
    const { redis, keys, logger, clock } = this.options;
    const rendered = renderNotification(notification);
    const message: OutboxMessage = {
      id: randomId(9),
      ...rendered,
      params: { ...notification.params },
      sentAt: new Date(clock.now()).toISOString(),
    };
    const key = keys.devOutbox();
    try {
      const replies = await redis
        .multi()
        .lpush(key, JSON.stringify(message))
        .ltrim(key, 0, keys.devOutboxMaxMessages - 1)
        .pexpire(key, keys.devOutboxTtlMs)
        .exec();
      const failed = !replies || replies.some(([error]) => error !== null);
      if (failed) throw new Error('the outbox transaction was not applied');
    } catch {
      logger.warn(
        { event: 'notification.failed', channel: rendered.channel, template: rendered.template, kind: 'unavailable', reason: 'redis' },
        'notification.failed: the development outbox could not store the message',
      );
      return fail('sender_unavailable');
    }
    logger.info({ event: 'notification.outboxed', channel: rendered.channel, template: rendered.template }, noticeOf(message));
    return ok(undefined);
  }

  async messages(query: OutboxQuery = {}): Promise<OutboxMessage[]> {
    const { redis, keys } = this.options;
    const raw = await redis.lrange(keys.devOutbox(), 0, keys.devOutboxMaxMessages - 1);
    const all = raw.map((entry) => JSON.parse(entry) as OutboxMessage);
    const wanted = query.to === undefined || query.to.trim() === '' ? all : all.filter((m) => sameRecipient(m.to, query.to ?? ''));
    return query.limit === undefined ? wanted : wanted.slice(0, Math.max(0, query.limit));
  }

  /** Empties the outbox (tests and the developer's "start over"). */
  async clear(): Promise<void> {
    await this.options.redis.del(this.options.keys.devOutbox());
  }
}

/** One line a developer can read in the console: channel, recipient, and the text with its code. */
function noticeOf(message: OutboxMessage): string {
  const body = message.subject ? `${message.subject}: ${message.text}` : message.text;
  const line = `dev outbox: ${message.channel} to ${message.to} (${message.template}, ${message.locale}): ${body.replace(/\s+/g, ' ')}`;
  return line.length > NOTICE_MAX_LENGTH ? `${line.slice(0, NOTICE_MAX_LENGTH - 1)}…` : line;
}

function sameRecipient(stored: string, wanted: string): boolean {
  if (stored.includes('@') || wanted.includes('@')) return stored.trim().toLowerCase() === wanted.trim().toLowerCase();
  const digits = (value: string): string => value.replace(/\D/g, '');
  return digits(wanted) !== '' && digits(stored) === digits(wanted);
}
