import type { AccountLock, LiftedLock, LockActor, LockReason } from '../../domain/lock.js';
import type { LiftPath, LiftRefusal } from '../../domain/lock-rules.js';
import type { Result } from '../../shared/result.js';

export type { AccountLock, LiftedLock, LockActor, LockReason } from '../../domain/lock.js';
export type { LiftPath, LiftRefusal } from '../../domain/lock-rules.js';

/**
 * The public vocabulary of locking and restoration (Decision 34 Art 10, 11) for the owner's pages (`/account`) and the
 * agency API. Stable: pages depend on these names and strings.
 */

/** A lock as the owner sees it (Art 12.1.dd: locked, why, and how to lift it). */
export interface LockView {
  id: string;
  reason: LockReason;
  /** Article of the lock, e.g. `Decision 34 Art 10.1`. */
  legalBasis: string;
  /** The kind of party that asked; the id of an agency or service user is not shown to the owner. */
  requestedByKind: LockActor['kind'];
  /** Epoch ms. */
  at: number;
  note?: string;
  /** How the lock is lifted (show the matching explanation). */
  howToLift: LiftPath;
  /** True when the owner may lift it now (own lock, or a terms lock whose remediation is recorded). */
  ownerMayLiftNow: boolean;
}

/** The account's status for the owner: usable only while no lock is open (Art 10). */
export interface OwnerLockStatus {
  locked: boolean;
  locks: LockView[];
}

/** After a lift: whether the account is usable again (other locks may still be open). */
export interface LiftOutcome {
  lifted: LiftedLock;
  accountUsable: boolean;
}

export type OwnerLockFailure = 'account_not_found';

/** Who the owner is and in which language they are told (the notification of the lock or restoration). */
export interface OwnerRequest {
  accountId: string;
  locale: 'vi' | 'en';
  /** Coarse location for the audit trail (an IP prefix), never a full address. */
  location?: string;
}

/**
 * What the owner's pages call; `container.locks` implements it (flows/locks/account-locking.ts). Note for the pages: a
 * locked account cannot sign in anywhere (no OIDC session can be created or kept for it, the account pages' own client
 * included), so lifting one's own lock is done without a session: the page verifies the owner (login name, password,
 * one-time code to the registered contact) and then calls `liftOwnLock`; `statusOf` needs no session either.
 *
 * What the owner's pages call. Every lock and lift takes effect at once in every instance, is audited with the actor
 * and legal basis, and the owner is notified (SMS/email).
 */
export interface OwnerLockOperations {
  /** Open locks with reasons and how to lift each (Art 12.1.dd). */
  statusOf(accountId: string): Promise<OwnerLockStatus>;
  /**
   * Locks the account at the owner's request, immediately (Art 10.1): sessions ended, grants revoked, relying parties
   * told by back-channel logout. The caller has authenticated the owner.
   */
  lockOwnAccount(request: OwnerRequest & { note?: string }): Promise<Result<AccountLock, OwnerLockFailure>>;
  /**
   * Lifts one of the owner's locks (Art 11.1; a terms lock after remediation, Art 11.3). The caller has verified the
   * owner (one-time code). A refusal is audited.
   */
  liftOwnLock(request: OwnerRequest & { lockId: string }): Promise<Result<LiftOutcome, LiftRefusal | OwnerLockFailure>>;
}
