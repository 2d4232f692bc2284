import type { Context } from 'koa';
import type { RegistrationStarted, StartRegistrationError } from '../../flows/registration/types.js';
import type { Result } from '../../shared/result.js';
import type { Clock } from '../../shared/clock.js';
import type { FieldProblem, MessageKey, RegistrationField } from '../view-models.js';
import { writeFlowId } from './flow-cookie.js';
import { registrationPages, type RegistrationBase } from './registration-paths.js';
import { displayStartError } from './start-outcomes.js';

/** How a form page shows a refusal: the same form again, with the problem and the given status. */
export type RenderRefusal = (shown: { problems: FieldProblem<RegistrationField>[]; refusal?: MessageKey }, status: number) => Promise<void>;

/**
 * After RegistrationApi.start*: on success the flow id goes into this browser's cookie and the person goes on to the
 * code page (told when the code could not be sent: the page then offers to send it again at once); on refusal the form
 * is shown again; rate limits and an unreachable registry are thrown to the error page machinery.
 */
export async function respondToStart(
  ctx: Context,
  clock: Clock,
  base: RegistrationBase,
  result: Result<RegistrationStarted, StartRegistrationError>,
  identifyingField: 'idNumber' | 'passportNumber',
  renderRefusal: RenderRefusal,
): Promise<void> {
  if (result.ok) {
    const { flow, codeDelivery } = result.value;
    writeFlowId(ctx, flow.id, flow.expiresAt - clock.now());
    ctx.status = 303;
    ctx.redirect(`${registrationPages(base).code}${codeDelivery === 'failed' ? '?delivery=failed' : ''}`);
    return;
  }
  const display = displayStartError(result.error, identifyingField);
  if (display.kind === 'thrown') throw display.error;
  if (display.kind === 'field') {
    await renderRefusal({ problems: [{ field: display.field, message: display.message }] }, display.status);
    return;
  }
  await renderRefusal({ problems: [], refusal: display.message }, display.status);
}
