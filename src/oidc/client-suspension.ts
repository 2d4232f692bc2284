import type Provider from 'oidc-provider';
import type { ClientSuspensions } from '../domain/ports.js';

/**
 * Decision 34 Art 13.5: a suspended relying party can do nothing. Every endpoint of oidc-provider 9 resolves its
 * client through `Client.find` (authorization, token, userinfo's token client, introspection, revocation, logout), so a
 * suspended client is made not to exist there: its users' logins are refused (invalid_client), its token requests fail
 * client authentication, and the access tokens it holds stop working at userinfo. Read from Redis on every lookup, so a
 * suspension holds in every instance at the next request; reinstating restores all of it.
 */
export function refuseSuspendedClients(provider: Provider, suspensions: ClientSuspensions): void {
  const Client = provider.Client;
  const find = Client.find.bind(Client);
  Client.find = async (id: string) => {
    if (typeof id === 'string' && id !== '' && (await suspensions.isSuspended(id))) return undefined;
    return find(id);
  };
}
