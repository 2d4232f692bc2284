import { createServer } from 'node:net';

/** Binds `port` (0 = any) on loopback and releases it: the port it got, or undefined if that port is taken. */
function probe(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/** Whether nothing listens on `port` on loopback right now. */
export async function isPortFree(port: number): Promise<boolean> {
  return (await probe(port)) !== undefined;
}

/** A free TCP port on loopback, chosen by the OS. */
export async function freePort(): Promise<number> {
  const port = await probe(0);
  if (port === undefined) throw new Error('no free port on 127.0.0.1');
  return port;
}
