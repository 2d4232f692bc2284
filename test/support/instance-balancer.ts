import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the balancer forwarded it: which instance answered, and what was asked. */
export interface ForwardedRequest {
  instance: string;
  method: string;
  path: string;
  status: number;
}

/**
 * The load balancer in front of several provider instances, on a loopback port: every instance is configured with the
 * balancer's URL as issuer, as behind a real one, and the test decides which instance serves the next request —
 * a named one (`routeTo`) or each in turn (`alternate`), so that a flow is made to hop between instances. Requests
 * are forwarded as they came (Host header included) and each is logged with the instance that answered it.
 */
export class InstanceBalancer {
  readonly log: ForwardedRequest[] = [];
  private choice: { kind: 'fixed'; name: string } | { kind: 'alternate'; next: number } = { kind: 'alternate', next: 0 };

  private constructor(
    private readonly server: Server,
    private readonly instances: Map<string, number>,
  ) {}

  /** Listens on a free loopback port, for the instances `names` (their ports are registered once they listen). */
  static async start(names: readonly string[]): Promise<InstanceBalancer> {
    const instances = new Map<string, number>(names.map((name) => [name, 0]));
    let balancer: InstanceBalancer | undefined;
    const server = createServer((incoming, outgoing) => balancer?.forward(incoming, outgoing));
    balancer = new InstanceBalancer(server, instances);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return balancer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Where an instance listens, once it has started (its issuer is the balancer's URL, its port its own). */
  register(name: string, port: number): void {
    if (!this.instances.has(name)) throw new Error(`unknown instance ${name}`);
    this.instances.set(name, port);
  }

  /** Every following request goes to `name`. */
  routeTo(name: string): void {
    if (!this.instances.has(name)) throw new Error(`unknown instance ${name}`);
    this.choice = { kind: 'fixed', name };
  }

  /** Each following request goes to the next instance in turn: no two consecutive requests reach the same one. */
  alternate(): void {
    this.choice = { kind: 'alternate', next: 0 };
  }

  /** The instances that answered requests whose path matches `path` (and `method`, when given), in order. */
  servedBy(path: RegExp, method?: string): string[] {
    return this.log.filter((entry) => path.test(entry.path) && (method === undefined || entry.method === method)).map((entry) => entry.instance);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pick(): string {
    const names = [...this.instances.keys()];
    if (this.choice.kind === 'fixed') return this.choice.name;
    const name = names[this.choice.next % names.length] ?? '';
    this.choice.next += 1;
    return name;
  }

  private forward(incoming: IncomingMessage, outgoing: ServerResponse): void {
    const instance = this.pick();
    const port = this.instances.get(instance) ?? 0;
    const upstream = request(
      { host: '127.0.0.1', port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        this.log.push({ instance, method: incoming.method ?? 'GET', path: incoming.url ?? '/', status: answer.statusCode ?? 0 });
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => {
      outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(upstream);
  }
}
