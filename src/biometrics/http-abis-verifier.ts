import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { postJson, type RawReply } from '../shared/json-post.js';
import type { BiometricVerifier, PortraitCheck, PortraitCheckFailure } from '../domain/ports.js';
import { uuid } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import { fail, ok, type Result } from '../shared/result.js';
import { sniffImageFormat } from './face/image-decoding.js';

export const ABIS_VERIFY_PATH = '/v1/portraits/verify';

export interface HttpAbisVerifierOptions {
  /** e.g. https://abis.agency.example/api — ABIS_VERIFY_PATH is appended. */
  baseUrl: string;
  /** Budget of the whole call, connect to last byte; then `verifier_unavailable`. */
  timeoutMs: number;
  /** Sent as `X-Api-Key`. */
  apiKey?: string;
  /** PEM contents (the factory reads the files). */
  mutualTls?: { cert: string | Buffer; key: string | Buffer };
  caCertificate?: string | Buffer;
}

/** A reply is a few dozen bytes; anything this large is not one. */
const MAX_REPLY_BYTES = 16 * 1024;
const REJECTIONS = new Set<PortraitCheckFailure>([
  'no_face',
  'multiple_faces',
  'poor_quality',
  'reference_unavailable',
]);

/** Why a call produced no usable answer; all of them are `verifier_unavailable` to the caller, the reason is logged. */
type CallFailure = 'timeout' | 'network' | 'server_error' | 'unexpected_status' | 'reply_too_large' | 'malformed_reply';

/**
 * The remote portrait check of Decision 34 Art 5.1.b delegated to an external biometric identification service (ABIS)
 * that holds the registry's portraits itself: we send the probe photo and the registry's portrait reference; it answers
 * with its decision. Wire format in docs/biometrics.md.
 *
 * No retry: the photo is sensitive data and the person is waiting; a failed call is `verifier_unavailable` and the
 * person tries again. The probe and the reply are never logged; log lines carry the request id and the outcome only.
 */
export class HttpAbisVerifier implements BiometricVerifier {
  private readonly endpoint: URL;
  private readonly agent: HttpAgent;

  constructor(
    private readonly options: HttpAbisVerifierOptions,
    private readonly logger?: Logger,
  ) {
    const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.endpoint = new URL(ABIS_VERIFY_PATH.slice(1), base);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error('ABIS: URL must be http or https');
    if ((options.mutualTls || options.caCertificate) && base.protocol !== 'https:') {
      throw new Error('ABIS: TLS settings need an https URL');
    }
    this.agent =
      base.protocol === 'https:'
        ? new HttpsAgent({
            keepAlive: true,
            ...(options.mutualTls ?? {}),
            ...(options.caCertificate ? { ca: options.caCertificate } : {}),
          })
        : new HttpAgent({ keepAlive: true });
  }

  async verifyPortrait(input: {
    probe: Uint8Array;
    portraitRef: string;
  }): Promise<Result<PortraitCheck, PortraitCheckFailure>> {
    const format = sniffImageFormat(input.probe);
    // Not a photo at all: no need to send it anywhere.
    if (!format) return fail('poor_quality');
    const requestId = uuid();
    const body = JSON.stringify({
      portraitRef: input.portraitRef,
      probe: {
        mediaType: format === 'jpeg' ? 'image/jpeg' : 'image/png',
        data: Buffer.from(input.probe).toString('base64'),
      },
    });
    const reply = await this.post(body, requestId);
    const outcome = reply.ok ? readReply(reply.value) : reply;
    if (!outcome.ok) {
      this.logger?.error({ event: 'portrait.check_failed', method: 'abis', requestId, reason: outcome.error });
      return fail('verifier_unavailable');
    }
    const answer = outcome.value;
    if (answer.ok) {
      this.logger?.info({ event: 'portrait.compared', method: 'abis', requestId, matched: answer.value.matched });
    } else {
      this.logger?.info({ event: 'portrait.rejected', method: 'abis', requestId, reason: answer.error });
    }
    return answer;
  }

  /** Closes idle keep-alive connections; call on shutdown. */
  close(): void {
    this.agent.destroy();
  }

  private post(payload: string, requestId: string): Promise<Result<RawReply, CallFailure>> {
    return postJson({
      url: this.endpoint,
      agent: this.agent,
      payload,
      requestId,
      apiKey: this.options.apiKey,
      timeoutMs: this.options.timeoutMs,
      maxReplyBytes: MAX_REPLY_BYTES,
    });
  }
}

/** Only a 200 JSON reply of the documented shape is an answer; anything else means the ABIS could not answer. */
function readReply(reply: RawReply): Result<Result<PortraitCheck, PortraitCheckFailure>, CallFailure> {
  if (reply.status >= 500) return fail('server_error');
  if (reply.status !== 200) return fail('unexpected_status');
  if (!/^application\/json\b/i.test(reply.contentType)) return fail('malformed_reply');
  let json: unknown;
  try {
    json = JSON.parse(reply.body.toString('utf8'));
  } catch {
    return fail('malformed_reply');
  }
  if (typeof json !== 'object' || json === null) return fail('malformed_reply');
  const answer = json as Record<string, unknown>;
  if (answer.result === 'compared' && typeof answer.matched === 'boolean' && typeof answer.score === 'number') {
    if (!Number.isFinite(answer.score)) return fail('malformed_reply');
    return ok(ok({ matched: answer.matched, score: answer.score, method: 'face' }));
  }
  if (answer.result === 'rejected' && REJECTIONS.has(answer.reason as PortraitCheckFailure)) {
    return ok(fail(answer.reason as PortraitCheckFailure));
  }
  return fail('malformed_reply');
}
