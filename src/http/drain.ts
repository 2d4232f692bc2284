import type { Server } from 'node:http';

/**
 * How often, while draining, connections that have become idle are closed. server.close() closes only the keep-alive
 * connections idle at the moment it is called; one whose request finishes later would stay open until the client
 * drops it (seconds, with undici's keep-alive) and hold the exit back for nothing.
 */
const IDLE_SWEEP_MS = 50;

/**
 * Graceful shutdown: stop accepting connections, let in-flight requests finish, close keep-alive connections as soon as
 * they are idle, and cut whatever is still open when the drain timeout expires. Resolves when the server is closed.
 */
export function drainHttpServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    deadline.unref();
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    sweep.unref();
    server.close(() => {
      clearTimeout(deadline);
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}
