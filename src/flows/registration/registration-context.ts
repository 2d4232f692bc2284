import type { Account } from '../../domain/account.js';
import type { EligibilityPolicy } from '../../domain/eligibility.js';
import type { PasswordPolicy } from '../../domain/password-policy.js';
import type {
  AccountStore,
  FlowStore,
  ImmigrationRegistry,
  NotificationSender,
  PasswordHasher,
  PopulationRegistry,
  RateLimiter,
} from '../../domain/ports.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { flowAt, flowExpired, type FlowTimings, type RegistrationFlow } from './registration-flow.js';
import { RegistrationSecrets, type SecretSource } from './registration-secrets.js';

/** The limits shared by every instance (storage/rate-limiter.ts); keys are pseudonyms, never identifiers in clear. */
export interface RegistrationLimiters {
  registryMatchesPerIdentity: RateLimiter;
  registryMatchesPerIp: RateLimiter;
  codeSendsPerContact: RateLimiter;
  wrongCodesPerAccount: RateLimiter;
}

export interface RegistrationDependencies {
  accounts: AccountStore;
  flows: FlowStore<RegistrationFlow>;
  limiters: RegistrationLimiters;
  population: PopulationRegistry;
  immigration: ImmigrationRegistry;
  sender: NotificationSender;
  hasher: PasswordHasher;
  clock: Clock;
  /** Server secrets, newest first, for the code hashes and the limit keys (registration-secrets.ts). */
  secrets: SecretSource;
  logger?: Logger;
}

export interface RegistrationSettings extends FlowTimings {
  password: PasswordPolicy;
  eligibility: EligibilityPolicy;
  /** Later rules: an unactivated account and its registration disappear after this long (7 days). */
  pendingActivationMs: number;
  /** A pending registration of the same identity may be replaced once this old (typo in the contact). */
  pendingReplaceableAfterMs: number;
  /** How long a completed flow stays readable (keys.completedFlowTtlMs). */
  completedFlowTtlMs: number;
  consent: { termsVersion: string; dataProcessingVersion: string };
}

/** Compare-and-set retries before concluding that something is wrong (each retry means another writer got in). */
const MAX_FLOW_WRITES = 10;

/** What one step of a flow decides: the answer, and the new flow to store first if anything changed. */
export interface FlowStep<R> {
  result: R;
  write?: RegistrationFlow;
}

/** Everything a registration step needs, shared by the files of this folder. */
export class RegistrationContext {
  readonly secrets: RegistrationSecrets;

  constructor(
    readonly deps: RegistrationDependencies,
    readonly settings: RegistrationSettings,
  ) {
    this.secrets = new RegistrationSecrets(deps.secrets);
  }

  now(): number {
    return this.deps.clock.now();
  }

  /** The flow as it stands now, or undefined when unknown or past its expiry. */
  async current(flowId: string): Promise<{ flow: RegistrationFlow; revision: number } | undefined> {
    if (!isFlowId(flowId)) return undefined;
    const stored = await this.deps.flows.load(flowId);
    const now = this.now();
    if (!stored || flowExpired(stored.flow, now)) return undefined;
    return { flow: flowAt(stored.flow, this.settings, now), revision: stored.revision };
  }

  /**
   * Reads the flow, lets `decide` choose the answer and the new state, and stores the new state only if nobody changed
   * the flow meanwhile; otherwise starts again from what the other request stored. The answer is returned only once
   * its state is stored, so that, for example, a wrong code is counted before it is reported.
   */
  async update<R>(
    flowId: string,
    decide: (flow: RegistrationFlow, now: number) => Promise<FlowStep<R>> | FlowStep<R>,
  ): Promise<Result<R, 'flow_not_found'>> {
    for (let attempt = 0; attempt < MAX_FLOW_WRITES; attempt += 1) {
      const stored = await this.current(flowId);
      if (!stored) return fail('flow_not_found');
      const now = this.now();
      const step = await decide(stored.flow, now);
      if (!step.write) return ok(step.result);
      if (await this.deps.flows.replace(step.write, stored.revision, this.ttlOf(step.write, now))) return ok(step.result);
    }
    throw new Error(`registration flow changed concurrently ${MAX_FLOW_WRITES} times in a row`);
  }

  /** A flow lives until its expiry; once completed, only long enough for the page's last step. */
  ttlOf(flow: RegistrationFlow, now: number): number {
    const untilExpiry = Math.max(flow.expiresAt - now, 1);
    return flow.state === 'completed' ? Math.min(untilExpiry, this.settings.completedFlowTtlMs) : untilExpiry;
  }

  /**
   * The account a flow is about while the flow can go on: the pending account it activates (undefined once that expired,
   * was replaced or is no longer pending), or for an `existingAccount` flow the account holding the identity. One read
   * either way, so both kinds of flow answer in the same time.
   */
  async accountOf(flow: RegistrationFlow): Promise<Account | undefined> {
    const account = await this.deps.accounts.findById(flow.accountId);
    if (flow.existingAccount) return account;
    return account?.status === 'pending_activation' ? account : undefined;
  }

  log(event: string, fields: Record<string, unknown> = {}): void {
    this.deps.logger?.info({ event, ...fields }, event);
  }
}

/** Flow ids are randomId() values (base64url); anything else is not looked up at all. */
const isFlowId = (value: string): boolean => typeof value === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(value);
