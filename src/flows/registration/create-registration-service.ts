import type { ConsentConfig, LimitsConfig } from '../../config/registration-config.js';
import type { EligibilityPolicy } from '../../domain/eligibility.js';
import { DEFAULT_OTP_POLICY, type OtpPolicy } from '../../domain/otp-policy.js';
import { DEFAULT_PASSWORD_POLICY } from '../../domain/password-policy.js';
import type { RegistrationDependencies, RegistrationSettings } from './registration-context.js';
import { RegistrationService } from './registration-service.js';

const SECOND_MS = 1000;
const DAY_MS = 86_400_000;

export interface RegistrationConfiguration {
  limits: Omit<LimitsConfig, 'registryMatchesPerIdentity' | 'registryMatchesPerIp' | 'codeSendsPerContact' | 'wrongCodesPerAccount'>;
  consent: ConsentConfig;
  eligibility: EligibilityPolicy;
  /** keys.completedFlowTtlMs. */
  completedFlowTtlMs: number;
}

/** The code rules from `limits.*` (the code length is fixed by the activation design: 6 digits). */
export function otpPolicyOf(limits: RegistrationConfiguration['limits']): OtpPolicy {
  return {
    codeDigits: DEFAULT_OTP_POLICY.codeDigits,
    codeTtlMs: limits.codeTtlSeconds * SECOND_MS,
    maxAttemptsPerCode: limits.codeAttemptsPerCode,
    maxFailuresPerRegistration: limits.codeFailuresPerRegistration,
    maxResendsPerHour: limits.codeResendsPerHour,
    minSendIntervalMs: limits.codeResendIntervalSeconds * SECOND_MS,
  };
}

export function registrationSettingsOf(configuration: RegistrationConfiguration): RegistrationSettings {
  const { limits } = configuration;
  return {
    otp: otpPolicyOf(limits),
    password: DEFAULT_PASSWORD_POLICY,
    eligibility: configuration.eligibility,
    pendingActivationMs: limits.pendingActivationDays * DAY_MS,
    passwordStepMs: limits.passwordStepSeconds * SECOND_MS,
    pendingReplaceableAfterMs: limits.pendingReplaceableAfterSeconds * SECOND_MS,
    completedFlowTtlMs: configuration.completedFlowTtlMs,
    consent: { termsVersion: configuration.consent.termsVersion, dataProcessingVersion: configuration.consent.dataProcessingVersion },
  };
}

/**
 * Builds the registration service from its adapters and the configuration; called from container.ts:
 *
 *   registration: createRegistrationService(
 *     { accounts, flows: new RedisFlowStore(redis, keys, 'registration'), limiters: createRegistrationLimiters(redis, keys,
 *       config.limits), population, immigration, sender, hasher, clock, logger, secrets },
 *     { limits: config.limits, consent: config.consent, eligibility: config.eligibility,
 *       completedFlowTtlMs: keys.completedFlowTtlMs },
 *   )
 */
export function createRegistrationService(
  dependencies: RegistrationDependencies,
  configuration: RegistrationConfiguration,
): RegistrationService {
  return new RegistrationService(dependencies, registrationSettingsOf(configuration));
}
