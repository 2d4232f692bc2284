import type { NotificationChannel } from '../domain/ports.js';
import type { Logger } from '../shared/logger.js';

/**
 * Why a message was not sent, as operators need it: `unavailable` passes (relay or gateway down, slow, overloaded);
 * `misconfigured` does not pass by itself (credentials, URL, TLS, sender address refused) and pages someone;
 * `rejected` is the other side refusing this one message (a recipient its carrier or mailbox refuses).
 */
export type DeliveryFailureKind = 'unavailable' | 'misconfigured' | 'rejected';

export interface DeliveryFailure {
  channel: NotificationChannel;
  template: string;
  kind: DeliveryFailureKind;
  /** A short machine-readable cause (`timeout`, `http_401`, `EAUTH`, ...); never the recipient or the text. */
  reason: string;
  /** The relay's or gateway's status code, when it answered. */
  status?: number;
}

/** One log line per failed message; the recipient and the text (which may hold a code) are never logged. */
export function logDeliveryFailure(logger: Logger, failure: DeliveryFailure): void {
  const line = { event: 'notification.failed', ...failure };
  if (failure.kind === 'misconfigured') logger.error(line, 'notification.failed: check the sender configuration');
  else logger.warn(line, 'notification.failed');
}

export function logDelivered(logger: Logger, channel: NotificationChannel, template: string): void {
  logger.info({ event: 'notification.sent', channel, template }, 'notification.sent');
}
