import { parsePhoneNumberFromString } from 'libphonenumber-js/core';
// The full metadata ("max"), which tells mobile ranges from fixed lines; its ES module form, not the JSON file.
import metadata from 'libphonenumber-js/max/metadata';
import { fail, ok, type Result } from '../shared/result.js';

/**
 * The contact details declared at registration (Decision 34 Art 6.4.e: telephone number, email address), to which the
 * activation request is sent (Art 7.1). Both are normalised once, here, so that the same phone number or address
 * always reaches the same limits and the same records whatever way it was typed.
 */

/** Numbers without a country code are read as Vietnamese ("0901 234 567" = +84901234567). */
export const DEFAULT_PHONE_REGION = 'VN';

/**
 * Kinds of number an SMS can reach. The full metadata ("max") tells mobile ranges from fixed lines, premium-rate and
 * shared-cost numbers; some countries (the US, ...) cannot tell mobile from fixed line by the number alone.
 */
const SMS_CAPABLE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * Parses a phone number typed in any usual way ("0901234567", "+84 90 123 4567", "(+84) 901-234-567", a foreign
 * number with its country code) into E.164 ("+84901234567"). Refused unless it is a valid number that can receive SMS,
 * since the activation code may be sent there.
 */
export function normalisePhoneNumber(input: string): Result<string, 'invalid_phone'> {
  const typed = input.trim();
  // The longest E.164 number is 15 digits; leave room for spaces and punctuation, refuse anything far longer.
  if (typed.length === 0 || typed.length > 32) return fail('invalid_phone');
  const parsed = parsePhoneNumberFromString(typed, DEFAULT_PHONE_REGION, metadata);
  if (!parsed || !parsed.isValid()) return fail('invalid_phone');
  const type = parsed.getType();
  if (type === undefined || !SMS_CAPABLE_TYPES.has(type)) return fail('invalid_phone');
  return ok(parsed.number);
}

/** RFC 5321 4.5.3.1: at most 64 octets before the @, 255 after, and a path of 256 (so 254 for the address). */
const MAX_LOCAL_LENGTH = 64;
const MAX_ADDRESS_LENGTH = 254;
/** The dot-atom local part of RFC 5322 (no quoted strings, no comments: no mail provider hands those out). */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** A letter-digit-hyphen label; internationalised domains are accepted in their ASCII (xn--) form. */
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LEVEL_DOMAIN = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * Validates an email address and returns it with the domain in lower case (domains are case-insensitive; the local
 * part is kept as typed because RFC 5321 lets the receiving server treat it case-sensitively).
 */
export function normaliseEmailAddress(input: string): Result<string, 'invalid_email'> {
  const typed = input.trim();
  if (typed.length === 0 || typed.length > MAX_ADDRESS_LENGTH) return fail('invalid_email');
  const at = typed.lastIndexOf('@');
  if (at <= 0 || at === typed.length - 1) return fail('invalid_email');
  const local = typed.slice(0, at);
  const domain = typed.slice(at + 1).toLowerCase();
  if (local.length > MAX_LOCAL_LENGTH || !LOCAL_PART.test(local)) return fail('invalid_email');
  const labels = domain.split('.');
  const topLevel = labels[labels.length - 1] ?? '';
  // An address must name a host under a top-level domain; "user@localhost" cannot receive mail from us.
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label)) || !TOP_LEVEL_DOMAIN.test(topLevel)) {
    return fail('invalid_email');
  }
  return ok(`${local}@${domain}`);
}

/**
 * The form of a contact used as a key (limits per phone number or address): an E.164 number as is, an address
 * entirely in lower case, because providers treat "An@x.vn" and "an@x.vn" as one mailbox.
 */
export const contactKeyOf = (contact: string): string => contact.toLowerCase();

/**
 * A contact partly hidden, to remind the person where the code went without showing the whole contact to whoever
 * looks at the screen: "+84901234567" -> "+8490*****67", "nguyen.an@example.vn" -> "ng*******@example.vn".
 */
export function maskContact(contact: string): string {
  const at = contact.lastIndexOf('@');
  if (at > 0) {
    const local = contact.slice(0, at);
    const shown = local.length <= 2 ? local.slice(0, 1) : local.slice(0, 2);
    return `${shown}${'*'.repeat(Math.max(local.length - shown.length, 1))}${contact.slice(at)}`;
  }
  if (contact.length <= 7) return `${contact.slice(0, 2)}${'*'.repeat(Math.max(contact.length - 2, 1))}`;
  return `${contact.slice(0, 5)}${'*'.repeat(contact.length - 7)}${contact.slice(-2)}`;
}
