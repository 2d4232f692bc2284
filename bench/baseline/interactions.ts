import type { IncomingMessage, ServerResponse } from 'node:http';
import { verify } from '@node-rs/argon2';
import type Provider from 'oidc-provider';
import type { BaselineAccountStore } from './accounts.js';

export interface BaselineInteractionDeps {
  provider: Provider;
  accounts: BaselineAccountStore;
  /** The acr a password sign-in achieves, as ours reports it. */
  acr: string;
}

const escapeHtml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const page = (title: string, form: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${form}</body></html>`;

function loginPage(uid: string, error?: string): string {
  const action = `/interaction/${escapeHtml(uid)}/login`;
  return page(
    'Sign in',
    `${error ? `<p>${escapeHtml(error)}</p>` : ''}<form method="post" action="${action}">` +
      '<label>ID number <input name="idNumber" autocomplete="username"></label>' +
      '<label>Password <input type="password" name="password" autocomplete="current-password"></label>' +
      '<button type="submit">Sign in</button></form>',
  );
}

function consentPage(uid: string, clientId: string): string {
  const action = `/interaction/${escapeHtml(uid)}/confirm`;
  return page('Allow access', `<p>${escapeHtml(clientId)} asks for your data.</p><form method="post" action="${action}"><button type="submit">Allow</button></form>`);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

/**
 * The minimal sign-in and consent pages a bare oidc-provider deployment needs in place of devInteractions: a form, an
 * argon2id check against the account in Redis, and the grant, in plain node:http.
 */
export function createBaselineInteractions(deps: BaselineInteractionDeps) {
  const { provider, accounts } = deps;
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|confirm))?$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (!match) return send(res, 404, page('Not found', ''));
    const [, uid = '', action] = match;
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return send(res, 400, page('Wrong interaction', ''));

    if (req.method === 'GET' && action === undefined) {
      if (details.prompt.name === 'login') return send(res, 200, loginPage(uid));
      return send(res, 200, consentPage(uid, String(details.params.client_id)));
    }
    if (req.method === 'POST' && action === 'login') {
      const form = await readForm(req);
      const account = await accounts.findByLoginName(form.get('idNumber') ?? '');
      const password = (form.get('password') ?? '').normalize('NFKC');
      if (!account || !(await verify(account.passwordHash, password))) return send(res, 401, loginPage(uid, 'Wrong ID number or password'));
      await provider.interactionFinished(req, res, { login: { accountId: account.id, acr: deps.acr, amr: ['pwd'], remember: true } }, { mergeWithLastSubmission: false });
      return undefined;
    }
    if (req.method === 'POST' && action === 'confirm') {
      await readForm(req);
      const accountId = details.session?.accountId;
      if (!accountId) return send(res, 400, page('No session', ''));
      const clientId = String(details.params.client_id);
      const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
      const missing = details.prompt.details;
      if (Array.isArray(missing.missingOIDCScope)) grant.addOIDCScope((missing.missingOIDCScope as string[]).join(' '));
      if (Array.isArray(missing.missingOIDCClaims)) grant.addOIDCClaims(missing.missingOIDCClaims as string[]);
      for (const [indicator, scopes] of Object.entries((missing.missingResourceScopes ?? {}) as Record<string, string[]>)) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return undefined;
    }
    return send(res, 405, page('Method not allowed', ''));
  };
}
