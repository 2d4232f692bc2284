import type { Account } from '../../domain/account.js';
import type { Notification, NotificationSender } from '../../domain/ports.js';
import type { Logger } from '../../shared/logger.js';

export type NoticeLocale = 'vi' | 'en';

/** The language of a notice nobody asked for in a page: Vietnamese for citizens, English for foreigners. */
export const defaultLocaleOf = (account: Account): NoticeLocale => (account.identity.kind === 'foreigner' ? 'en' : 'vi');

/**
 * Tells the owner (Decision 34 Art 9.1, 12.1.dd; later rules: at once, of every lock and restoration) on every contact
 * the account has, SMS and email. A sender that is down does not undo what happened: the lock or change stands, the
 * failure is logged, and the result says whether at least one message left so the audit trail can record it.
 */
export async function notifyOwner(
  sender: NotificationSender,
  logger: Logger,
  account: Account,
  template: string,
  params: Record<string, string>,
  locale: NoticeLocale = defaultLocaleOf(account),
): Promise<boolean> {
  const name = account.identity.fullName;
  // The greeting only; a name beyond the templates' limit is left out rather than failing the notice.
  const greeting: Record<string, string> = name.length <= 100 ? { fullName: name } : {};
  const messages: Notification[] = [
    ...(account.phone ? [{ channel: 'sms' as const, to: account.phone, template, locale, params }] : []),
    ...(account.email ? [{ channel: 'email' as const, to: account.email, template, locale, params: { ...params, ...greeting } }] : []),
  ];
  const outcomes = await Promise.all(messages.map((message) => sendOne(sender, logger, message)));
  const delivered = outcomes.filter(Boolean).length;
  if (delivered < outcomes.length) logger.warn({ event: 'owner_notice.failed', template, failed: outcomes.length - delivered }, 'owner_notice.failed');
  return delivered > 0;
}

async function sendOne(sender: NotificationSender, logger: Logger, message: Notification): Promise<boolean> {
  try {
    return (await sender.send(message)).ok;
  } catch (error) {
    // What the notice is about has already happened and must stand; a broken message is a bug to fix, logged loudly.
    logger.error({ event: 'owner_notice.error', template: message.template, error: error instanceof Error ? error.name : 'unknown' }, 'owner_notice.error');
    return false;
  }
}
