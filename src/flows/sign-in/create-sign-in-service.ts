import type { SignInConfig } from '../../config/signin-config.js';
import { DEFAULT_OTP_POLICY, type OtpPolicy } from '../../domain/otp-policy.js';
import type { AccountLockStatus, FailureThrottle, FlowStore, NotificationSender, RateLimiter, TotpEnrolmentStore } from '../../domain/ports.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { PasswordSignIn } from '../password-sign-in.js';
import { RegistrationSecrets, type SecretSource } from '../registration/registration-secrets.js';
import { PasswordStep } from './password-step.js';
import { PhoneCodeFactor, type SignInCodeState } from './phone-code-factor.js';
import { TotpSecretSealer } from './totp-sealing.js';
import { TotpFactor } from './totp-factor.js';

const SECOND_MS = 1000;

/**
 * Sign-in as the pages use it: the password (every sign-in), then for level 2 a second factor, a code to the
 * registered phone or a TOTP app (Decision 34 Art 5.1.b; NIST SP 800-63B AAL2).
 */
export interface SignInService {
  password: PasswordStep;
  phoneCode: PhoneCodeFactor;
  totp: TotpFactor;
}

export interface SignInDependencies {
  signIn: PasswordSignIn;
  locks: AccountLockStatus;
  codeFlows: FlowStore<SignInCodeState>;
  totpStore: TotpEnrolmentStore;
  sender: NotificationSender;
  /** Sign-in codes per phone number (config `signIn.code.sendsPerPhone`). */
  codeSendsPerPhone: RateLimiter;
  throttles: { password: FailureThrottle; ip: FailureThrottle; phoneCode: FailureThrottle; totp: FailureThrottle };
  clock: Clock;
  logger?: Logger;
  /** Server secrets, newest first: code hashes, limit-key pseudonyms and the sealing of TOTP secrets. */
  secrets: SecretSource;
}

/** The phone-code rules from `signIn.code` (6 digits like every code of the provider). */
export function signInCodePolicyOf(config: SignInConfig): OtpPolicy {
  return {
    codeDigits: DEFAULT_OTP_POLICY.codeDigits,
    codeTtlMs: config.code.ttlSeconds * SECOND_MS,
    maxAttemptsPerCode: config.code.attemptsPerCode,
    // The failure counter that matters is the throttle's (disabled after `secondFactorFailures.disableAfterFailures`).
    maxFailuresPerRegistration: Math.max(config.secondFactorFailures.disableAfterFailures, 1),
    maxResendsPerHour: config.code.resendsPerHour,
    minSendIntervalMs: config.code.resendIntervalSeconds * SECOND_MS,
  };
}

/** Built once in container.ts. */
export function createSignInService(deps: SignInDependencies, config: SignInConfig): SignInService {
  const secrets = new RegistrationSecrets(deps.secrets);
  const logger = deps.logger ? { logger: deps.logger } : {};
  return {
    password: new PasswordStep({
      signIn: deps.signIn,
      throttle: deps.throttles.password,
      ipThrottle: deps.throttles.ip,
      locks: deps.locks,
      secrets,
      ...logger,
    }),
    phoneCode: new PhoneCodeFactor(
      {
        flows: deps.codeFlows,
        sender: deps.sender,
        secrets,
        sendsPerPhone: deps.codeSendsPerPhone,
        throttle: deps.throttles.phoneCode,
        ipThrottle: deps.throttles.ip,
        clock: deps.clock,
        ...logger,
      },
      signInCodePolicyOf(config),
    ),
    totp: new TotpFactor(
      {
        store: deps.totpStore,
        sealer: new TotpSecretSealer(deps.secrets),
        throttle: deps.throttles.totp,
        ipThrottle: deps.throttles.ip,
        clock: deps.clock,
        ...logger,
      },
      { issuer: config.totp.issuer, enrolmentMs: config.totp.enrolmentSeconds * SECOND_MS, driftSteps: config.totp.driftSteps },
    ),
  };
}
