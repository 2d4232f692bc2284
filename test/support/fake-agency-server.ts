import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { ImmigrationRegistry, PopulationRegistry, RegistryLookup } from '../../src/domain/registry.js';

/**
 * A loopback HTTP(S) server speaking the agency lookup API (docs/registry/agency-api.md), answering from any
 * PopulationRegistry/ImmigrationRegistry (usually a FileRegistry), with switches that make it misbehave the ways a
 * real agency can: slow, 5xx, dropped connections, garbage, answers about someone else.
 */
export type AgencyBehaviour =
  | 'normal'
  /** Accepts the request and never answers (until the server closes). */
  | 'hang'
  | 'server_error'
  | 'rate_limited'
  /** Destroys the connection without a reply. */
  | 'drop'
  /** 200 with a body that is not JSON. */
  | 'not_json'
  /** 200 JSON without the promised envelope. */
  | 'wrong_shape'
  /** 200 found, but the record is for another person. */
  | 'someone_else'
  /** 200 found, with a record that fails validation. */
  | 'invalid_record'
  /** A reply bigger than any lookup reply. */
  | 'huge'
  /** 404 HTML, as a misrouted proxy would answer. */
  | 'html_not_found'
  /** Holds the request until releaseHeld(), then answers normally: a slow answer whose end the test decides. */
  | 'hold';

export interface FakeAgencyOptions {
  population: PopulationRegistry;
  immigration: ImmigrationRegistry;
  /** When set, requests without this `X-Api-Key` get 401. */
  apiKey?: string;
  /** Serve HTTPS and require a client certificate signed by `ca` (mutual TLS). */
  tls?: { key: string; cert: string; ca: string };
}

export class FakeAgencyServer {
  /** What every request gets unless `failNext` queued something else. */
  behaviour: AgencyBehaviour = 'normal';
  /** Requests received, per path. */
  readonly requests = new Map<string, number>();
  /** X-Request-Id of each request, in order. */
  readonly requestIds: string[] = [];
  private readonly queued: AgencyBehaviour[] = [];
  private readonly held: (() => void)[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  private constructor(private readonly options: FakeAgencyOptions) {
    const handler = (request: IncomingMessage, response: ServerResponse): void => {
      this.handle(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
    };
    this.server = options.tls
      ? createHttpsServer(
          { key: options.tls.key, cert: options.tls.cert, ca: options.tls.ca, requestCert: true, rejectUnauthorized: true },
          handler,
        )
      : createHttpServer(handler);
    const track = (socket: Socket): void => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    };
    this.server.on('connection', track);
  }

  static async start(options: FakeAgencyOptions): Promise<FakeAgencyServer> {
    const agency = new FakeAgencyServer(options);
    await new Promise<void>((resolve) => agency.server.listen(0, '127.0.0.1', resolve));
    return agency;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}/`;
  }

  /** The next `count` requests get `behaviour`, then `this.behaviour` again. */
  failNext(count: number, behaviour: AgencyBehaviour): void {
    for (let i = 0; i < count; i += 1) this.queued.push(behaviour);
  }

  requestCount(path?: string): number {
    if (path) return this.requests.get(path) ?? 0;
    return [...this.requests.values()].reduce((sum, count) => sum + count, 0);
  }

  /** Requests held by the `hold` behaviour and not released yet. */
  get heldRequests(): number {
    return this.held.length;
  }

  /** Lets every held request go on to its normal answer. */
  releaseHeld(): void {
    for (const release of this.held.splice(0)) release();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://agency').pathname;
    this.requests.set(path, (this.requests.get(path) ?? 0) + 1);
    this.requestIds.push(String(request.headers['x-request-id'] ?? ''));
    const body = await readBody(request);
    let behaviour = this.queued.shift() ?? this.behaviour;
    if (behaviour === 'hold' && path !== '/v1/health') {
      await new Promise<void>((resolve) => this.held.push(resolve));
      behaviour = 'normal';
    }

    if (path === '/v1/health' && request.method === 'GET') return json(response, 200, { status: 'ok' });
    if (behaviour === 'hang') return;
    if (behaviour === 'drop') {
      request.socket.destroy();
      return;
    }
    if (behaviour === 'server_error') return json(response, 503, { error: 'unavailable' });
    if (behaviour === 'rate_limited') return json(response, 429, { error: 'rate_limited' });
    if (behaviour === 'html_not_found') {
      response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
      return;
    }
    if (this.options.apiKey !== undefined && request.headers['x-api-key'] !== this.options.apiKey) {
      return json(response, 401, { error: 'unauthorized' });
    }
    if (request.method !== 'POST' || !String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return json(response, 400, { error: 'invalid_request' });
    }
    let query: Record<string, unknown>;
    try {
      query = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return json(response, 400, { error: 'invalid_request' });
    }

    let lookup: RegistryLookup<object>;
    if (path === '/v1/citizens/lookup' && typeof query.idNumber === 'string') {
      lookup = await this.options.population.findCitizen(query.idNumber);
    } else if (
      path === '/v1/foreigners/lookup' &&
      typeof query.passportNumber === 'string' &&
      typeof query.nationality === 'string'
    ) {
      lookup = await this.options.immigration.findForeigner(query.passportNumber, query.nationality);
    } else {
      return json(response, 404, { error: 'not_found' });
    }
    if (!lookup.ok) return json(response, 503, { error: 'unavailable' });

    switch (behaviour) {
      case 'not_json':
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"result": "found", "rec');
        return;
      case 'wrong_shape':
        return json(response, 200, { status: 'ok', data: lookup.value });
      case 'huge':
        return json(response, 200, { result: 'not_found', padding: 'x'.repeat(1024 * 1024) });
      case 'someone_else':
        return lookup.value
          ? json(response, 200, { result: 'found', record: { ...lookup.value, ...someoneElse(lookup.value) } })
          : json(response, 200, { result: 'not_found' });
      case 'invalid_record':
        return json(response, 200, { result: 'found', record: { ...lookup.value, birthDate: '31/12/1990' } });
      default:
        return lookup.value
          ? json(response, 200, { result: 'found', record: lookup.value })
          : json(response, 200, { result: 'not_found' });
    }
  }
}

/** The identifying fields of another person, so the reply is well formed but about someone else. */
function someoneElse(record: object): Record<string, string> {
  if ('idNumber' in record) return { idNumber: '001099000001' };
  return { passportNumber: 'X00000001' };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
