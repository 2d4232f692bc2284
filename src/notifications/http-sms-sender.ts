import type { Notification, NotificationSender } from '../domain/ports.js';
import { uuid } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { CircuitBreaker } from '../shared/circuit-breaker.js';
import { handOverThroughBreaker, type HandOverFailure } from './delivery-breaker.js';
import { logDelivered, logDeliveryFailure } from './delivery-log.js';
import { renderNotification } from './render-notification.js';
import {
  DEFAULT_SMS_BODY_TEMPLATE,
  fillBodyTemplate,
  placeholdersOf,
  valueAtPath,
  type JsonValue,
} from './sms-body-template.js';
import { NotificationTemplateError } from './templates/template-definition.js';

export interface HttpSmsSenderOptions {
  /** Endpoint that takes one message per JSON POST. */
  url: string;
  /** Sent in `apiKeyHeader`, unless the body template places it with `{{api_key}}`. */
  apiKey?: string;
  apiKeyHeader?: string;
  /** Written before the key in the header (`Bearer <key>`); empty sends the key alone. */
  apiKeyScheme?: string;
  /** Brand name registered with the carriers; fills `{{sender_id}}`. */
  senderId?: string;
  /** Budget of the whole exchange, connecting to the last byte of the reply. */
  timeoutMs: number;
  /** The body as the gateway names its fields; see sms-body-template.ts. */
  bodyTemplate?: Readonly<Record<string, unknown>>;
  /** Dotted path of the reply field that says the gateway took the message, for gateways answering 200 to all. */
  acceptedField?: string;
  acceptedValues?: readonly string[];
}

/** Replies are a few hundred bytes; anything bigger is not a gateway reply. */
const MAX_REPLY_BYTES = 64 * 1024;

/**
 * SMS through an HTTP gateway: one JSON POST per message, never retried here, because a POST the gateway acted on
 * before the reply was lost would send the code twice; the person asks again instead. Whatever goes wrong (timeout,
 * network, 5xx, 4xx, a refusal in the reply) is `sender_unavailable`; 4xx and refused credentials are logged as a
 * configuration problem, since they do not pass by waiting.
 */
export class HttpSmsSender implements NotificationSender {
  private readonly template: JsonValue;
  private readonly keyInBody: boolean;

  constructor(
    private readonly options: HttpSmsSenderOptions,
    private readonly dependencies: {
      logger: Logger;
      /** Stops posting to a gateway that keeps failing (create-notification-sender.ts always gives one). */
      breaker?: CircuitBreaker;
    },
  ) {
    const url = new URL(options.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('notifications.sms.url: must be http or https');
    this.template = (options.bodyTemplate ?? DEFAULT_SMS_BODY_TEMPLATE) as JsonValue;
    const used = placeholdersOf(this.template, 'notifications.sms.bodyTemplate');
    if (!used.has('text')) throw new Error('notifications.sms.bodyTemplate: must place the message with {{text}}');
    if (!used.has('to') && !used.has('to_digits')) {
      throw new Error('notifications.sms.bodyTemplate: must place the recipient with {{to}} or {{to_digits}}');
    }
    if (used.has('sender_id') && !options.senderId) {
      throw new Error('notifications.sms.senderId: required, the body template uses {{sender_id}}');
    }
    if (used.has('api_key') && !options.apiKey) {
      throw new Error('notifications.sms.apiKey: required, the body template uses {{api_key}}');
    }
    if (options.acceptedField !== undefined && (options.acceptedValues ?? []).length === 0) {
      throw new Error('notifications.sms.acceptedValues: required when acceptedField is set');
    }
    this.keyInBody = used.has('api_key');
  }

  async send(notification: Notification): Promise<Result<void, 'sender_unavailable'>> {
    if (notification.channel !== 'sms') {
      throw new NotificationTemplateError(`the SMS gateway sends sms, not ${notification.channel}`);
    }
    const message = renderNotification(notification);
    const body = fillBodyTemplate(this.template, {
      to: message.to,
      to_digits: message.to.replace(/^\+/, ''),
      text: message.text,
      sender_id: this.options.senderId,
      api_key: this.options.apiKey,
    });
    const payload = JSON.stringify(body);
    const outcome = await handOverThroughBreaker(this.dependencies.breaker, () => this.post(payload));
    if (outcome) {
      logDeliveryFailure(this.dependencies.logger, { channel: 'sms', template: message.template, ...outcome });
      return fail('sender_unavailable');
    }
    logDelivered(this.dependencies.logger, 'sms', message.template);
    return ok(undefined);
  }

  /** Resolves to undefined when the gateway took the message, or to why it did not. */
  private async post(payload: string): Promise<HandOverFailure | undefined> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/json; charset=utf-8',
      'x-request-id': uuid(),
    };
    if (this.options.apiKey && !this.keyInBody) {
      const scheme = this.options.apiKeyScheme ?? 'Bearer';
      headers[(this.options.apiKeyHeader ?? 'Authorization').toLowerCase()] = scheme ? `${scheme} ${this.options.apiKey}` : this.options.apiKey;
    }
    let status: number;
    let reply: string;
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers,
        body: payload,
        // A redirect would carry the key and the code somewhere else: treat it as a wrong URL.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.status;
      reply = await readCapped(response);
    } catch (error) {
      return classifyFetchError(error);
    }
    if (status >= 500) return { kind: 'unavailable', reason: `http_${status}`, status };
    if (status === 429) return { kind: 'unavailable', reason: 'rate_limited', status };
    // 4xx: bad key, bad field names, wrong URL; 3xx: a moved endpoint. Waiting will not fix either.
    if (status < 200 || status >= 300) return { kind: 'misconfigured', reason: `http_${status}`, status };
    if (this.options.acceptedField === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(reply);
    } catch {
      return { kind: 'unavailable', reason: 'malformed_reply', status };
    }
    const value = valueAtPath(json, this.options.acceptedField);
    if (value !== undefined && value !== null && (this.options.acceptedValues ?? []).includes(String(value))) return undefined;
    // The gateway's own code (not personal data) tells the operator which of its refusals this was.
    return { kind: 'rejected', reason: `gateway_refused:${String(value).slice(0, 40)}`, status };
  }
}

async function readCapped(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_REPLY_BYTES) {
      await reader.cancel();
      throw new ReplyTooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

class ReplyTooLargeError extends Error {
  override readonly name = 'ReplyTooLargeError';
}

const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

function classifyFetchError(error: unknown): HandOverFailure {
  if (error instanceof ReplyTooLargeError) return { kind: 'unavailable', reason: 'reply_too_large' };
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { kind: 'unavailable', reason: 'timeout' };
  }
  // fetch wraps the socket error: the code is on the cause.
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : '';
  if (code === 'ENOTFOUND') return { kind: 'misconfigured', reason: 'unknown_host' };
  if (CERTIFICATE_CODE.test(code)) return { kind: 'misconfigured', reason: 'certificate' };
  return { kind: 'unavailable', reason: code ? `network:${code}` : 'network' };
}
