import type { Server } from 'node:http';

/**
 * How often, while draining, connections that have become idle are closed. server.close() closes only the keep-alive
 * connections idle at the moment it is called; one whose request finishes later would stay open until the client
 * drops it (seconds, with undici's keep-alive) and hold the exit back for nothing.
 */
const IDLE_SWEEP_MS = 50;

/** What a drain did, for the `server.stopped` log line: an operator reads there whether a shutdown cut anyone off. */
export interface DrainOutcome {
  /** Requests received and not yet answered when the drain began. */
  inFlightAtStop: number;
  /** Requests answered during the drain (those in flight, and any that came on connections still open). */
  answered: number;
  /** Requests whose connection was closed before their answer was complete: cut at the drain timeout, or dropped. */
  cut: number;
}

/** The requests a server is working on, counted from the moment the tracker is installed. */
export interface InFlightRequests {
  readonly count: number;
  /** Calls `settled` for every request that ends from now on: answered in full, or not. */
  onSettled(settled: (answered: boolean) => void): void;
}

/** Counts the requests `server` has received and not yet finished answering; install it before listen(). */
export function trackInFlightRequests(server: Server): InFlightRequests {
  let count = 0;
  const listeners: ((answered: boolean) => void)[] = [];
  server.on('request', (_request, response) => {
    count += 1;
    // 'close' comes after 'finish' for an answered request, and alone for one whose connection went first.
    response.once('close', () => {
      count -= 1;
      for (const listener of listeners) listener(response.writableFinished);
    });
  });
  return {
    get count() {
      return count;
    },
    onSettled: (settled) => void listeners.push(settled),
  };
}

/**
 * Graceful shutdown: stop accepting connections, let in-flight requests finish, close keep-alive connections as soon as
 * they are idle, and cut whatever is still open when the drain timeout expires. Resolves when the server is closed,
 * with what was answered and what was cut.
 */
export function drainHttpServer(server: Server, timeoutMs: number, requests: InFlightRequests): Promise<DrainOutcome> {
  const outcome: DrainOutcome = { inFlightAtStop: requests.count, answered: 0, cut: 0 };
  let closed = false;
  requests.onSettled((answered) => {
    if (closed) return;
    if (answered) outcome.answered += 1;
    else outcome.cut += 1;
  });
  return new Promise((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    deadline.unref();
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    sweep.unref();
    server.close(() => {
      clearTimeout(deadline);
      clearInterval(sweep);
      closed = true;
      // Every connection is gone: a request still unfinished was cut, though its response's 'close' may come later.
      resolve({ ...outcome, cut: outcome.cut + requests.count });
    });
    server.closeIdleConnections();
  });
}
