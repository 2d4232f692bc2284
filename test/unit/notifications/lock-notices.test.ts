import { describe, expect, it } from '@jest/globals';
import { LOCK_REASONS } from '../../../src/domain/lock.js';
import { renderNotification } from '../../../src/notifications/render-notification.js';
import { LOCK_REASON_TEXT } from '../../../src/notifications/templates/lock-reason-text.js';
import { smsSize } from '../../../src/notifications/templates/sms-encoding.js';

/** Decision 34 Art 10, 11, 12.1.dd: the owner is told of every lock and restoration, whatever its reason. */
describe('lock and restoration notices', () => {
  const cases = LOCK_REASONS.flatMap((reason) => (['vi', 'en'] as const).map((locale) => ({ reason, locale })));

  it.each(cases)('$reason in $locale fits two SMS segments and names the reason in the email', ({ reason, locale }) => {
    for (const template of ['account_locked', 'account_restored']) {
      const params: Record<string, string> = template === 'account_locked' ? { reason } : { reason, stillLocked: 'yes' };
      const sms = renderNotification({ channel: 'sms', to: '+84912345678', template, locale, params });
      expect(smsSize(sms.text).segments).toBeLessThanOrEqual(2);
      const email = renderNotification({ channel: 'email', to: 'an@example.vn', template, locale, params: { ...params, fullName: 'Nguyễn Văn An' } });
      expect(email.text).toContain('Nguyễn Văn An');
    }
    const locked = renderNotification({ channel: 'email', to: 'an@example.vn', template: 'account_locked', locale, params: { reason } });
    const restored = renderNotification({ channel: 'email', to: 'an@example.vn', template: 'account_restored', locale, params: { reason, stillLocked: 'no' } });
    // Why, and how it is lifted (Art 11), in the owner's language; the restoration names the same reason.
    expect(locked.text).toContain(LOCK_REASON_TEXT[locale][reason].why);
    expect(locked.text).toContain(LOCK_REASON_TEXT[locale][reason].howToLift);
    expect(restored.text).toContain(LOCK_REASON_TEXT[locale][reason].why);
  });

  it('lists the changed identity fields and the expired document in words', () => {
    const changed = renderNotification({ channel: 'sms', to: '+84912345678', template: 'identity_updated', locale: 'vi', params: { fields: 'full_name,birth_date' } });
    expect(changed.text).toContain('họ tên, ngày sinh');
    const expired = renderNotification({ channel: 'sms', to: '+84912345678', template: 'document_expired', locale: 'en', params: { document: 'identity_card' } });
    expect(expired.text).toContain('identity card');
  });
});
