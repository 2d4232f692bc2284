import fc from 'fast-check';

/**
 * What an attacker, a broken client or an unlucky keyboard sends in place of a form or API field: the arbitraries of
 * the hostile-input suites (issue 6). Each carries a marker the escaping checks look for in the answer.
 */

/** Strings that would do harm if a layer interpreted them instead of treating them as data. */
export const INJECTIONS: readonly string[] = [
  "' OR '1'='1' --",
  '1; DROP TABLE accounts; --',
  '"><script>alert("x9q")</script>',
  "<img src=x onerror=alert('x9q')>",
  '<svg/onload=alert(1)>',
  'javascript:alert(1)',
  '<%= process.exit(1) %>',
  '<%~ it.constructor.constructor("return process")() %>',
  '{{constructor.constructor("return process")()}}',
  '${process.exit(1)}',
  '#{7*7}',
  'a\r\nSet-Cookie: injected=1',
  'a\r\nLocation: http://evil.example/',
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '__proto__',
  'constructor',
  'KEYS *',
  '*\r\n$4\r\nKEYS\r\n$1\r\n*\r\n',
  '{"$gt":""}',
  'http://127.0.0.1:6379/',
];

/** Text that breaks naive handling of Unicode: lone surrogates, bidi overrides, zero-width, combining marks, NUL. */
export const UNICODE_EDGES: readonly string[] = [
  '\uD800',
  '\uDFFF',
  'a\uD83Db',
  '\u202Egnp.exe',
  '\u200B\u200C\u200D\uFEFF',
  `e${'\u0301'.repeat(200)}`,
  'Nguyễn\u0000Văn',
  '\u0000',
  '\uFFFF\uFFFE',
  '𝕍𝕚𝕖𝕥 🇻🇳 👨‍👩‍👧',
  'ı̇İ ß ǅ',
  '\t\n\v\f\r ',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** A hostile string: an injection, a Unicode edge case, random text of any plane, or something very long. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...INJECTIONS), weight: 3 },
  { arbitrary: fc.constantFrom(...UNICODE_EDGES), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: fc.oneof(loneSurrogate, fc.constantFrom('a', '<', '"', '\u0000', '\u202E')), maxLength: 20 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 300, maxLength: 3_000 }), weight: 1 },
);

/** How the value reaches the server: as the field's text, or shaped as the wrong type. */
export type HostileShape =
  | { shape: 'text'; value: string }
  /** The field repeated (`a=1&a=2`): an array where a string is expected. */
  | { shape: 'repeated'; values: string[] }
  /** qs-style brackets (`a[$gt]=1`): an object where a string is expected. */
  | { shape: 'nested'; key: string; value: string }
  /** A JSON body with a value of the wrong type for the field. */
  | { shape: 'json'; value: unknown }
  /** Percent-escapes that are not UTF-8 (overlong, surrogates, truncated). */
  | { shape: 'bad-utf8'; escaped: string };

const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1e308, [], {}, { $gt: '' }, JSON.parse('{"__proto__":{"admin":true}}'), ['a', 'b'], [[[]]]),
  fc.integer(),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('$ne', '__proto__', 'constructor', 'toString', 'a'), hostileString, { maxKeys: 2 }),
);

export const hostileShape: fc.Arbitrary<HostileShape> = fc.oneof(
  { arbitrary: hostileString.map((value): HostileShape => ({ shape: 'text', value })), weight: 6 },
  { arbitrary: fc.array(hostileString, { minLength: 2, maxLength: 3 }).map((values): HostileShape => ({ shape: 'repeated', values })), weight: 1 },
  {
    arbitrary: fc.record({ key: fc.constantFrom('$gt', '__proto__', 'constructor', '0', ''), value: hostileString }).map((nested): HostileShape => ({ shape: 'nested', ...nested })),
    weight: 1,
  },
  { arbitrary: jsonValue.map((value): HostileShape => ({ shape: 'json', value })), weight: 2 },
  { arbitrary: fc.constantFrom('%C0%AE%C0%AE', '%ED%A0%80', '%F4%90%80%80', '%E2%82', '%FF%FE', '%00%0D%0A').map((escaped): HostileShape => ({ shape: 'bad-utf8', escaped })), weight: 1 },
);

/** A request body carrying `fields` with `field` replaced by the hostile shape. */
export interface HostileBody {
  contentType: string;
  body: string;
}

export function hostileBody(fields: Record<string, string>, field: string, hostile: HostileShape): HostileBody {
  const others = Object.entries(fields).filter(([name]) => name !== field);
  const form = (extra: string): HostileBody => {
    const rest = new URLSearchParams(others).toString();
    return { contentType: 'application/x-www-form-urlencoded', body: [rest, extra].filter((part) => part !== '').join('&') };
  };
  const name = encodeURIComponent(field);
  switch (hostile.shape) {
    case 'text':
      return form(`${name}=${encodeText(hostile.value)}`);
    case 'repeated':
      return form(hostile.values.map((value) => `${name}=${encodeText(value)}`).join('&'));
    case 'nested':
      return form(`${name}%5B${encodeURIComponent(hostile.key)}%5D=${encodeText(hostile.value)}`);
    case 'bad-utf8':
      return form(`${name}=${hostile.escaped}`);
    case 'json':
      return { contentType: 'application/json', body: JSON.stringify({ ...Object.fromEntries(others), [field]: hostile.value }) };
  }
}

/**
 * Percent-encodes UTF-16 text as a browser would, except that lone surrogates are sent as the (invalid) UTF-8 of the
 * surrogate itself instead of being replaced: the server must cope with the bytes, not with a browser's clean-up.
 */
function encodeText(value: string): string {
  let encoded = '';
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    const next = value.charCodeAt(index + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      encoded += encodeURIComponent(value.slice(index, index + 2));
      index += 1;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      encoded += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      encoded += encodeURIComponent(value[index] ?? '');
    }
  }
  return encoded;
}

/** Text of a hostile shape that could come back in a page (what the escaping check looks for). */
export function reflectableTexts(hostile: HostileShape): string[] {
  switch (hostile.shape) {
    case 'text':
      return [hostile.value];
    case 'repeated':
      return hostile.values;
    case 'nested':
      return [hostile.value];
    default:
      return [];
  }
}

/**
 * Markup an unescaped echo of an injection would put in the page. Our own templates never contain these, so finding
 * one means a value went out unescaped.
 */
export const UNESCAPED_MARKERS: readonly RegExp[] = [/<script>alert\(/i, /<img src=x onerror/i, /<svg\/onload/i, /alert\(['"]?x9q/];

/** Whether the answer shows any of the texts unescaped (only texts that would matter: markup characters, 6+ long). */
export function echoesUnescaped(html: string, texts: readonly string[]): boolean {
  if (UNESCAPED_MARKERS.some((marker) => marker.test(html))) return true;
  return texts.some((text) => text.length >= 6 && /[<>"']/.test(text) && html.includes(text));
}
