import type { Account } from '../../domain/account.js';
import type { LockView } from '../../flows/locks/types.js';
import type { DependantView, SignInView } from '../../flows/account/types.js';
import type { Locale } from '../i18n.js';
import { nationalityOptions } from '../nationalities.js';
import type { AccountOverviewViewModel, DependantItem, LockItem, SignInItem } from './account-view-models.js';

/**
 * What leaves the server on the owner's pages, decided in one place (outline's presenters): times in Vietnam's time
 * zone in the page language, message keys for every coded value, the agency's or service user's id never shown
 * (only the kind of party that asked).
 */

const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const formatters = new Map<Locale, Intl.DateTimeFormat>();

/** "24/11/2026 09:15" (vi) or "24/11/2026, 09:15" (en), Vietnam time. */
export function timeText(epochMs: number, locale: Locale): string {
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
      timeZone: TIME_ZONE,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    formatters.set(locale, formatter);
  }
  return formatter.format(new Date(epochMs));
}

/** An ISO date (YYYY-MM-DD) as people in Vietnam write it: 17/05/1990. */
export function dateText(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : isoDate;
}

export function lockItem(lock: LockView, locale: Locale): LockItem {
  return {
    reasonKey: `account.lock.reason.${lock.reason}`,
    requestedByKey: `account.lock.requestedBy.${lock.requestedByKind}`,
    legalBasis: lock.legalBasis,
    atText: timeText(lock.at, locale),
    atIso: new Date(lock.at).toISOString(),
    // A terms lock whose remediation is recorded can now be lifted by the owner: say so rather than "wait".
    howToLiftKey: lock.ownerMayLiftNow ? 'account.lock.howToLift.owner' : `account.lock.howToLift.${lock.howToLift}`,
    ...(lock.note ? { note: lock.note } : {}),
  };
}

export function signInItem(signIn: SignInView, locale: Locale, clientNames: ReadonlyMap<string, string>): SignInItem {
  return {
    atText: timeText(signIn.at, locale),
    atIso: new Date(signIn.at).toISOString(),
    service: signIn.clientId === undefined ? '—' : (clientNames.get(signIn.clientId) ?? signIn.clientId),
    ...(signIn.level ? { level: signIn.level } : {}),
    locationKey: `account.location.${signIn.location}`,
  };
}

export function dependantItem(dependant: DependantView): DependantItem {
  return {
    fullName: dependant.fullName,
    birthDateText: dateText(dependant.birthDate),
    statusKey: `account.dependants.status.${dependant.status}`,
    level: dependant.level,
  };
}

function nationalityName(code: string | undefined, locale: Locale, statelessName: string): string | undefined {
  if (code === undefined) return undefined;
  return nationalityOptions(locale, statelessName).find((option) => option.code === code)?.name ?? code;
}

/** The identity data as held (Decision 34 Art 4), and the level with how it was verified (Art 5.1.b). */
export function identityOf(
  account: Account,
  locale: Locale,
  statelessName: string,
): Pick<AccountOverviewViewModel, 'identity' | 'level' | 'verification' | 'phone' | 'email'> {
  const { identity } = account;
  const verification = account.level === 2 ? account.levelVerification : undefined;
  return {
    level: account.level,
    ...(verification
      ? {
          verification: {
            channelKey: `account.level.channel.${verification.channel}`,
            methodKey: `account.level.method.${verification.method}`,
            atText: timeText(verification.at, locale),
            atIso: new Date(verification.at).toISOString(),
          },
        }
      : {}),
    identity: {
      kind: identity.kind,
      fullName: identity.fullName,
      birthDateText: dateText(identity.birthDate),
      gender: identity.gender,
      ...(identity.idNumber ? { idNumber: identity.idNumber } : {}),
      ...(identity.passportNumber ? { passportNumber: identity.passportNumber } : {}),
      ...(identity.nationality ? { nationality: nationalityName(identity.nationality, locale, statelessName) } : {}),
    },
    ...(account.phone ? { phone: account.phone } : {}),
    ...(account.email ? { email: account.email } : {}),
  };
}
