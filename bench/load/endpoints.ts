import { toLoopback, type BenchTarget } from '../support/bench-target.js';

/** The endpoints a relying party learns from discovery (public URLs, as the server writes them). */
export interface Endpoints {
  discovery: string;
  authorization: string;
  token: string;
  introspection: string;
  jwks: string;
}

export async function discoverEndpoints(target: BenchTarget): Promise<Endpoints> {
  const discovery = `${target.publicOrigin}/.well-known/openid-configuration`;
  const response = await fetch(toLoopback(target, discovery), { headers: target.headers });
  if (response.status !== 200) throw new Error(`${target.name}: discovery answered ${response.status}`);
  const document = (await response.json()) as Record<string, unknown>;
  const endpoint = (name: string): string => {
    const value = document[name];
    if (typeof value !== 'string') throw new Error(`${target.name}: discovery has no ${name}`);
    return value;
  };
  return {
    discovery,
    authorization: endpoint('authorization_endpoint'),
    token: endpoint('token_endpoint'),
    introspection: endpoint('introspection_endpoint'),
    jwks: endpoint('jwks_uri'),
  };
}
