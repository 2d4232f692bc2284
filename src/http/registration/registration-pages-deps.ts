import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { AcrNames } from '../../domain/levels.js';
import type { RegistrationApi } from '../../flows/registration/types.js';
import type { Clock } from '../../shared/clock.js';
import type { render } from '../views.js';

/** What the registration pages need; built once in server.ts. */
export interface RegistrationPagesDeps {
  registration: RegistrationApi;
  provider: Provider;
  acrNames: AcrNames;
  /** The flows' clock: minutes left on a code are counted with the same clock that set its expiry. */
  clock: Clock;
  /** Shown on the password page; the service applies the policy (Decision 34 Art 7, NIST SP 800-63B). */
  passwordPolicy: { minLength: number; maxLength: number };
  render: typeof render;
  formBody: Middleware;
  requireCsrf: Middleware;
}
