import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/shared/logger.js';

function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('log lines never carry personal data or secrets', () => {
  it('censors the named keys at any depth, in arrays too, and keeps everything else', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: 'info' }, stream);
    logger.info(
      {
        event: 'registration.started',
        idNumber: '001090900006',
        nested: { deeper: { email: 'an@example.vn', phone: '+84912345678', kind: 'citizen' } },
        list: [{ password: 'hunter2', count: 3 }],
        headers: { authorization: 'Bearer abc', cookie: 'a=b', 'set-cookie': 'c=d', accept: 'text/html' },
      },
      'registration.started',
    );
    const [line] = lines;
    expect(line).toMatchObject({
      event: 'registration.started',
      idNumber: '[redacted]',
      nested: { deeper: { email: '[redacted]', phone: '[redacted]', kind: 'citizen' } },
      list: [{ password: '[redacted]', count: 3 }],
      headers: { authorization: '[redacted]', cookie: '[redacted]', 'set-cookie': '[redacted]', accept: 'text/html' },
    });
    expect(JSON.stringify(line)).not.toMatch(/001090900006|an@example|hunter2|Bearer abc/);
  });

  it('writes lines with nothing to censor as they are, with an ISO-8601 time in milliseconds', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: 'info' }, stream);
    const line = { method: 'POST', route: '/token', status: 200, durationMs: 2.5, nested: { list: [1, 'two', { three: 3 }] } };
    const before = Date.now();
    logger.info(line, 'request');
    const after = Date.now();
    const [written] = lines;
    expect(written).toMatchObject({ ...line, msg: 'request', service: 'vn-eid', level: 'info' });
    expect(written?.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const time = Date.parse(String(written?.time));
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(after);
  });
});
