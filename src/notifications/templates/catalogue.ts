import { accountActivated } from './account-activated.js';
import { accountLocked } from './account-locked.js';
import { accountRestored } from './account-restored.js';
import { documentExpired } from './document-expired.js';
import { identityUpdated } from './identity-updated.js';
import { activationCode } from './activation-code.js';
import { registrationAttempted } from './registration-attempted.js';
import { signInCode } from './sign-in-code.js';
import { contactChangeCode } from './contact-change-code.js';
import { contactChanged } from './contact-changed.js';
import { passwordChanged } from './password-changed.js';
import { unlockCode } from './unlock-code.js';
import { NotificationTemplateError, type NotificationTemplate } from './template-definition.js';

/**
 * Every message the provider sends, by the name a flow puts in `Notification.template`. To add one: write a file
 * next to activation-code.ts with `defineTemplate`, list it here, and the catalogue tests render it in both languages
 * on both channels with its longest parameters (SMS length, HTML escaping).
 */
export const NOTIFICATION_TEMPLATES = {
  activation_code: activationCode,
  // Decision 34 Art 6, 12.1: a registration of an identity that already has an account, told to its owner.
  registration_attempted: registrationAttempted,
  account_activated: accountActivated,
  // Second factor of level-2 sign-in (Decision 34 Art 5.1.b).
  sign_in_code: signInCode,
  // The owner's account pages (Decision 34 Art 11.1, 12.1).
  contact_change_code: contactChangeCode,
  contact_changed: contactChanged,
  password_changed: passwordChanged,
  unlock_code: unlockCode,
  // Locks, restorations and registry changes (Decision 34 Art 9-11, 12.1.dd).
  account_locked: accountLocked,
  account_restored: accountRestored,
  identity_updated: identityUpdated,
  document_expired: documentExpired,
} as const satisfies Record<string, NotificationTemplate>;

export type NotificationTemplateName = keyof typeof NOTIFICATION_TEMPLATES;

export const isNotificationTemplateName = (name: string): name is NotificationTemplateName =>
  Object.hasOwn(NOTIFICATION_TEMPLATES, name);

export function notificationTemplate(name: string): NotificationTemplate {
  if (!isNotificationTemplateName(name)) throw new NotificationTemplateError(`unknown notification template "${name}"`);
  return NOTIFICATION_TEMPLATES[name];
}
