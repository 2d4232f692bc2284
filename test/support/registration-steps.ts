import { join } from 'node:path';
import type { CitizenRecord, ForeignerRecord, RegistryRecord } from '../../src/domain/registry.js';
import { Translator, type Locale, type TranslationVars } from '../../src/http/i18n.js';
import { devPersonas, type DevPersonas } from '../../src/registries/synthetic/dev-personas.js';
import { ManualClock } from '../../src/shared/clock.js';
import { TEST_REGISTRY_AS_OF } from './provider-harness.js';
import type { Page, UserAgent } from './user-agent.js';

/**
 * Steps of the registration journeys (login.gov's feature-spec helpers, for our pages): the people of the test
 * registry, the form fields they would type, reading the activation code from the development outbox, and the walk
 * through the pages. Pages are asked for in English (`?lang=en` sets the language cookie) and checked against the
 * same catalogue the pages use, so a test reads as what a person sees.
 */

/** The named people of the test registry (docs/registry/dataset.md). */
export const personas: DevPersonas = devPersonas(TEST_REGISTRY_AS_OF);

/**
 * The flows' clock for registration journeys: 10:00 in Vietnam on the dataset's as-of date, so the personas have the
 * ages the dataset documents whatever the date the tests run on; moved by hand to expire codes.
 */
export function registrationClock(): ManualClock {
  return new ManualClock(Date.parse(`${TEST_REGISTRY_AS_OF}T03:00:00Z`));
}

const catalogue = new Translator({ localesDir: join(process.cwd(), 'views', 'locales'), defaultLocale: 'vi' });

/** The text a person sees for a message key, as the page writes it (HTML-escaped). */
export function shown(key: string, vars?: TranslationVars, locale: Locale = 'en'): string {
  return escapeHtml(catalogue.t(locale, key, vars));
}

export const escapeHtml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The refusal paragraph of a form page, or undefined: what tells a refusal from a field problem. */
export function refusalOf(page: Page): string | undefined {
  return /<p class="error-summary__refusal">([^<]*)<\/p>/.exec(page.html)?.[1];
}

export interface Contact {
  /** As typed: a Vietnamese mobile number in national format. */
  phone: string;
  email: string;
}

let contactSequence = 0;

/** A phone number and an address no other journey uses, so the outbox can be read per person. */
export function freshContact(): Contact {
  contactSequence += 1;
  const serial = String(process.pid % 1000).padStart(3, '0') + String(contactSequence).padStart(3, '0');
  return { phone: `0912${serial}`, email: `person${serial}@example.vn` };
}

/** The outbox filter for a contact: the E.164 form of the phone number, or the address. */
export const recipientOf = (contact: Contact, channel: 'sms' | 'email'): string =>
  channel === 'sms' ? `+84${contact.phone.slice(1)}` : contact.email;

function birthFields(record: RegistryRecord): Record<string, string> {
  const [year = '', month = '', day = ''] = record.birthDate.split('-');
  // Typed the way people do: without leading zeros.
  return { birthDay: String(Number(day)), birthMonth: String(Number(month)), birthYear: year };
}

const consents = { acceptTerms: 'yes', acceptDataProcessing: 'yes' };

/** The Art 6.4 declaration of a citizen as the person would type it. */
export function citizenFields(record: CitizenRecord, contact: Contact, channel: 'sms' | 'email' = 'sms'): Record<string, string> {
  return {
    idNumber: record.idNumber,
    fullName: record.fullName,
    ...birthFields(record),
    gender: record.gender,
    phone: contact.phone,
    email: contact.email,
    channel,
    ...consents,
  };
}

export function foreignerFields(record: ForeignerRecord, contact: Contact, channel: 'sms' | 'email' = 'email'): Record<string, string> {
  return {
    passportNumber: record.passportNumber,
    nationality: record.nationality,
    fullName: record.fullName,
    ...birthFields(record),
    gender: record.gender,
    phone: contact.phone,
    email: contact.email,
    channel,
    ...consents,
  };
}

/** A dependant's declaration (Art 6.4.g), with the dependant's own contact. */
export function dependantFields(record: RegistryRecord, contact: Contact, channel: 'sms' | 'email' = 'sms'): Record<string, string> {
  const identity =
    record.kind === 'citizen'
      ? { dependantKind: 'citizen', idNumber: record.idNumber, passportNumber: '', nationality: '' }
      : { dependantKind: 'foreigner', idNumber: '', passportNumber: record.passportNumber, nationality: record.nationality };
  return {
    ...identity,
    fullName: record.fullName,
    ...birthFields(record),
    gender: record.gender,
    phone: contact.phone,
    email: contact.email,
    channel,
    ...consents,
  };
}

interface OutboxMessage {
  to: string;
  template: string;
  params: Record<string, string>;
}

/** The latest activation code sent to `to`, read from the development outbox as JSON. */
export async function readCodeFromOutbox(issuer: string, to: string): Promise<string> {
  const response = await fetch(`${issuer}/dev/outbox.json?to=${encodeURIComponent(to)}`, { headers: { accept: 'application/json' } });
  if (response.status !== 200) throw new Error(`outbox answered ${response.status}`);
  const { messages } = (await response.json()) as { messages: OutboxMessage[] };
  const code = messages.find((message) => message.template === 'activation_code')?.params.code;
  if (!code) throw new Error(`no activation code in the outbox for ${to}`);
  return code;
}

/** How many activation codes went to `to`. */
export async function codesSentTo(issuer: string, to: string): Promise<number> {
  const response = await fetch(`${issuer}/dev/outbox.json?to=${encodeURIComponent(to)}`, { headers: { accept: 'application/json' } });
  const { messages } = (await response.json()) as { messages: OutboxMessage[] };
  return messages.filter((message) => message.template === 'activation_code').length;
}

/** The templates of the messages sent to `to`, newest first (`registration_attempted` tells a holder about a registration). */
export async function templatesSentTo(issuer: string, to: string): Promise<string[]> {
  const response = await fetch(`${issuer}/dev/outbox.json?to=${encodeURIComponent(to)}`, { headers: { accept: 'application/json' } });
  const { messages } = (await response.json()) as { messages: OutboxMessage[] };
  return messages.map((message) => message.template);
}

/** Opens the registration start page in English, standalone or from the login page's "Create an account" link. */
export async function openRegistration(agent: UserAgent, url: string): Promise<Page> {
  const page = await agent.navigate(`${url}${url.includes('?') ? '&' : '?'}lang=en`);
  if (page.status !== 200) throw new Error(`expected the registration start page, got ${page.status} at ${page.url}`);
  return page;
}

/** The href of the first link whose text contains `text`. */
export function linkTo(page: Page, text: string): string {
  const link = [...page.html.matchAll(/<a\b[^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].find((match) => (match[2] ?? '').includes(text));
  if (!link?.[1]) throw new Error(`no link "${text}" on ${page.url}`);
  return new URL(link[1].replace(/&amp;/g, '&'), page.url).toString();
}

/** Start page -> the form for `kind` -> submitted declaration. Returns the page after the POST (the code page on success). */
export async function declare(agent: UserAgent, start: Page, kind: 'citizen' | 'foreigner', fields: Record<string, string>): Promise<Page> {
  const linkText = catalogue.t('en', `registration.choose.${kind}.link`);
  const form = await agent.navigate(linkTo(start, linkText));
  if (form.status !== 200) throw new Error(`expected the ${kind} form, got ${form.status}`);
  return agent.submit(form, `/${kind}`, fields);
}

/** Code page -> the code typed -> the page after (the password page on success). */
export function enterCode(agent: UserAgent, codePage: Page, code: string): Promise<Page> {
  return agent.submit(codePage, '/code', { code });
}

/** Code page -> "Send a new code". */
export function askForNewCode(agent: UserAgent, codePage: Page): Promise<Page> {
  return agent.submit(codePage, '/code/resend', {});
}

/** Password page -> the password typed twice -> the page after (done, or the relying party when `stopAt` is reached). */
export function choosePassword(agent: UserAgent, passwordPage: Page, password: string, stopAt?: string): Promise<Page> {
  return agent.submit(passwordPage, '/password', { password, passwordConfirm: password }, stopAt);
}

export const NEW_PASSWORD = 'mây trắng bay qua đồi xanh';

/**
 * The whole activation from the code page: the code read from the outbox, then the password. Returns the final page
 * (or the relying party's callback when `stopAt` is given).
 */
export async function activate(
  agent: UserAgent,
  issuer: string,
  codePage: Page,
  recipient: string,
  options: { password?: string; stopAt?: string } = {},
): Promise<Page> {
  if (codePage.status !== 200 || !codePage.url.includes('/code')) {
    throw new Error(`expected the code page, got ${codePage.status} at ${codePage.url}: ${refusalOf(codePage) ?? codePage.html.slice(0, 500)}`);
  }
  const passwordPage = await enterCode(agent, codePage, await readCodeFromOutbox(issuer, recipient));
  if (passwordPage.status !== 200 || !passwordPage.url.includes('/password')) {
    throw new Error(`expected the password page, got ${passwordPage.status} at ${passwordPage.url}`);
  }
  return choosePassword(agent, passwordPage, options.password ?? NEW_PASSWORD, options.stopAt);
}

/** Sign-in form fields of a registered person. */
export function loginFieldsOf(record: RegistryRecord, password: string = NEW_PASSWORD): Record<string, string> {
  return record.kind === 'citizen'
    ? { kind: 'citizen', idNumber: record.idNumber, password }
    : { kind: 'foreigner', passportNumber: record.passportNumber, nationality: record.nationality, password };
}
