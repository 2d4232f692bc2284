import { accountActivated } from './account-activated.js';
import { activationCode } from './activation-code.js';
import { NotificationTemplateError, type NotificationTemplate } from './template-definition.js';

/**
 * Every message the provider sends, by the name a flow puts in `Notification.template`. To add one: write a file
 * next to activation-code.ts with `defineTemplate`, list it here, and the catalogue tests render it in both languages
 * on both channels with its longest parameters (SMS length, HTML escaping).
 */
export const NOTIFICATION_TEMPLATES = {
  activation_code: activationCode,
  account_activated: accountActivated,
} as const satisfies Record<string, NotificationTemplate>;

export type NotificationTemplateName = keyof typeof NOTIFICATION_TEMPLATES;

export const isNotificationTemplateName = (name: string): name is NotificationTemplateName =>
  Object.hasOwn(NOTIFICATION_TEMPLATES, name);

export function notificationTemplate(name: string): NotificationTemplate {
  if (!isNotificationTemplateName(name)) throw new NotificationTemplateError(`unknown notification template "${name}"`);
  return NOTIFICATION_TEMPLATES[name];
}
