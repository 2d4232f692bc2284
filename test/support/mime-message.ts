/**
 * Reads a received email (RFC 5322 + MIME) far enough to assert what a person would see: headers with their
 * encoded words decoded (RFC 2047), and the text/plain and text/html parts with their transfer encoding undone.
 */
export interface MimeMessage {
  /** Lower-case header name -> decoded value (the first occurrence). */
  headers: Map<string, string>;
  subject: string;
  text?: string;
  html?: string;
}

interface MimePart {
  headers: Map<string, string>;
  body: string;
}

export function parseMimeMessage(raw: string): MimeMessage {
  const message = splitPart(raw.replace(/\r\n/g, '\n'));
  const found: { text?: string; html?: string } = {};
  collectBodies(message, found);
  return { headers: message.headers, subject: message.headers.get('subject') ?? '', ...found };
}

function splitPart(source: string): MimePart {
  const end = source.indexOf('\n\n');
  const head = end === -1 ? source : source.slice(0, end);
  const body = end === -1 ? '' : source.slice(end + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, decodeEncodedWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

function collectBodies(part: MimePart, found: { text?: string; html?: string }): void {
  const contentType = part.headers.get('content-type') ?? 'text/plain';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type.startsWith('multipart/')) {
    const boundary = parameter(contentType, 'boundary');
    if (!boundary) return;
    const delimiter = `--${boundary}`;
    const sections = part.body.split(new RegExp(`^${escapeRegExp(delimiter)}(?:--)?[ \\t]*$`, 'm'));
    // The first section is the preamble, the last the epilogue.
    for (const section of sections.slice(1, -1)) collectBodies(splitPart(section.replace(/^\n/, '').replace(/\n$/, '')), found);
    return;
  }
  const decoded = decodeBody(part.body, part.headers.get('content-transfer-encoding') ?? '7bit');
  if (type === 'text/plain' && found.text === undefined) found.text = decoded;
  if (type === 'text/html' && found.html === undefined) found.html = decoded;
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return quotedPrintableBytes(body.replace(/=\n/g, '')).toString('utf8');
    default:
      return body;
  }
}

function quotedPrintableBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047; adjacent encoded words are joined before decoding, since a character's bytes may span two words. */
function decodeEncodedWords(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  let result = '';
  let pending: Buffer[] = [];
  let last = 0;
  const flush = (): void => {
    if (pending.length > 0) result += Buffer.concat(pending).toString('utf8');
    pending = [];
  };
  for (const match of joined.matchAll(word)) {
    const index = match.index ?? 0;
    if (index > last) {
      flush();
      result += joined.slice(last, index);
    }
    const [, , kind = 'Q', data = ''] = match;
    pending.push(kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : quotedPrintableBytes(data.replace(/_/g, ' ')));
    last = index + match[0].length;
  }
  flush();
  return result + joined.slice(last);
}

function parameter(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(header);
  return match ? (match[1] ?? match[2]) : undefined;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
