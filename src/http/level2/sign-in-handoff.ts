import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { LevelVerification } from '../../domain/account.js';
import { VERIFICATION_PROMPT } from '../../oidc/assurance-policy.js';
import { signInPageOf } from './level2-paths.js';

/**
 * What the level-2 pages put in the interaction result when they hand a sign-in back (key VERIFICATION_PROMPT,
 * `level_verification`). The sign-in reads it from the next interaction's `lastSubmission` to name the method in
 * `amr` (RFC 8176 `face` / `fpt`) when the verification was made during this sign-in (`at` after the password).
 */
export interface LevelVerificationResult {
  method: LevelVerification['method'];
  channel: LevelVerification['channel'];
  /** Epoch ms (the flows' clock). */
  at: number;
}

/**
 * Back to the relying party's sign-in once the account is level 2. While the sign-in is at the `level_verification`
 * prompt (oidc/assurance-policy.ts: the account was below the level the request needs), that prompt is finished with
 * the verification; the provider then runs its policy again and asks for whatever is still missing, which for level 2
 * is the second factor (Decision 34 Art 5 + issue policy: level-2 sign-in = level-2 account + password + second factor
 * in this session), never the password again. In any other state the sign-in page itself decides.
 */
export async function handBackToSignIn(ctx: Context, provider: Provider, uid: string, verification: LevelVerification | undefined): Promise<void> {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid === uid && details.prompt.name === VERIFICATION_PROMPT && verification) {
    const result: LevelVerificationResult = { method: verification.method, channel: verification.channel, at: verification.at };
    const redirectTo = await provider.interactionResult(ctx.req, ctx.res, { [VERIFICATION_PROMPT]: result }, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(redirectTo);
    return;
  }
  ctx.status = 303;
  ctx.redirect(signInPageOf(uid));
}
