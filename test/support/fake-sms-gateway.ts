import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback SMS gateway taking one JSON POST per message, with switches that make it misbehave the ways a real
 * gateway can. It keeps the messages it accepted, so a test sees what would have reached the phone.
 */
export type GatewayBehaviour =
  | 'ok'
  /** 503: the gateway is down behind its load balancer. */
  | 'server_error'
  /** 401: our key is wrong (a configuration problem). */
  | 'client_error'
  /** Takes the request and never answers (until the gateway closes). */
  | 'slow'
  /** Drops every connection before reading it, as a host with nothing listening would. */
  | 'refuse'
  /** 200 with `{ "code": "rejected" }`, as gateways that answer 200 to everything do. */
  | 'refused_in_body';

export interface GatewayRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export const GATEWAY_PATH = '/v1/sms';

export class FakeSmsGateway {
  behaviour: GatewayBehaviour = 'ok';
  /** Requests the gateway accepted (answered 2xx with an acceptance). */
  readonly accepted: GatewayRequest[] = [];
  /** Every request that reached the handler, accepted or not. */
  readonly requests: GatewayRequest[] = [];
  /** Requests held open by the `slow` switch. */
  pending = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
    });
    this.server.on('connection', (socket: Socket) => {
      if (this.behaviour === 'refuse') {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<FakeSmsGateway> {
    const gateway = new FakeSmsGateway();
    await new Promise<void>((resolve) => gateway.server.listen(0, '127.0.0.1', resolve));
    return gateway;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${GATEWAY_PATH}`;
  }

  reset(): void {
    this.behaviour = 'ok';
    this.accepted.length = 0;
    this.requests.length = 0;
    this.pending = 0;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (this.behaviour === 'refuse') {
      // A kept-alive connection from before the switch: drop it as well.
      request.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    const received: GatewayRequest = { path: new URL(request.url ?? '/', 'http://gateway').pathname, headers: request.headers, body };
    this.requests.push(received);
    const reply = (status: number, json: object): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    switch (this.behaviour) {
      case 'slow':
        this.pending += 1;
        return;
      case 'server_error':
        return reply(503, { error: 'unavailable' });
      case 'client_error':
        return reply(401, { error: 'invalid api key' });
      case 'refused_in_body':
        return reply(200, { code: 'rejected' });
      default:
        if (request.method !== 'POST' || received.path !== GATEWAY_PATH || typeof body !== 'object') {
          return reply(400, { error: 'bad request' });
        }
        this.accepted.push(received);
        return reply(200, { code: 'accepted', id: `msg-${this.accepted.length}` });
    }
  }
}
