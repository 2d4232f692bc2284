import type { FieldProblem, MessageKey } from '../view-models.js';

/**
 * The models of the level-2 pages (views/level2/*). Every string is escaped by the template engine; text comes from
 * message keys (views/locales level2.*), never from the handler.
 */

/** Where the person goes when they stop: the account overview, or back to the relying party's sign-in page. */
export interface Level2Exit {
  href: string;
  /** `level2.exit.account` or `level2.exit.signIn`. */
  labelKey: MessageKey;
}

/** `level2/consent` — posts `accept=yes` and `_csrf` to `action`. */
export interface Level2ConsentViewModel {
  action: string;
  csrfToken: string;
  /** The paragraphs of the consent text, in order (message keys); their text is what is recorded. */
  paragraphs: MessageKey[];
  consentVersion: string;
  attemptsLeft: number;
  attemptsTotal: number;
  windowHours: number;
  clientName?: string;
  problems: FieldProblem<'accept'>[];
  exit: Level2Exit;
}

/** `level2/photo` — multipart post of `photo` (one JPEG or PNG) and `_csrf` to `action`. */
export interface Level2PhotoViewModel {
  action: string;
  csrfToken: string;
  attemptsLeft: number;
  windowHours: number;
  maxMegabytes: number;
  problems: FieldProblem<'photo'>[];
  exit: Level2Exit;
}

export type Level2ResultKind =
  | 'matched'
  | 'already_level_2'
  | 'not_matched'
  | 'attempts_exhausted'
  | 'reference_unavailable'
  | 'unavailable';

/** `level2/result` — what came of the attempt, and what the person can do next. */
export interface Level2ResultViewModel {
  kind: Level2ResultKind;
  attemptsLeft?: number;
  /** Formatted for people, in Vietnam time: when another attempt becomes possible. */
  nextAttemptAt?: string;
  /** Matched or already level 2: how (face or fpt) and when (formatted). */
  verifiedWith?: 'face' | 'fpt';
  verifiedOn?: string;
  /** Where "Try again" leads (another photo), when trying again makes sense now. */
  retryUrl?: string;
  exit: Level2Exit;
}
