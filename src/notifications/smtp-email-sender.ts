import { createTransport } from 'nodemailer';
import type { NodemailerError } from 'nodemailer/lib/errors';
import type { Notification, NotificationSender } from '../domain/ports.js';
import type { Logger } from '../shared/logger.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { CircuitBreaker } from '../shared/circuit-breaker.js';
import { handOverThroughBreaker, type HandOverFailure } from './delivery-breaker.js';
import { logDelivered, logDeliveryFailure } from './delivery-log.js';
import { renderNotification, type RenderedNotification } from './render-notification.js';
import { NotificationTemplateError } from './templates/template-definition.js';

export interface SmtpEmailSenderOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS. */
  secure: boolean;
  /** With `secure` false: never send unless the connection was upgraded with STARTTLS. */
  requireTls: boolean;
  /** PEM of the CA that signed the relay's certificate, when it is not publicly trusted. */
  ca?: string | Buffer;
  user?: string;
  password?: string;
  /** The From header, e.g. `"Định danh điện tử" <no-reply@eid.example.vn>`. */
  from: string;
  /** Budget of one message: connecting, greeting, each reply, and the whole send. */
  timeoutMs: number;
  maxConnections: number;
}

/**
 * Email through an SMTP relay, over a pool of TLS connections. A message the relay has not accepted within
 * `timeoutMs` is abandoned and reported as `sender_unavailable`; the caller then discards the code it was carrying,
 * so a copy the relay still delivers late is useless rather than half of a state.
 */
export class SmtpEmailSender implements NotificationSender {
  private readonly transport: ReturnType<typeof createPool>;

  constructor(
    private readonly options: SmtpEmailSenderOptions,
    private readonly dependencies: {
      logger: Logger;
      /** Stops handing messages to a relay that keeps failing (create-notification-sender.ts always gives one). */
      breaker?: CircuitBreaker;
    },
  ) {
    this.transport = createPool(options);
  }

  async send(notification: Notification): Promise<Result<void, 'sender_unavailable'>> {
    if (notification.channel !== 'email') {
      throw new NotificationTemplateError(`the SMTP sender sends email, not ${notification.channel}`);
    }
    const message = renderNotification(notification);
    const failure = await handOverThroughBreaker(this.dependencies.breaker, () => this.handOver(message));
    if (failure) {
      logDeliveryFailure(this.dependencies.logger, { channel: 'email', template: message.template, ...failure });
      return fail('sender_unavailable');
    }
    logDelivered(this.dependencies.logger, 'email', message.template);
    return ok(undefined);
  }

  /** Closes the pooled connections; call on shutdown. */
  async close(): Promise<void> {
    this.transport.close();
  }

  /** Resolves to undefined when the relay accepted the message, or to why it did not. */
  private async handOver(message: RenderedNotification): Promise<HandOverFailure | undefined> {
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: {
          'Content-Language': message.locale,
          // RFC 3834: automatic replies (vacation notices) are not sent back to this address.
          'Auto-Submitted': 'auto-generated',
        },
        // The message carries no attachment: nothing may read a file or a URL while composing it.
        disableFileAccess: true,
        disableUrlAccess: true,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      return classifySmtpError(error as NodemailerError);
    }
    return undefined;
  }
}

function createPool(options: SmtpEmailSenderOptions) {
  const { timeoutMs } = options;
  return createTransport({
    pool: true,
    host: options.host,
    port: options.port,
    secure: options.secure,
    requireTLS: !options.secure && options.requireTls,
    auth: options.user !== undefined ? { user: options.user, pass: options.password ?? '' } : undefined,
    tls: {
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
    },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    maxConnections: options.maxConnections,
    // The pool reports through its callbacks; its own logger would print addresses.
    logger: false,
    debug: false,
  });
}

const CONFIGURATION_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ETLS', 'EREQUIRETLS', 'ECONFIG']);
/** Certificate problems surface as socket errors carrying OpenSSL's code. */
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

/** Which of "down", "our configuration" or "this recipient" stopped the message (see delivery-log.ts). */
function classifySmtpError(error: NodemailerError): HandOverFailure {
  const code = typeof error.code === 'string' ? error.code : 'unknown';
  const status = typeof error.responseCode === 'number' ? { status: error.responseCode } : {};
  if (code === 'EABORT') return { kind: 'unavailable', reason: 'timeout' };
  if (CONFIGURATION_CODES.has(code)) return { kind: 'misconfigured', reason: code, ...status };
  if (CERTIFICATE_CODE.test(error.originalCode ?? '') || CERTIFICATE_CODE.test(code)) {
    return { kind: 'misconfigured', reason: 'certificate', ...status };
  }
  if (code === 'EDNS' && error.originalCode === 'ENOTFOUND') return { kind: 'misconfigured', reason: 'unknown_host' };
  if (error.permanent === true) {
    // A refused sender address is ours to fix; a refused recipient or content concerns this message only.
    const command = (error.command ?? '').toUpperCase();
    if (command.startsWith('MAIL')) return { kind: 'misconfigured', reason: 'sender_refused', ...status };
    return { kind: 'rejected', reason: command.startsWith('RCPT') ? 'recipient_refused' : 'message_refused', ...status };
  }
  return { kind: 'unavailable', reason: code, ...status };
}
