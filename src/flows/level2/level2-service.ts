import type { Result } from '../../shared/result.js';
import { recordConsent, status } from './consent-step.js';
import { recordInPersonVerification } from './in-person-record.js';
import { Level2Context, type Level2Dependencies, type Level2Settings } from './level2-context.js';
import { verifyPortrait } from './portrait-step.js';
import type {
  InPersonError,
  InPersonRecorded,
  InPersonVerificationInput,
  Level2Api,
  Level2ConsentInput,
  Level2Status,
  PortraitAttempt,
  RecordConsentError,
  VerifyPortraitError,
} from './types.js';

/** The upgrade to level 2 (Decision 34 Art 5.1.b): one object over the steps of this folder (types.ts explains each). */
export class Level2Service implements Level2Api {
  private readonly context: Level2Context;

  constructor(deps: Level2Dependencies, settings: Level2Settings) {
    this.context = new Level2Context(deps, settings);
  }

  status(accountId: string): Promise<Level2Status | undefined> {
    return status(this.context, accountId);
  }

  recordConsent(accountId: string, consent: Level2ConsentInput): Promise<Result<Level2Status, RecordConsentError>> {
    return recordConsent(this.context, accountId, consent);
  }

  verifyPortrait(accountId: string, probe: Uint8Array): Promise<Result<PortraitAttempt, VerifyPortraitError>> {
    return verifyPortrait(this.context, accountId, probe);
  }

  recordInPersonVerification(input: InPersonVerificationInput): Promise<Result<InPersonRecorded, InPersonError>> {
    return recordInPersonVerification(this.context, input);
  }
}
