import type { Notification, NotificationChannel } from '../../domain/ports.js';

/**
 * The shape of one message of the catalogue. Templates are TypeScript functions rather than text files so that a
 * template's parameters are typed, every variant (vi/en x sms/email) is checked by the compiler, and the email HTML is
 * produced by one layout that escapes everything (email-layout.ts): a template never writes markup.
 */

export type MessageLocale = Notification['locale'];

export interface ParamSpec {
  /** The whole value must match (anchor the expression). */
  pattern: RegExp;
  /** A realistic value of the greatest length the pattern allows; tests render every template with these. */
  longestExample: string;
  /** Absent parameters are allowed only when this is true. */
  optional: boolean;
}

/** A piece of an email body. The layout turns each into escaped HTML and plain text. */
export type EmailBlock =
  /** Ordinary text. */
  | { kind: 'paragraph'; text: string }
  /** A one-time code, shown large and alone on its line so it can be copied. */
  | { kind: 'code'; text: string }
  /** Safety advice, set apart from the rest. */
  | { kind: 'warning'; text: string };

export interface EmailContent {
  subject: string;
  blocks: readonly EmailBlock[];
}

/** One language of a template. Method syntax on purpose: the catalogue stores templates of different parameters. */
export interface LocalizedTemplate<P> {
  sms(params: P): string;
  email(params: P): EmailContent;
}

/** Each parameter of P described, optional exactly when P makes it optional. */
export type ParamSpecs<P> = { [K in keyof P]-?: ParamSpec & { optional: undefined extends P[K] ? true : false } };

export interface TemplateDefinition<P> {
  /** Why the message is sent, with the article that asks for it. */
  purpose: string;
  /** Channels the message may travel through. */
  channels: readonly NotificationChannel[];
  params: ParamSpecs<P>;
  vi: LocalizedTemplate<P>;
  en: LocalizedTemplate<P>;
}

/** What a template produces for one channel. */
export type TemplateOutput = { channel: 'sms'; text: string } | ({ channel: 'email' } & EmailContent);

/** A catalogue entry with its parameter types erased; `render` checks the parameters before any text is made. */
export interface NotificationTemplate {
  readonly purpose: string;
  readonly channels: readonly NotificationChannel[];
  readonly params: Readonly<Record<string, ParamSpec>>;
  render(channel: NotificationChannel, locale: MessageLocale, params: Readonly<Record<string, string>>): TemplateOutput;
}

/** Longest value any parameter may have, whatever its pattern says. */
const MAX_PARAM_LENGTH = 200;
// Control characters (CR/LF among them) have no place in a message and could split a header.
const CONTROL_CHARACTERS = /[\p{Cc}\u2028\u2029]/u;

/**
 * Thrown for a notification the program should never have built (unknown template, missing or malformed parameter,
 * wrong channel). A bug, not an outcome: it is raised before anything is sent.
 */
export class NotificationTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotificationTemplateError';
  }
}

export function defineTemplate<P>(name: string, definition: TemplateDefinition<P>): NotificationTemplate {
  const specs = definition.params as Readonly<Record<string, ParamSpec>>;
  const check = (params: Readonly<Record<string, string>>): P => {
    for (const key of Object.keys(params)) {
      if (!Object.hasOwn(specs, key)) throw new NotificationTemplateError(`${name}: unknown parameter "${key}"`);
    }
    for (const [key, spec] of Object.entries(specs)) {
      const value = Object.hasOwn(params, key) ? params[key] : undefined;
      if (value === undefined) {
        if (spec.optional) continue;
        throw new NotificationTemplateError(`${name}: parameter "${key}" is required`);
      }
      // The value itself is never put in the message: it may be personal data or a code.
      if (typeof value !== 'string' || value.length > MAX_PARAM_LENGTH || CONTROL_CHARACTERS.test(value)) {
        throw new NotificationTemplateError(`${name}: parameter "${key}" is not acceptable text`);
      }
      if (!spec.pattern.test(value)) throw new NotificationTemplateError(`${name}: parameter "${key}" has the wrong form`);
    }
    return params as P;
  };
  return {
    purpose: definition.purpose,
    channels: definition.channels,
    params: specs,
    render(channel, locale, params) {
      if (!definition.channels.includes(channel)) {
        throw new NotificationTemplateError(`${name}: not sent by ${channel}`);
      }
      const text = locale === 'en' ? definition.en : definition.vi;
      const values = check(params);
      return channel === 'sms' ? { channel, text: text.sms(values) } : { channel, ...text.email(values) };
    },
  };
}
