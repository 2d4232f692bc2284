import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { ABIS_VERIFY_PATH } from '../../src/biometrics/http-abis-verifier.js';
import type { BiometricVerifier } from '../../src/domain/ports.js';

/**
 * A loopback HTTP(S) server speaking the ABIS wire format of docs/biometrics.md, deciding with any BiometricVerifier
 * (a scripted one, or the local face matcher for the contract test), with switches that make it misbehave the ways a
 * real service can.
 */
export type AbisBehaviour =
  | 'normal'
  /** Accepts the request and never answers (until the server closes). */
  | 'hang'
  | 'server_error'
  /** 200 with a body that is not JSON. */
  | 'not_json'
  /** 200 JSON of another shape. */
  | 'wrong_shape'
  /** 200 JSON `rejected` with a reason the wire format does not have. */
  | 'unknown_reason'
  /** A reply far larger than any answer. */
  | 'huge'
  /** Destroys the connection without a reply. */
  | 'drop';

/** What the fake saw of one request: metadata only, never the photo. */
export interface AbisRequestSeen {
  apiKey: string | undefined;
  requestId: string | undefined;
  contentType: string | undefined;
  portraitRef: unknown;
  mediaType: unknown;
  probeBytes: number;
}

export interface FakeAbisOptions {
  verifier: BiometricVerifier;
  /** When set, requests without this `X-Api-Key` get 401. */
  apiKey?: string;
  /** Serve HTTPS and require a client certificate signed by `ca` (mutual TLS). */
  tls?: { key: string; cert: string; ca: string };
}

export class FakeAbisServer {
  behaviour: AbisBehaviour = 'normal';
  readonly requests: AbisRequestSeen[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  private constructor(private readonly options: FakeAbisOptions) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.handle(req, res);
    this.server = options.tls
      ? createHttpsServer({ ...options.tls, requestCert: true, rejectUnauthorized: true }, handler)
      : createHttpServer(handler);
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: FakeAbisOptions): Promise<FakeAbisServer> {
    const fake = new FakeAbisServer(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const json = (res: ServerResponse, status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== ABIS_VERIFY_PATH) return json(res, 404, { error: 'not_found' });
    if (this.options.apiKey && req.headers['x-api-key'] !== this.options.apiKey) {
      return json(res, 401, { error: 'unauthorized' });
    }
    let body: { portraitRef?: unknown; probe?: { mediaType?: unknown; data?: unknown } };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return json(res, 400, { error: 'invalid_request' });
    }
    const probe = typeof body.probe?.data === 'string' ? Buffer.from(body.probe.data, 'base64') : Buffer.alloc(0);
    this.requests.push({
      apiKey: req.headers['x-api-key'] as string | undefined,
      requestId: req.headers['x-request-id'] as string | undefined,
      contentType: req.headers['content-type'],
      portraitRef: body.portraitRef,
      mediaType: body.probe?.mediaType,
      probeBytes: probe.length,
    });
    switch (this.behaviour) {
      case 'hang':
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'server_error':
        return json(res, 503, { error: 'unavailable' });
      case 'not_json':
        res.writeHead(200, { 'content-type': 'application/json' }).end('<html>ok</html>');
        return;
      case 'wrong_shape':
        return json(res, 200, { match: 'yes' });
      case 'unknown_reason':
        return json(res, 200, { result: 'rejected', reason: 'too_sunny' });
      case 'huge':
        return json(res, 200, { result: 'compared', matched: true, score: 1, padding: 'x'.repeat(100_000) });
      case 'normal':
        break;
    }
    if (typeof body.portraitRef !== 'string' || probe.length === 0) return json(res, 400, { error: 'invalid_request' });
    const outcome = await this.options.verifier.verifyPortrait({
      probe: new Uint8Array(probe),
      portraitRef: body.portraitRef,
    });
    if (outcome.ok) {
      return json(res, 200, { result: 'compared', matched: outcome.value.matched, score: outcome.value.score });
    }
    if (outcome.error === 'verifier_unavailable') return json(res, 503, { error: 'unavailable' });
    return json(res, 200, { result: 'rejected', reason: outcome.error });
  }
}
