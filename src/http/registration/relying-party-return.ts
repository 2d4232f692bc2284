import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import { requiredLevel, type ClientLevelPolicy, type LevelRequest } from '../../domain/assurance-requirement.js';
import { AppError } from '../../domain/errors.js';
import { acrForLevel, type AcrNames } from '../../domain/levels.js';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * The relying party's sign-in a registration was started from. oidc-provider binds it to this browser through its
 * interaction cookie (path `/interaction/<uid>`), so the uid in the URL must be the cookie's.
 */
async function interactionOf(ctx: Context, provider: Provider, uid: string): Promise<Interaction> {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== uid) throw new AppError('bad_request', 'interaction mismatch');
  return details;
}

/** The same, or undefined once the sign-in expired or was finished elsewhere (the registration itself goes on). */
export async function interactionIfStillOpen(ctx: Context, provider: Provider, uid: string): Promise<Interaction | undefined> {
  try {
    return await interactionOf(ctx, provider, uid);
  } catch (error) {
    if (error instanceof errors.SessionNotFound) return undefined;
    if (error instanceof AppError && error.code === 'bad_request') return undefined;
    throw error;
  }
}

export async function clientNameOf(provider: Provider, details: Interaction): Promise<string> {
  const clientId = String(details.params.client_id);
  const client = await provider.Client.find(clientId);
  const name: unknown = client?.clientName;
  return typeof name === 'string' && name !== '' ? name : clientId;
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : undefined;

/** `claims.id_token.acr` marked essential: its `values`, or its `value`. */
function essentialAcr(claims: unknown): string[] | undefined {
  if (typeof claims !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(claims);
  } catch {
    return undefined;
  }
  const acr = (parsed as { id_token?: { acr?: { essential?: unknown; value?: unknown; values?: unknown } } } | null)?.id_token?.acr;
  if (!acr || acr.essential !== true) return undefined;
  return strings(acr.values) ?? (typeof acr.value === 'string' ? [acr.value] : undefined);
}

/** Whether a level-1 sign-in is what the relying party asked for (Decision 34 Art 5.2, 12.2.b: its choice). */
async function levelOneSatisfies(provider: Provider, details: Interaction, acrNames: AcrNames): Promise<boolean> {
  const acrValues = typeof details.params.acr_values === 'string' ? details.params.acr_values.split(' ').filter(Boolean) : undefined;
  const request: LevelRequest = { acrValues, essentialAcr: essentialAcr(details.params.claims) };
  const metadata = (await provider.Client.find(String(details.params.client_id)))?.metadata();
  const policy: ClientLevelPolicy = {
    allowedAcrValues: strings(metadata?.allowed_acr_values),
    defaultAcrValues: strings(metadata?.default_acr_values),
    minimumAcrValue: typeof metadata?.minimum_acr_value === 'string' ? metadata.minimum_acr_value : undefined,
  };
  const required = requiredLevel(request, policy, acrNames);
  return required.ok && required.value === 1;
}

export type ReturnOutcome =
  /** The sign-in was completed: the response redirects to the relying party. */
  | { kind: 'finished' }
  /** The relying party needs level 2 (Art 5.2): the person continues on its sign-in page. */
  | { kind: 'level_two_required'; clientName: string }
  /** The sign-in expired or was finished elsewhere: the account is active, the person goes back to the service. */
  | { kind: 'sign_in_expired' };

/**
 * Ends a registration started from a relying party's sign-in by completing that very sign-in with the new account.
 *
 * Why here rather than sending the person to the sign-in form (Decision 34 Art 7 reads register -> activate -> use):
 * this is that same sign-in, still pending in this browser (the interaction cookie proves it), and it is completed
 * only with what the person has just proven on these pages: control of the registered phone or email (the one-time
 * code, `otp`) and knowledge of the password they set (`pwd`), both within the code's and the password step's short
 * windows. Making them type the password again would add no assurance. A new account is level 1 (Art 5.1.a), so the
 * sign-in is completed only when the relying party's request is satisfied by level 1; when it asked for level 2, the
 * person is sent to its sign-in page instead, where the level rules of the sign-in apply.
 */
export async function returnToRelyingParty(
  ctx: Context,
  deps: { provider: Provider; acrNames: AcrNames },
  uid: string,
  accountId: string,
): Promise<ReturnOutcome> {
  const { provider, acrNames } = deps;
  const details = await interactionIfStillOpen(ctx, provider, uid);
  if (!details) return { kind: 'sign_in_expired' };
  if (!(await levelOneSatisfies(provider, details, acrNames))) {
    return { kind: 'level_two_required', clientName: await clientNameOf(provider, details) };
  }
  const redirectTo = await provider.interactionResult(
    ctx.req,
    ctx.res,
    { login: { accountId, acr: acrForLevel(1, acrNames), amr: ['pwd', 'otp'], remember: true } },
    { mergeWithLastSubmission: false },
  );
  // 303 so the browser follows with GET after the password form's POST.
  ctx.status = 303;
  ctx.redirect(redirectTo);
  return { kind: 'finished' };
}
