import { describe, expect, it } from '@jest/globals';
import { Agent, createServer, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { drainHttpServer, trackInFlightRequests } from '../../../src/http/drain.js';

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** `/slow` answers only when the test calls finishSlow(); anything else answers at once. */
async function serve() {
  let finishSlow: () => void = () => undefined;
  let markArrived: () => void = () => undefined;
  const slowArrived = new Promise<void>((resolve) => (markArrived = resolve));
  const server = createServer((req, res) => {
    if (req.url === '/slow') {
      finishSlow = () => res.end('finished');
      markArrived();
      return;
    }
    res.end('fast');
  });
  const requests = trackInFlightRequests(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, requests, port: (server.address() as AddressInfo).port, slowArrived, finishSlow: () => finishSlow() };
}

describe('graceful shutdown', () => {
  it('lets an in-flight request finish and refuses new connections', async () => {
    const { server, requests, port, slowArrived, finishSlow } = await serve();
    await expect(get(port, '/fast')).resolves.toEqual({ status: 200, body: 'fast' });
    const inFlight = get(port, '/slow');
    await slowArrived;
    const drained = drainHttpServer(server, 5000, requests);
    await expect(get(port, '/fast')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    finishSlow();
    await expect(inFlight).resolves.toEqual({ status: 200, body: 'finished' });
    // The request answered before the stop is not counted; the one in flight was answered, none was cut.
    await expect(drained).resolves.toEqual({ inFlightAtStop: 1, answered: 1, cut: 0 });
    expect(server.listening).toBe(false);
  });

  it('closes a keep-alive connection as soon as its in-flight request is answered, without waiting for the timeout', async () => {
    const { server, requests, port, slowArrived, finishSlow } = await serve();
    const agent = new Agent({ keepAlive: true });
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/slow', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    await slowArrived;
    const drainStarted = performance.now();
    const drained = drainHttpServer(server, 10_000, requests);
    finishSlow();
    await expect(inFlight).resolves.toBe(200);
    await drained;
    // Far below the 10 s timeout: the connection was closed once idle, not left to the client's keep-alive.
    expect(performance.now() - drainStarted).toBeLessThan(5000);
    agent.destroy();
  });

  it('cuts a request that outlives the drain timeout', async () => {
    const { server, requests, port, slowArrived } = await serve();
    const inFlight = get(port, '/slow');
    await slowArrived;
    await expect(drainHttpServer(server, 50, requests)).resolves.toEqual({ inFlightAtStop: 1, answered: 0, cut: 1 });
    await expect(inFlight).rejects.toBeDefined();
    expect(server.listening).toBe(false);
  });
});
