import { AppError, DependencyUnavailableError } from '../../domain/errors.js';
import type { StartRegistrationError } from '../../flows/registration/types.js';
import type { MessageKey, RegistrationField } from '../view-models.js';

/**
 * What a page shows when a registration could not start. Three shapes:
 *   field    a problem with what was typed, shown next to the field (400);
 *   refusal  decided after the registry was asked, shown above the form, not tied to a field;
 *   thrown   rate limits (429) and an unreachable registry (503) go through the one error page machinery.
 *
 * `no_match` covers "no such person", "declared data differ", deceased and invalidated numbers alike (the service
 * never tells them apart, and neither does this page: one message, one status). The other refusals are only reachable
 * once the declared Art 6.4.a–dd data matched a record completely, so naming them tells a guesser nothing new
 * (flows/registration/types.ts).
 */
export type StartOutcomeDisplay =
  | { kind: 'field'; field: RegistrationField; message: MessageKey; status: 400 }
  | { kind: 'refusal'; message: MessageKey; status: number }
  | { kind: 'thrown'; error: AppError };

const field = (name: RegistrationField, message: MessageKey): StartOutcomeDisplay => ({ kind: 'field', field: name, message, status: 400 });
const refusal = (error: StartRegistrationError, status: number): StartOutcomeDisplay => ({
  kind: 'refusal',
  message: `registration.refusal.${error}`,
  status,
});

export function displayStartError(error: StartRegistrationError, identifyingField: 'idNumber' | 'passportNumber'): StartOutcomeDisplay {
  switch (error) {
    case 'invalid_id_number':
      // Decision 34 Art 4.1.a: not 12 digits, or digits that contradict the declared birth date and gender.
      return field('idNumber', 'registration.problems.invalid_id_number');
    case 'invalid_phone':
      return field('phone', 'registration.problems.invalid_phone');
    case 'invalid_email':
      return field('email', 'registration.problems.invalid_email');
    case 'contact_missing':
      return field('channel', 'registration.problems.contact_missing');
    case 'consent_required':
      return field('consent', 'registration.problems.consent');
    case 'invalid_identity':
      // Malformed name, impossible date, or a passport / nationality in the wrong shape: the page cannot say which.
      return field(identifyingField === 'passportNumber' ? 'passportNumber' : 'fullName', 'registration.problems.invalid_identity');
    case 'rate_limited':
      return { kind: 'thrown', error: new AppError('rate_limited') };
    case 'registry_unavailable':
      // Decision 34 Art 7 + ARCHITECTURE convention 8: nothing was created; "try again later" (503).
      return { kind: 'thrown', error: new DependencyUnavailableError('registry') };
    case 'no_match':
      return refusal(error, 422);
    case 'account_exists':
      return refusal(error, 409);
    case 'too_young':
    case 'residence_not_eligible':
    case 'must_register_self':
    case 'representative_required':
      return refusal(error, 422);
    case 'not_parent_or_guardian':
    case 'representative_not_qualified':
      return refusal(error, 403);
    default: {
      const unexpected: never = error;
      throw new Error(`unknown registration outcome ${String(unexpected)}`);
    }
  }
}
