/**
 * The JSON body an SMS gateway expects, described in configuration as a JSON value whose strings may hold
 * placeholders. Substitution happens inside the parsed value and the result is serialised afterwards, so a message
 * text can never break out of its string (no JSON injection through a parameter).
 */

export const SMS_PLACEHOLDERS = ['to', 'to_digits', 'text', 'sender_id', 'api_key'] as const;
export type SmsPlaceholder = (typeof SMS_PLACEHOLDERS)[number];
export type SmsPlaceholderValues = Record<SmsPlaceholder, string | undefined>;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const DEFAULT_SMS_BODY_TEMPLATE: Readonly<Record<string, JsonValue>> = {
  to: '{{to}}',
  text: '{{text}}',
  sender_id: '{{sender_id}}',
};

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

const isPlaceholder = (name: string): name is SmsPlaceholder => (SMS_PLACEHOLDERS as readonly string[]).includes(name);

/** Every placeholder the template uses; throws on one it does not know or on a value that is not JSON. */
export function placeholdersOf(template: unknown, path = 'bodyTemplate'): Set<SmsPlaceholder> {
  const found = new Set<SmsPlaceholder>();
  const visit = (node: unknown, at: string): void => {
    if (typeof node === 'string') {
      for (const match of node.matchAll(PLACEHOLDER)) {
        const name = match[1] ?? '';
        if (!isPlaceholder(name)) {
          throw new Error(`${at}: unknown placeholder {{${name}}} (known: ${SMS_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')})`);
        }
        found.add(name);
      }
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${at}[${index}]`));
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) visit(value, `${at}.${key}`);
    } else if (!(typeof node === 'number' || typeof node === 'boolean' || node === null)) {
      throw new Error(`${at}: not a JSON value`);
    }
  };
  visit(template, path);
  return found;
}

/** A copy of the template with every placeholder replaced; the template must have passed placeholdersOf(). */
export function fillBodyTemplate(template: JsonValue, values: SmsPlaceholderValues): JsonValue {
  if (typeof template === 'string') {
    return template.replace(PLACEHOLDER, (_whole, name: string) => (isPlaceholder(name) ? (values[name] ?? '') : ''));
  }
  if (Array.isArray(template)) return template.map((item) => fillBodyTemplate(item, values));
  if (typeof template === 'object' && template !== null) {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, fillBodyTemplate(value, values)]));
  }
  return template;
}

/** The value at a dotted path of a parsed JSON reply (`result.code`, `messages.0.status`). */
export function valueAtPath(json: unknown, path: string): unknown {
  let node: unknown = json;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
