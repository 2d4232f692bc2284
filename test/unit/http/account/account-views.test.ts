import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { LockView } from '../../../../src/flows/locks/types.js';
import { LOCK_REASONS } from '../../../../src/domain/lock.js';
import { LOCK_RULES } from '../../../../src/domain/lock-rules.js';
import { lockItem } from '../../../../src/http/account/account-presenter.js';
import type {
  AccountCodeViewModel,
  AccountContactViewModel,
  AccountOverviewViewModel,
  AccountPasswordViewModel,
  AccountServicesViewModel,
  AccountStatusViewModel,
  AccountUnlockViewModel,
} from '../../../../src/http/account/account-view-models.js';
import { LOCALES } from '../../../../src/http/i18n.js';
import { Views } from '../../../../src/http/views.js';

/**
 * The owner's pages render in both languages from their view models, with every message key translated (a missing
 * key would show as the key itself), every value escaped, and each lock reason explained with how it is lifted.
 */

const views = new Views({ dir: join(process.cwd(), 'views'), defaultLocale: 'vi', cache: true });
const HOSTILE = '<script>alert("x")</script>';
const AT = Date.UTC(2026, 10, 24, 2, 15);

const lockOf = (reason: (typeof LOCK_REASONS)[number]): LockView => ({
  id: `lock-${reason}`,
  reason,
  legalBasis: LOCK_RULES[reason].article,
  requestedByKind: LOCK_RULES[reason].openedBy[0] ?? 'owner',
  at: AT,
  note: HOSTILE,
  howToLift: LOCK_RULES[reason].liftPath,
  ownerMayLiftNow: reason === 'owner_request',
});

const links = { lock: '/account/lock', password: '/account/password', phone: '/account/contact?kind=phone', email: '/account/contact?kind=email', dependants: '/account/dependants', signOut: '/session/end' };

function overview(locale: 'vi' | 'en'): AccountOverviewViewModel {
  return {
    notice: 'account.notice.passwordChanged',
    locked: true,
    locks: LOCK_REASONS.map((reason) => lockItem(lockOf(reason), locale)),
    level: 2,
    verification: { channelKey: 'account.level.channel.in_person', methodKey: 'account.level.method.fpt', atText: '24/11/2026 09:15', atIso: new Date(AT).toISOString() },
    identity: { kind: 'foreigner', fullName: HOSTILE, birthDateText: '17/05/1990', gender: 'female', passportNumber: 'TP9000001', nationality: 'Nhật Bản' },
    phone: '+84901234567',
    email: 'a@example.vn',
    signIns: (['private_network', 'vietnam', 'abroad', 'internet', 'unknown'] as const).map((location) => ({
      atText: '24/11/2026 09:15',
      atIso: new Date(AT).toISOString(),
      service: HOSTILE,
      level: 1 as const,
      locationKey: `account.location.${location}`,
    })),
    dependants: [
      { fullName: 'Lê Minh Khôi', birthDateText: '03/09/2015', statusKey: 'account.dependants.status.active', level: 1 },
      { fullName: 'Lê Minh An', birthDateText: '03/09/2016', statusKey: 'account.dependants.status.pending_activation', level: 1 },
    ],
    links: { ...links, services: '/account/services', level2: '/account/level2', authenticator: '/account/authenticator' },
  };
}

const pages = (locale: 'vi' | 'en'): [string, object][] => [
  ['account/overview', overview(locale)],
  ['account/overview', { ...overview(locale), notice: undefined, locked: false, locks: [], level: 1, verification: undefined, signIns: [], dependants: [], links }],
  ['account/lock', { action: '/account/lock', csrfToken: 't', backUrl: '/account' }],
  ...(['account.locked', 'account.unlock.othersOnly', 'account.unlock.notLocked', 'account.unlock.done', 'account.unlock.stillLocked'] as const).map(
    (prefix): [string, AccountStatusViewModel] => [
      'account/status',
      { titleKey: `${prefix}.title`, messageKey: `${prefix}.message`, role: 'alert', locks: [lockItem(lockOf('agency_request'), locale)], unlockUrl: '/account/unlock', signInUrl: '/account' },
    ],
  ),
  [
    'account/unlock',
    {
      action: '/account/unlock',
      csrfToken: 't',
      problems: (['idNumber', 'passportNumber', 'nationality', 'password', 'channel'] as const).map((field) => ({ field, message: `account.unlock.problems.${field}` })),
      refusal: 'account.unlock.refusal.invalid_credentials',
      form: { kind: 'foreigner', passportNumber: HOSTILE, channel: 'email' },
    } satisfies AccountUnlockViewModel,
  ],
  ...(['contact_change', 'unlock'] as const).map((purpose): [string, AccountCodeViewModel] => [
    'account/code',
    {
      purpose,
      action: '/c',
      resendAction: '/r',
      csrfToken: 't',
      channel: 'email',
      maskedContact: 'ng***@example.vn',
      codeMinutesLeft: 4,
      resendInMinutes: 0,
      notice: 'account.code.notice.sent',
      problems: [{ field: 'code', message: 'registration.problems.code_invalid', vars: { count: 2 } }],
      startAgainUrl: '/account',
    },
  ]),
  [
    'account/password',
    {
      action: '/account/password',
      csrfToken: 't',
      minLength: 8,
      maxLength: 64,
      problems: [
        { field: 'currentPassword', message: 'account.password.problems.current_password_wrong' },
        { field: 'newPassword', message: 'account.password.problems.new_password_unchanged' },
      ],
      backUrl: '/account',
    } satisfies AccountPasswordViewModel,
  ],
  ...(['phone', 'email'] as const).map((kind): [string, AccountContactViewModel] => [
    'account/contact',
    { kind, action: '/account/contact', csrfToken: 't', current: HOSTILE, value: HOSTILE, problems: [{ field: 'value', message: 'account.contact.problems.same_contact' }], backUrl: '/account' },
  ]),
  ['account/services', { notice: 'account.services.notice.revoked', services: [{ clientId: 'portal', name: HOSTILE }], revokeAction: '/r', csrfToken: 't', backUrl: '/account' } satisfies AccountServicesViewModel],
  ['account/services', { services: [], revokeAction: '/r', csrfToken: 't', backUrl: '/account' } satisfies AccountServicesViewModel],
];

describe('the owner pages', () => {
  it.each(LOCALES)('render in %s with every message translated and every value escaped', (locale) => {
    for (const [template, model] of pages(locale)) {
      const html = views.render(template, model, locale, { method: 'GET', path: '/account', querystring: '' });
      expect({ template, raw: html.match(/\b(?:account|registration|login)\.[a-zA-Z_]+\.[a-zA-Z_.]+/g) ?? [] }).toEqual({ template, raw: [] });
      expect(html).not.toContain(HOSTILE);
      expect(html).toMatch(/<h1[ >]/);
    }
  });

  it('explains every lock reason and how it is lifted (Art 10, 11)', () => {
    const html = views.render('account/overview', overview('en'), 'en');
    for (const reason of LOCK_REASONS) {
      expect(html).toContain(views.translator.t('en', `account.lock.reason.${reason}`));
      expect(html).toContain(LOCK_RULES[reason].article);
    }
    for (const path of ['owner', 'requesting_party', 'registry_correction', 'document_renewal']) {
      expect(html).toContain(views.translator.t('en', `account.lock.howToLift.${path}`).replace(/'/g, '&#39;'));
    }
  });
});
