import type { DeclaredIdentity } from '../../domain/identity-matching.js';
import { fail, type Result } from '../../shared/result.js';
import { sendNewCode } from './code-delivery.js';
import { verifyCode } from './code-verification.js';
import { consentOf, parseCitizen, parseContacts, parseDependant, parseForeigner } from './form-parsing.js';
import { registerIdentity } from './identity-registration.js';
import { setPassword } from './password-step.js';
import { RegistrationContext, type RegistrationDependencies, type RegistrationSettings } from './registration-context.js';
import { viewOf } from './registration-flow.js';
import type {
  CitizenRegistrationInput,
  DependantRegistrationInput,
  ForeignerRegistrationInput,
  RegistrationApi,
  RegistrationCompleted,
  RegistrationFlowView,
  RegistrationStarted,
  RequestContext,
  SendCodeError,
  SetPasswordError,
  StartRegistrationError,
  VerifyCodeError,
} from './types.js';

type Started = Promise<Result<RegistrationStarted, StartRegistrationError>>;

/**
 * Registration and activation of electronic identification accounts (Decision 34 Art 6, 7), with no Koa and no
 * Provider: the pages call these methods and render the outcome (see types.ts for which outcomes look alike).
 */
export class RegistrationService implements RegistrationApi {
  private readonly context: RegistrationContext;

  constructor(dependencies: RegistrationDependencies, settings: RegistrationSettings) {
    this.context = new RegistrationContext(dependencies, settings);
  }

  /** Decision 34 Art 6.1, 6.4.a–e, 7.1.a. */
  async startCitizen(input: CitizenRegistrationInput, request: RequestContext): Started {
    const declared = parseCitizen(input.idNumber, input);
    if (!declared.ok) return declared;
    return this.startSelf('citizen', declared.value, input, request);
  }

  /** Decision 34 Art 6.1, 6.4.a–e, 7.1.b; draft 2025 eligibility of foreigners. */
  async startForeigner(input: ForeignerRegistrationInput, request: RequestContext): Started {
    const declared = parseForeigner(input.passportNumber, input.nationality, input);
    if (!declared.ok) return declared;
    return this.startSelf('foreigner', declared.value, input, request);
  }

  /** A person registering themselves: both contacts and the consents, then the registry (Decision 34 Art 6.4). */
  private async startSelf(
    kind: 'citizen' | 'foreigner',
    declared: DeclaredIdentity,
    input: CitizenRegistrationInput | ForeignerRegistrationInput,
    request: RequestContext,
  ): Started {
    const contacts = parseContacts(input.phone, input.email);
    if (!contacts.ok) return contacts;
    // Decision 34 Art 6.4.e: both the telephone number and the email address are declared.
    if (contacts.value.phone === undefined) return fail('invalid_phone');
    if (contacts.value.email === undefined) return fail('invalid_email');
    const consent = consentOf(input.consent, this.context.settings.consent, this.context.now());
    if (!consent.ok) return consent;
    return registerIdentity(
      this.context,
      { kind, declared, contacts: contacts.value, channel: input.channel, consent: consent.value, ...uid(input) },
      request,
    );
  }

  /**
   * Decision 34 Art 6.2, 6.3, 6.4.g: through the signed-in parent's or guardian's account. The contact details may be
   * the representative's: each one left out of the form is taken from the representative's account.
   */
  async startDependant(input: DependantRegistrationInput, request: RequestContext): Started {
    const declared = parseDependant(input.dependant, input);
    if (!declared.ok) return declared;
    const given = parseContacts(input.phone, input.email);
    if (!given.ok) return given;
    const consent = consentOf(input.consent, this.context.settings.consent, this.context.now());
    if (!consent.ok) return consent;
    const { accounts } = this.context.deps;
    const representative =
      typeof input.representativeAccountId === 'string' ? await accounts.findById(input.representativeAccountId) : undefined;
    // Later rules: asked before the registry, so that an unqualified account learns nothing about the dependant.
    const { eligibility } = this.context.settings;
    if (!representative || representative.status !== 'active' || representative.level < eligibility.representativeMinLevel) {
      return fail('representative_not_qualified');
    }
    const phone = given.value.phone ?? representative.phone;
    const email = given.value.email ?? representative.email;
    return registerIdentity(
      this.context,
      {
        kind: 'dependant',
        declared: declared.value,
        contacts: { ...(phone === undefined ? {} : { phone }), ...(email === undefined ? {} : { email }) },
        channel: input.channel,
        consent: consent.value,
        representative,
        ...uid(input),
      },
      request,
    );
  }

  async sendCode(flowId: string): Promise<Result<RegistrationFlowView, SendCodeError>> {
    return sendNewCode(this.context, flowId);
  }

  async verifyCode(flowId: string, code: string): Promise<Result<RegistrationFlowView, VerifyCodeError>> {
    return verifyCode(this.context, flowId, code);
  }

  async setPassword(flowId: string, password: string): Promise<Result<RegistrationCompleted, SetPasswordError>> {
    return setPassword(this.context, flowId, password);
  }

  async load(flowId: string): Promise<RegistrationFlowView | undefined> {
    const current = await this.context.current(flowId);
    if (!current) return undefined;
    // A registration replaced by a newer one, or whose account is gone, is over unless it had completed.
    if (current.flow.state !== 'completed' && !(await this.context.accountOf(current.flow))) return undefined;
    return viewOf(current.flow, this.context.settings, this.context.now());
  }
}

const uid = (input: { interactionUid?: string }): { interactionUid?: string } =>
  typeof input.interactionUid === 'string' && input.interactionUid.length > 0 ? { interactionUid: input.interactionUid } : {};
