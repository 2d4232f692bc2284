import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, DependencyUnavailableError } from '../../../../src/domain/errors.js';
import type { PasswordProblem, StartRegistrationError } from '../../../../src/flows/registration/types.js';
import { LOCALES } from '../../../../src/http/i18n.js';
import { displayStartError, type StartOutcomeDisplay } from '../../../../src/http/registration/start-outcomes.js';
import type {
  RegistrationCodeViewModel,
  RegistrationFormViewModel,
  RegistrationPasswordViewModel,
} from '../../../../src/http/view-models.js';
import { Views } from '../../../../src/http/views.js';

const VIEWS_DIR = join(process.cwd(), 'views');
const views = new Views({ dir: VIEWS_DIR, defaultLocale: 'vi', cache: true });
const HOSTILE = '<script>alert("x")</script>';
const escaped = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A plain key, or a counted one (`_other` is the form every language has). */
const hasEverywhere = (key: string): boolean =>
  LOCALES.every((locale) => views.translator.has(locale, key) || views.translator.has(locale, `${key}_other`));

/**
 * What each outcome of RegistrationApi.start* shows. Decision 34 Art 6 + flows/registration/types.ts: `no_match`
 * (which also covers deceased and invalidated identities) is one refusal; the rest may be named.
 */
const EXPECTED: Record<StartRegistrationError, { kind: StartOutcomeDisplay['kind']; status?: number; field?: string }> = {
  invalid_identity: { kind: 'field', status: 400, field: 'fullName' },
  invalid_id_number: { kind: 'field', status: 400, field: 'idNumber' },
  invalid_phone: { kind: 'field', status: 400, field: 'phone' },
  invalid_email: { kind: 'field', status: 400, field: 'email' },
  contact_missing: { kind: 'field', status: 400, field: 'channel' },
  consent_required: { kind: 'field', status: 400, field: 'consent' },
  rate_limited: { kind: 'thrown', status: 429 },
  registry_unavailable: { kind: 'thrown', status: 503 },
  no_match: { kind: 'refusal', status: 422 },
  account_exists: { kind: 'refusal', status: 409 },
  too_young: { kind: 'refusal', status: 422 },
  residence_not_eligible: { kind: 'refusal', status: 422 },
  must_register_self: { kind: 'refusal', status: 422 },
  representative_required: { kind: 'refusal', status: 422 },
  not_parent_or_guardian: { kind: 'refusal', status: 403 },
  representative_not_qualified: { kind: 'refusal', status: 403 },
};

describe('what a refused registration shows', () => {
  it.each(Object.entries(EXPECTED))('%s', (error, expected) => {
    const display = displayStartError(error as StartRegistrationError, 'idNumber');
    expect(display.kind).toBe(expected.kind);
    if (display.kind === 'thrown') {
      expect(display.error).toBeInstanceOf(AppError);
      expect(display.error.status).toBe(expected.status);
      if (expected.status === 503) expect(display.error).toBeInstanceOf(DependencyUnavailableError);
      return;
    }
    expect(display.status).toBe(expected.status);
    expect(hasEverywhere(display.message)).toBe(true);
    if (display.kind === 'field') expect(display.field).toBe(expected.field);
  });

  it('marks the passport number of a foreigner whose declared identity is malformed', () => {
    expect(displayStartError('invalid_identity', 'passportNumber')).toMatchObject({ kind: 'field', field: 'passportNumber' });
  });
});

describe('registration templates and catalogue', () => {
  it('has every key the registration templates use literally, in Vietnamese and English', () => {
    const sources = readdirSync(join(VIEWS_DIR, 'registration')).map((file) => readFileSync(join(VIEWS_DIR, 'registration', file), 'utf8'));
    const used = sources.flatMap((source) => [...source.matchAll(/it\.t\('([a-zA-Z0-9_.]+)'\s*[,)]/g)].map((match) => match[1] ?? ''));
    expect(used.length).toBeGreaterThan(30);
    expect(used.filter((key) => !hasEverywhere(key))).toEqual([]);
  });

  it('has the messages the handlers name by outcome', () => {
    const passwordProblems: PasswordProblem[] = ['password_too_short', 'password_too_long', 'password_too_common', 'password_is_personal_data'];
    const keys = [
      ...passwordProblems.map((problem) => `registration.problems.${problem}`),
      ...['code', 'code_expired', 'resend_too_soon', 'send_limit_reached', 'password_required', 'password_mismatch'].map(
        (problem) => `registration.problems.${problem}`,
      ),
      ...['citizen', 'foreigner', 'dependant'].flatMap((kind) => [`registration.form.title.${kind}`, `registration.form.intro.${kind}`]),
      ...['not_found', 'locked'].flatMap((reason) => [`registration.ended.${reason}.title`, `registration.ended.${reason}.message`]),
      ...['sent', 'deliveryFailed', 'passwordTimedOut'].map((notice) => `registration.code.notice.${notice}`),
      ...['active', 'dependantActive', 'levelTwoRequired', 'signInExpired'].map((message) => `registration.done.${message}`),
    ];
    expect(keys.filter((key) => !hasEverywhere(key))).toEqual([]);
  });

  it('counts tries and minutes in English and keeps one form in Vietnamese', () => {
    expect(views.translator.t('en', 'registration.problems.code_invalid', { count: 1 })).toContain('1 more time ');
    expect(views.translator.t('en', 'registration.problems.code_invalid', { count: 3 })).toContain('3 more times');
    expect(views.translator.t('vi', 'registration.problems.code_invalid', { count: 1 })).toBe('Mã không đúng. Bạn còn 1 lần thử với mã này.');
  });
});

describe('registration pages', () => {
  const form: RegistrationFormViewModel = {
    kind: 'citizen',
    action: '/register/citizen',
    csrfToken: 'csrf-token',
    backUrl: '/register',
    clientName: HOSTILE,
    problems: [
      { field: 'fullName', message: 'registration.problems.fullName' },
      { field: 'birthDay', message: 'registration.problems.birthDate' },
      { field: 'consent', message: 'registration.problems.consent' },
    ],
    refusal: 'registration.refusal.no_match',
    form: { idNumber: HOSTILE, fullName: HOSTILE, birthDay: HOSTILE, phone: HOSTILE, email: HOSTILE, acceptTerms: true, acceptDataProcessing: false },
  };

  it('shows what was typed as text, never as markup', () => {
    const html = views.render('registration/form', form, 'en');
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain(`value="${escaped(HOSTILE)}"`);
    expect(html).toContain(escaped(views.translator.t('en', 'registration.form.returnNotice', { clientName: HOSTILE })));
  });

  it('links each problem in the summary to its field, marks the fields, and keeps the refusal apart', () => {
    const html = views.render('registration/form', form, 'en');
    expect(html).toContain('<a href="#fullName">');
    expect(html).toContain('<a href="#birthDay">');
    expect(html).toContain('<a href="#acceptTerms">');
    expect(html).toMatch(/<p class="error-summary__refusal">[^<]+<\/p>/);
    expect(html).toMatch(/id="fullName"[^>]*aria-describedby="fullName-hint fullName-error"[^>]*aria-invalid="true"/);
    expect(html).toContain('<title>Error: Register as a Vietnamese citizen');
    expect(html).toMatch(/name="_csrf" value="csrf-token"/);
    expect(html).toContain('id="acceptTerms" name="acceptTerms" value="yes" checked');
    expect(html).not.toMatch(/id="acceptDataProcessing"[^>]* checked/);
    // Citizens are asked for the ID number only; the dependant form offers both kinds.
    expect(html).not.toContain('name="passportNumber"');
    const dependant = views.render('registration/form', { ...form, kind: 'dependant', form: { ...form.form, dependantKind: 'foreigner' } }, 'en');
    expect(dependant).toContain('name="passportNumber"');
    expect(dependant).toContain('id="dependantKind-foreigner" name="dependantKind" value="foreigner" checked');
  });

  it('code page: the masked contact, the minutes left, a resend button only when allowed', () => {
    const model: RegistrationCodeViewModel = {
      action: '/register/code',
      resendAction: '/register/code/resend',
      csrfToken: 'csrf-token',
      channel: 'sms',
      maskedContact: '+8491*****78',
      codeMinutesLeft: 4,
      resendInMinutes: 0,
      problems: [],
      startAgainUrl: '/register',
    };
    const html = views.render('registration/code', model, 'en');
    expect(html).toContain('+8491*****78');
    expect(html).toContain('autocomplete="one-time-code"');
    expect(html).toContain('The code works for 4 more minutes.');
    expect(html).toContain('action="/register/code/resend"');
    const later = views.render('registration/code', { ...model, resendInMinutes: 1, codeMinutesLeft: undefined }, 'en');
    expect(later).not.toContain('action="/register/code/resend"');
    expect(later).toContain('You can ask for a new code in 1 minute.');
    expect(later).toContain(views.translator.t('en', 'registration.code.noUsableCode'));
  });

  it('password page: new-password inputs, the policy in words, never a value echoed', () => {
    const model: RegistrationPasswordViewModel = {
      action: '/register/password',
      csrfToken: 'csrf-token',
      minLength: 8,
      maxLength: 64,
      problems: [{ field: 'password', message: 'registration.problems.password_too_short', vars: { minLength: 8, maxLength: 64 } }],
    };
    const html = views.render('registration/password', model, 'vi');
    expect(html.match(/autocomplete="new-password"/g)).toHaveLength(2);
    expect(html).toContain('Từ 8 đến 64 ký tự.');
    expect(html).toContain('Mật khẩu phải có ít nhất 8 ký tự.');
    expect(html).not.toMatch(/type="password"[^>]*value=/);
  });
});
