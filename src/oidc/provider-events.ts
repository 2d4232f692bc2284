import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from '../shared/logger.js';

export interface ProviderObservers {
  logger: Logger;
  tokenIssued(type: 'access_token' | 'refresh_token' | 'authorization_code' | 'client_credentials'): void;
  /** A provider request failed on a broken dependency or a bug (the HTTP layer turns outages into 503). */
  serverError(ctx: KoaContextWithOIDC, error: Error): void;
  /**
   * Puts a token event on the request's own log line (http/middleware/request-logger.ts addToRequestLine) instead of a
   * line of its own; without it the event is a line of its own.
   */
  addToRequestLine?(ctx: KoaContextWithOIDC, fields: Record<string, unknown>): void;
}

/** Provider events -> metrics and structured logs (`noun.past_tense`); no token values or personal data. */
export function observeProvider(provider: Provider, observers: ProviderObservers): void {
  const { logger } = observers;
  // Opaque tokens are stored ("saved"); JWT-format ones are only signed ("issued"): count both.
  provider.on('authorization_code.saved', () => observers.tokenIssued('authorization_code'));
  provider.on('access_token.saved', () => observers.tokenIssued('access_token'));
  provider.on('access_token.issued', () => observers.tokenIssued('access_token'));
  provider.on('client_credentials.saved', () => observers.tokenIssued('client_credentials'));
  provider.on('client_credentials.issued', () => observers.tokenIssued('client_credentials'));
  provider.on('refresh_token.saved', () => observers.tokenIssued('refresh_token'));
  // The token endpoint's outcome: most of the provider's traffic, so it rides on the request line when it can.
  const tokenEvent = (ctx: KoaContextWithOIDC, fields: Record<string, unknown> & { event: string }): void => {
    if (observers.addToRequestLine) observers.addToRequestLine(ctx, fields);
    else logger.info(fields, fields.event);
  };
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    tokenEvent(ctx, { event: 'token.granted', client: ctx.oidc.client?.clientId, grantType: ctx.oidc.params?.grant_type });
  });
  provider.on('grant.error', (ctx: KoaContextWithOIDC, error: Error & { error?: string }) => {
    tokenEvent(ctx, { event: 'token.refused', client: ctx.oidc.client?.clientId, error: error.error ?? error.name });
  });
  provider.on('authorization.error', (ctx: KoaContextWithOIDC, error: Error & { error?: string }) => {
    logger.info({ event: 'authorization.refused', client: ctx.oidc.client?.clientId, error: error.error ?? error.name }, 'authorization.refused');
  });
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    logger.info({ event: 'session.ended', client: ctx.oidc.client?.clientId }, 'session.ended');
  });
  provider.on('backchannel.error', (_ctx: KoaContextWithOIDC, error: Error, client: { clientId: string }) => {
    logger.warn({ event: 'backchannel_logout.failed', client: client.clientId, error: error.message }, 'backchannel_logout.failed');
  });
  provider.on('server_error', (ctx: KoaContextWithOIDC, error: Error) => observers.serverError(ctx, error));
}
