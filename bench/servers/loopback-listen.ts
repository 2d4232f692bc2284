import { Server } from 'node:net';

/*
 * Preloaded into our server process by the bench (node --import): main.ts listens on PORT on every interface, as a
 * container does; during a benchmark the instance (with the repository's test secrets) must be reachable from this
 * machine only. A listen(port[, callback]) without a host is given 127.0.0.1; every other call is left as it is.
 */
const listen = Server.prototype.listen;

function listenOnLoopback(this: Server, ...args: unknown[]): Server {
  const [port, second] = args;
  if (typeof port === 'number' && (args.length === 1 || (args.length === 2 && typeof second === 'function'))) {
    return Reflect.apply(listen, this, [port, '127.0.0.1', ...args.slice(1)]) as Server;
  }
  return Reflect.apply(listen, this, args) as Server;
}

Server.prototype.listen = listenOnLoopback as typeof listen;
