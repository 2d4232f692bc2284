import type Provider from 'oidc-provider';
import type { AcrNames } from '../../domain/levels.js';
import type { AccountStore } from '../../domain/ports.js';
import type { SignInService } from '../../flows/sign-in/create-sign-in-service.js';
import type { Clock } from '../../shared/clock.js';
import type { LoginFailureReason } from '../metrics.js';
import type { render } from '../views.js';

/** What the sign-in pages of an interaction need (password, second factor, level offer, locked). */
export interface SignInPagesDeps {
  provider: Provider;
  signIn: SignInService;
  accounts: AccountStore;
  acrNames: AcrNames;
  /**
   * The flows' clock: sign-ins record their time with it (session `loginTs`, hence `auth_time`), and the level-2 window
   * and max_age are measured on it.
   */
  clock: Clock;
  /** The issuer name authenticator apps show (config `signIn.totp.issuer`). */
  totpIssuer: string;
  render: typeof render;
  onLogin: (outcome: 'success' | LoginFailureReason) => void;
  /** Writes a refused password sign-in to the audit trail (the owner sees failed attempts on their account page). */
  recordRefusal: (loginKey: string, reason: 'invalid_credentials' | 'wait' | 'disabled' | 'locked', ip: string) => Promise<void>;
  /** The owner's account page, where a missing phone number is added. */
  accountUrl: string;
  /** Where the owner of a locked account reads why and lifts a lock they may lift (it works signed out). */
  unlockUrl: string;
  /** The level-2 verification pages of an interaction (src/http/level2), offered to a level-1 account. */
  levelTwoVerificationPath: (uid: string) => string;
  /** Where the owner of a login name whose password sign-in was disabled recovers it, when such a page is mounted. */
  recoveryPath?: (uid: string) => string;
}
