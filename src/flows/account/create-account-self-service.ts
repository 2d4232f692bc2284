import type { AccountPagesConfig } from '../../config/account-pages-config.js';
import type { HomeRanges } from '../../domain/network-location.js';
import { DEFAULT_PASSWORD_POLICY } from '../../domain/password-policy.js';
import type { AccountStore, AuditTrail, FlowStore, NotificationSender, PasswordHasher, RateLimiter } from '../../domain/ports.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { OwnerLockOperations } from '../locks/types.js';
import { otpPolicyOf } from '../registration/create-registration-service.js';
import { RegistrationSecrets, type SecretSource } from '../registration/registration-secrets.js';
import type { OtherSessionsTerminator } from './account-context.js';
import { AccountSelfService } from './account-self-service.js';
import { OwnerCodeFlows, type OwnerCodeFlow } from './owner-code-flow.js';

export interface AccountSelfServiceAdapters {
  accounts: AccountStore;
  hasher: PasswordHasher;
  sender: NotificationSender;
  locks: OwnerLockOperations;
  audit: AuditTrail;
  sessions: OtherSessionsTerminator;
  flows: FlowStore<OwnerCodeFlow>;
  limiters: {
    wrongPasswordsPerAccount: RateLimiter;
    codeStepsPerIp: RateLimiter;
    /** Shared with registration: codes to one phone number or address, whatever sent them. */
    codeSendsPerContact: RateLimiter;
    wrongCodesPerAccount: RateLimiter;
  };
  /** Server secrets, newest first, for the code hashes and the limit keys (as registration). */
  secrets: SecretSource;
  clock: Clock;
  logger?: Logger;
}

export interface AccountSelfServiceConfiguration {
  /** `limits.*`: the code rules are the activation code's. */
  limits: Parameters<typeof otpPolicyOf>[0];
  accountPages: Pick<AccountPagesConfig, 'codeStepMinutes' | 'recentSignIns'>;
  /** Vietnam's address blocks (accountPages.ipCountryFile), when configured. */
  homeRanges?: HomeRanges;
}

/** Builds the owner's account service from its adapters and the configuration; called from the wiring. */
export function createAccountSelfService(adapters: AccountSelfServiceAdapters, configuration: AccountSelfServiceConfiguration): AccountSelfService {
  const otp = otpPolicyOf(configuration.limits);
  const secrets = new RegistrationSecrets(adapters.secrets);
  const codes = new OwnerCodeFlows(
    {
      flows: adapters.flows,
      sender: adapters.sender,
      limiters: { codeSendsPerContact: adapters.limiters.codeSendsPerContact, wrongCodesPerAccount: adapters.limiters.wrongCodesPerAccount },
      secrets,
      clock: adapters.clock,
      ...(adapters.logger ? { logger: adapters.logger } : {}),
    },
    { otp, stepMs: configuration.accountPages.codeStepMinutes * 60_000 },
  );
  return new AccountSelfService(
    {
      accounts: adapters.accounts,
      hasher: adapters.hasher,
      sender: adapters.sender,
      locks: adapters.locks,
      audit: adapters.audit,
      sessions: adapters.sessions,
      codes,
      limiters: { wrongPasswordsPerAccount: adapters.limiters.wrongPasswordsPerAccount, codeStepsPerIp: adapters.limiters.codeStepsPerIp },
      secrets,
      clock: adapters.clock,
      ...(adapters.logger ? { logger: adapters.logger } : {}),
    },
    {
      password: DEFAULT_PASSWORD_POLICY,
      otp,
      recentSignIns: configuration.accountPages.recentSignIns,
      ...(configuration.homeRanges ? { homeRanges: configuration.homeRanges } : {}),
    },
  );
}
