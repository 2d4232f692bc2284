import { Readable } from 'node:stream';
import type Router from '@koa/router';
import { API_SCOPES } from '../../domain/api-scopes.js';
import type { AuditTrail } from '../../domain/audit.js';
import { AppError } from '../../domain/errors.js';
import type { AccountStore } from '../../domain/ports.js';
import { presentAuditEvent } from '../presenters/audit-presenter.js';
import { requireScope } from './api-auth.js';
import { accountIdParam } from './api-input.js';

export interface AuditRoutesDeps {
  accounts: AccountStore;
  audit: AuditTrail;
}

const DEFAULT_PAGE = 50;
const MAX_PAGE = 100;

/** The account's audit trail: a page at a time (newest first), or the whole of it as NDJSON (oldest first). */
export function mountAuditRoutes(router: Router, deps: AuditRoutesDeps): void {
  router.get('/accounts/:accountId/audit', requireScope(API_SCOPES.auditRead), async (ctx) => {
    const accountId = accountIdParam(ctx);
    const limitParam = typeof ctx.query.limit === 'string' ? ctx.query.limit : undefined;
    const before = typeof ctx.query.before === 'string' ? ctx.query.before : undefined;
    if (limitParam !== undefined && !/^\d{1,3}$/.test(limitParam)) throw new AppError('bad_request', 'limit must be 1-100');
    const limit = limitParam === undefined ? DEFAULT_PAGE : Number(limitParam);
    if (limit < 1 || limit > MAX_PAGE) throw new AppError('bad_request', 'limit must be 1-100');
    if (before !== undefined && !/^\d{1,15}-\d{1,10}$/.test(before)) throw new AppError('bad_request', 'before must be a cursor from nextCursor');
    if (!(await deps.accounts.findById(accountId))) throw new AppError('not_found', 'no such account');
    const page = await deps.audit.listForAccount(accountId, { limit, ...(before ? { before } : {}) });
    ctx.body = { events: page.events.map(presentAuditEvent), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  });

  router.get('/accounts/:accountId/audit/export', requireScope(API_SCOPES.auditRead), async (ctx) => {
    const accountId = accountIdParam(ctx);
    if (!(await deps.accounts.findById(accountId))) throw new AppError('not_found', 'no such account');
    const events = deps.audit.exportForAccount(accountId);
    async function* lines(): AsyncGenerator<string> {
      for await (const event of events) yield `${JSON.stringify(presentAuditEvent(event))}\n`;
    }
    ctx.type = 'application/x-ndjson; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="audit-${accountId}.ndjson"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = Readable.from(lines());
  });
}
