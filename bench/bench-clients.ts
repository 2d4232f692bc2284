/**
 * The relying parties both servers know, with identical ids, secrets and grants: a web application that signs people
 * in (code flow with PKCE, refresh tokens) and a back-office service (client credentials). Loopback only.
 */
export const BENCH_RP = {
  id: 'bench-rp',
  secret: 'bench-rp-secret-0123456789abcdef0123456789',
  secretEnv: 'BENCH_RP_SECRET',
  redirectUri: 'http://127.0.0.1:1/callback',
  scope: 'openid offline_access profile identity',
} as const;

export const BENCH_SERVICE = {
  id: 'bench-service',
  secret: 'bench-service-secret-0123456789abcdef01234',
  secretEnv: 'BENCH_SERVICE_SECRET',
} as const;

export interface BenchClientMetadata {
  client_id: string;
  client_secret: string;
  client_name: string;
  redirect_uris: string[];
  grant_types: string[];
  scope: string;
  token_endpoint_auth_method: 'client_secret_basic';
}

/** Metadata with literal secrets (the baseline's clients). */
export function benchClients(): BenchClientMetadata[] {
  return [
    {
      client_id: BENCH_RP.id,
      client_secret: BENCH_RP.secret,
      client_name: 'Benchmark relying party',
      redirect_uris: [BENCH_RP.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: BENCH_RP.scope,
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      client_id: BENCH_SERVICE.id,
      client_secret: BENCH_SERVICE.secret,
      client_name: 'Benchmark back-office service',
      redirect_uris: [],
      grant_types: ['client_credentials'],
      scope: 'openid',
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ];
}

/** Our clients file as production wants it: secrets named as "env:NAME", values in the environment. */
export function ourClientsFile(): { clients: BenchClientMetadata[] } {
  const secretRefs: Record<string, string> = { [BENCH_RP.id]: `env:${BENCH_RP.secretEnv}`, [BENCH_SERVICE.id]: `env:${BENCH_SERVICE.secretEnv}` };
  return { clients: benchClients().map((client) => ({ ...client, client_secret: secretRefs[client.client_id] ?? client.client_secret })) };
}

export function ourClientSecretsEnv(): Record<string, string> {
  return { [BENCH_RP.secretEnv]: BENCH_RP.secret, [BENCH_SERVICE.secretEnv]: BENCH_SERVICE.secret };
}

export const basicAuthorization = (client: { id: string; secret: string }): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;
