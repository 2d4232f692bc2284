import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A relying party's back-channel logout endpoint (OpenID Connect Back-Channel Logout 1.0): takes the form-encoded
 * `logout_token` POSTs and keeps them for the test to verify, answering 200 as the specification asks.
 */
export class BackchannelReceiver {
  readonly logoutTokens: string[] = [];
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
  }

  static async start(): Promise<BackchannelReceiver> {
    const receiver = new BackchannelReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/backchannel-logout`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const token = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('logout_token');
    if (request.method !== 'POST' || !token) {
      response.writeHead(400).end();
      return;
    }
    this.logoutTokens.push(token);
    response.writeHead(200, { 'cache-control': 'no-store' }).end();
  }
}
