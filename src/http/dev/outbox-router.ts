import Router from '@koa/router';
import type { Context } from 'koa';
import type { OutboxMessage, OutboxQuery, OutboxReader } from '../../notifications/dev-outbox.js';

/**
 * GET /dev/outbox: the messages the development outbox caught, newest first, as a page (HTML) or as JSON
 * (`/dev/outbox.json`, or `Accept: application/json`). `?to=` keeps one recipient's messages, so a test or a developer
 * finds the latest code for a phone number or an address. Mounted only in outbox mode, which production refuses
 * (config/notifications-config.ts, and DevOutbox itself).
 */
export const OUTBOX_PATH = '/dev/outbox';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const MAX_RECIPIENT_LENGTH = 320;

export type RenderOutboxPage = (ctx: Context, template: string, model: object, status?: number) => void;

/** A message as the page shows it. */
export interface OutboxPageMessage extends OutboxMessage {
  /** `sentAt` for people: `2026-01-01 07:00:00 UTC`. */
  sentAtText: string;
}

/** `dev/outbox` */
export interface OutboxViewModel {
  path: string;
  /** The recipient filter, as typed. */
  to?: string;
  jsonUrl: string;
  messages: OutboxPageMessage[];
}

export function createOutboxRouter(outbox: OutboxReader, render: RenderOutboxPage): Router {
  // A second lock behind the configuration check: this page shows live codes.
  if (process.env.NODE_ENV === 'production') throw new Error('/dev/outbox is refused in production');
  const router = new Router();

  router.get(`${OUTBOX_PATH}.json`, async (ctx) => {
    respondJson(ctx, await outbox.messages(queryOf(ctx)));
  });

  router.get(OUTBOX_PATH, async (ctx) => {
    const query = queryOf(ctx);
    const messages = await outbox.messages(query);
    if (ctx.accepts('html', 'json') === 'json') {
      respondJson(ctx, messages);
      return;
    }
    const model: OutboxViewModel = {
      path: OUTBOX_PATH,
      ...(query.to !== undefined ? { to: query.to } : {}),
      jsonUrl: `${OUTBOX_PATH}.json${query.to !== undefined ? `?to=${encodeURIComponent(query.to)}` : ''}`,
      messages: messages.map((message) => ({ ...message, sentAtText: readableTime(message.sentAt) })),
    };
    ctx.set('X-Robots-Tag', 'noindex');
    render(ctx, 'dev/outbox', model);
  });

  return router;
}

function queryOf(ctx: Context): OutboxQuery {
  const to = typeof ctx.query.to === 'string' ? ctx.query.to.trim().slice(0, MAX_RECIPIENT_LENGTH) : '';
  const limit = typeof ctx.query.limit === 'string' && /^\d{1,4}$/.test(ctx.query.limit) ? Number(ctx.query.limit) : DEFAULT_LIMIT;
  return { ...(to !== '' ? { to } : {}), limit: Math.min(Math.max(limit, 1), MAX_LIMIT) };
}

function respondJson(ctx: Context, messages: OutboxMessage[]): void {
  // The outbox holds live development codes: never cached anywhere.
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'application/json';
  ctx.body = { messages };
}

function readableTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
}
