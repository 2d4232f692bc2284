import type { NotificationChannel } from '../../domain/ports.js';
import type { Result } from '../../shared/result.js';
import type { AccountSelfServiceDeps, AccountSelfServiceSettings } from './account-context.js';
import { accountOverview } from './account-overview.js';
import { confirmContactChange, startContactChange } from './contact-change.js';
import { confirmUnlock, startUnlock } from './owner-unlock.js';
import { changePassword } from './password-change.js';
import type {
  AccountOverview,
  AccountSelfServiceApi,
  ChangePasswordError,
  CodeFlowView,
  CodePurpose,
  ContactChanged,
  ContactKind,
  LoginName,
  OwnerRequestContext,
  PasswordChanged,
  SendCodeError,
  StartContactChangeError,
  StartUnlockError,
  UnlockCompleted,
  UnlockStarted,
  VerifyCodeError,
} from './types.js';

/**
 * The owner's own account (Decision 34 Art 12.1.dd), as the pages under `/account` use it: one method per use case,
 * each in its own file of this folder. Koa-free; the pages pass the signed-in account id.
 */
export class AccountSelfService implements AccountSelfServiceApi {
  constructor(
    private readonly deps: AccountSelfServiceDeps,
    private readonly settings: AccountSelfServiceSettings,
  ) {}

  overview(accountId: string): Promise<AccountOverview | undefined> {
    return accountOverview(this.deps, this.settings, accountId);
  }

  changePassword(
    accountId: string,
    input: { currentPassword: string; newPassword: string; keepSessionId?: string },
    context: OwnerRequestContext,
  ): Promise<Result<PasswordChanged, ChangePasswordError>> {
    return changePassword(this.deps, this.settings, accountId, input, context);
  }

  startContactChange(
    accountId: string,
    input: { kind: ContactKind; value: string },
    context: OwnerRequestContext,
  ): Promise<Result<CodeFlowView, StartContactChangeError>> {
    return startContactChange(this.deps, accountId, input, context);
  }

  confirmContactChange(accountId: string, flowId: string, code: string): Promise<Result<ContactChanged, VerifyCodeError | 'account_unavailable'>> {
    return confirmContactChange(this.deps, accountId, flowId, code);
  }

  resendCode(flowId: string, expected: { purpose: CodePurpose; accountId?: string }): Promise<Result<CodeFlowView, SendCodeError>> {
    return this.deps.codes.send(flowId, expected);
  }

  async loadCodeFlow(flowId: string, expected: { purpose: CodePurpose; accountId?: string }): Promise<CodeFlowView | undefined> {
    const flow = await this.deps.codes.load(flowId, expected);
    return flow ? this.deps.codes.view(flow) : undefined;
  }

  startUnlock(
    input: { login: LoginName; password: string; channel: NotificationChannel },
    context: OwnerRequestContext,
  ): Promise<Result<UnlockStarted, StartUnlockError>> {
    return startUnlock(this.deps, input, context);
  }

  confirmUnlock(flowId: string, code: string, context: OwnerRequestContext): Promise<Result<UnlockCompleted, VerifyCodeError>> {
    return confirmUnlock(this.deps, flowId, code, context);
  }
}
