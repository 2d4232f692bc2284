import type { ApiCaller } from '../../oidc/api-token-verifier.js';

/** Who an API client is (its `vneid_party` registration; relying parties are service users). */
export type ApiParty = 'agency' | 'service_user' | 'operator';

export interface AuthenticatedCaller extends ApiCaller {
  party: ApiParty;
}

declare module 'koa' {
  interface DefaultState {
    /** api-auth.ts: the authenticated API client. */
    apiCaller?: AuthenticatedCaller;
    /** Routes set the account they acted on, for the `api.called` audit event. */
    apiAccountId?: string;
  }
}

export {};
