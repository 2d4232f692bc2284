import type Provider from 'oidc-provider';

/** The relying parties' names (client metadata `client_name`), or their ids; a removed client keeps its id. */
export async function clientNames(provider: Provider, clientIds: Iterable<string>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const clientId of new Set(clientIds)) {
    const client = await provider.Client.find(clientId);
    const name: unknown = client?.clientName;
    names.set(clientId, typeof name === 'string' && name !== '' ? name : clientId);
  }
  return names;
}
