import type { Notification, NotificationChannel } from '../domain/ports.js';
import { notificationTemplate } from './templates/catalogue.js';
import { layoutEmail } from './templates/email-layout.js';
import { NotificationTemplateError, type MessageLocale } from './templates/template-definition.js';

/** A notification turned into what is actually sent. */
export interface RenderedNotification {
  channel: NotificationChannel;
  to: string;
  template: string;
  locale: MessageLocale;
  /** Email only. */
  subject?: string;
  /** The SMS, or the plain-text part of the email. */
  text: string;
  /** Email only; every value in it is escaped. */
  html?: string;
}

const E164 = /^\+[1-9][0-9]{6,14}$/;
// Deliberately plain: the address was validated where the person typed it; this only keeps a malformed value (or a
// header injection) from reaching a relay.
const EMAIL_ADDRESS = /^[^\s@<>()\[\]\\,;:"]{1,64}@[^\s@<>()\[\]\\,;:"]{1,255}$/u;

/**
 * Renders a notification in its language for its channel. Throws NotificationTemplateError for a notification the
 * program should never have built (unknown template, bad parameter, recipient in the wrong form): every sender calls
 * this before it contacts anything, so such a bug never leaves a message half sent.
 */
export function renderNotification(notification: Notification): RenderedNotification {
  const { channel, to, template, locale, params } = notification;
  if (channel === 'sms' ? !E164.test(to) : channel === 'email' ? !EMAIL_ADDRESS.test(to) : true) {
    throw new NotificationTemplateError(`${template}: the recipient is not a valid ${String(channel)} address`);
  }
  const output = notificationTemplate(template).render(channel, locale, params);
  const base = { channel, to, template, locale };
  if (output.channel === 'sms') return { ...base, text: output.text };
  return { ...base, ...layoutEmail(output, locale) };
}
