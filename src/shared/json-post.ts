import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fail, ok, type Result } from './result.js';

/** What came back, unread: the caller decides what a good answer is. */
export interface RawReply {
  status: number;
  contentType: string;
  body: Buffer;
}

/** Why no reply could be read at all. Callers treat each as "the service could not answer" (fail closed). */
export type PostFailure = 'timeout' | 'network' | 'reply_too_large';

export interface JsonPost {
  url: URL;
  agent: HttpAgent;
  payload: string;
  requestId: string;
  apiKey?: string;
  /** Budget of the whole exchange, from connecting to the last byte. */
  timeoutMs: number;
  /** A longer reply is refused without being read further. */
  maxReplyBytes: number;
}

/**
 * One JSON POST to a partner service (an agency registry, an ABIS) with a time budget and a size cap: whatever happens,
 * the promise settles exactly once, and a reply cut short is a network failure, never a truncated answer.
 */
export function postJson(call: JsonPost): Promise<Result<RawReply, PostFailure>> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(call.payload)),
    'x-request-id': call.requestId,
  };
  if (call.apiKey) headers['x-api-key'] = call.apiKey;
  const request = call.url.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: Result<RawReply, PostFailure>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = request(call.url, { method: 'POST', agent: call.agent, headers });
    const timer = setTimeout(() => {
      settle(fail('timeout'));
      req.destroy();
    }, call.timeoutMs);
    req.on('error', () => settle(fail('network')));
    req.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > call.maxReplyBytes) {
          settle(fail('reply_too_large'));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', () => settle(fail('network')));
      response.on('aborted', () => settle(fail('network')));
      response.on('end', () => {
        if (!response.complete) {
          settle(fail('network'));
          return;
        }
        settle(ok({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
      });
    });
    req.end(call.payload);
  });
}
