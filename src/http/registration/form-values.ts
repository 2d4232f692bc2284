import { AppError } from '../../domain/errors.js';
import type { FieldProblem, RegistrationField, RegistrationFormValues } from '../view-models.js';

/**
 * Turning a posted registration form into what the page echoes back and what the service receives. Echoed values are
 * capped at the DTO's lengths, so an oversized post never comes back whole; nothing secret is on these forms.
 */

const text = (body: Record<string, unknown>, name: string, max: number): string | undefined => {
  const value = body[name];
  return typeof value === 'string' ? value.slice(0, max) : undefined;
};

export function echoFormValues(body: Record<string, unknown>): RegistrationFormValues {
  const gender = body.gender === 'male' || body.gender === 'female' ? body.gender : undefined;
  const channel = body.channel === 'sms' || body.channel === 'email' ? body.channel : undefined;
  const dependantKind = body.dependantKind === 'citizen' || body.dependantKind === 'foreigner' ? body.dependantKind : undefined;
  return {
    dependantKind,
    idNumber: text(body, 'idNumber', 20),
    passportNumber: text(body, 'passportNumber', 20),
    nationality: text(body, 'nationality', 3),
    fullName: text(body, 'fullName', 100),
    birthDay: text(body, 'birthDay', 4),
    birthMonth: text(body, 'birthMonth', 4),
    birthYear: text(body, 'birthYear', 6),
    gender,
    phone: text(body, 'phone', 32),
    email: text(body, 'email', 254),
    channel,
    acceptTerms: body.acceptTerms === 'yes',
    acceptDataProcessing: body.acceptDataProcessing === 'yes',
  };
}

/** DTO property -> the field the page marks (the birth date's three inputs share one message) and its message key. */
const FIELD_OF_PROPERTY: Record<string, RegistrationField> = {
  dependantKind: 'dependantKind',
  idNumber: 'idNumber',
  passportNumber: 'passportNumber',
  nationality: 'nationality',
  fullName: 'fullName',
  birthDay: 'birthDay',
  birthMonth: 'birthDay',
  birthYear: 'birthDay',
  gender: 'gender',
  phone: 'phone',
  email: 'email',
  channel: 'channel',
  acceptTerms: 'consent',
  acceptDataProcessing: 'consent',
};

const MESSAGE_OF_FIELD: Record<RegistrationField, string> = {
  dependantKind: 'registration.problems.dependantKind',
  idNumber: 'registration.problems.idNumber',
  passportNumber: 'registration.problems.passportNumber',
  nationality: 'registration.problems.nationality',
  fullName: 'registration.problems.fullName',
  birthDay: 'registration.problems.birthDate',
  gender: 'registration.problems.gender',
  phone: 'registration.problems.phone',
  email: 'registration.problems.email',
  channel: 'registration.problems.channel',
  consent: 'registration.problems.consent',
};

/** Page order, so the error summary lists problems as the form shows the fields. */
const FIELD_ORDER: RegistrationField[] = [
  'dependantKind',
  'idNumber',
  'passportNumber',
  'nationality',
  'fullName',
  'birthDay',
  'gender',
  'phone',
  'email',
  'channel',
  'consent',
];

/**
 * Problems for the DTO's invalid properties, plus a missing consent (asked before the registry is: no personal data is
 * processed without it). A property no form has (`_csrf` aside) means a forged post: refused outright.
 */
export function formProblems(invalidProperties: readonly string[], values: RegistrationFormValues): FieldProblem<RegistrationField>[] {
  const fields = new Set<RegistrationField>();
  for (const property of invalidProperties) {
    const mapped = FIELD_OF_PROPERTY[property];
    if (mapped === undefined) throw new AppError('bad_request', 'unexpected form field');
    fields.add(mapped);
  }
  if (!values.acceptTerms || !values.acceptDataProcessing) fields.add('consent');
  return FIELD_ORDER.filter((name) => fields.has(name)).map((name) => ({ field: name, message: MESSAGE_OF_FIELD[name] }));
}

/** Decision 34 Art 6.4.c: the three fields as an ISO date; whether it is a real date is the service's check. */
export function birthDateOf(form: { birthDay: string; birthMonth: string; birthYear: string }): string {
  return `${form.birthYear.trim()}-${form.birthMonth.trim().padStart(2, '0')}-${form.birthDay.trim().padStart(2, '0')}`;
}

/** Identity numbers as people type them, with spaces between groups of digits. */
export const withoutSpaces = (value: string): string => value.replace(/\s+/g, '');
