import type { Notification, NotificationChannel, NotificationSender } from '../domain/ports.js';
import { fail, ok, type Result } from '../shared/result.js';

/** The longest name a message greets by name; a longer one gets the plain greeting. */
const MAX_GREETING_NAME = 100;

/** The email greeting's name; an SMS never carries it (it shows on lock screens). */
export const greetingFor = (fullName: string, channel: NotificationChannel): Record<string, string> =>
  channel === 'email' && fullName.length <= MAX_GREETING_NAME ? { fullName } : {};

/** What a code message says about its validity, in whole minutes, at least 1. */
export const expiresInMinutes = (codeTtlMs: number): string => String(Math.max(1, Math.round(codeTtlMs / 60_000)));

/**
 * Sends a one-time code whose state (hash, counters) the caller already reserved. If nothing was sent — the sender
 * refused or threw — `undo` gives the reservation back first, so no half-done state is left: the person can ask again
 * and the previous code, if any, still works.
 */
export async function sendCodeOrUndo(
  sender: NotificationSender,
  notification: Notification,
  undo: () => Promise<void>,
): Promise<Result<void, 'sender_unavailable'>> {
  let sent: Result<void, 'sender_unavailable'>;
  try {
    sent = await sender.send(notification);
  } catch (error) {
    await undo();
    throw error;
  }
  if (!sent.ok) {
    await undo();
    return fail('sender_unavailable');
  }
  return ok(undefined);
}
