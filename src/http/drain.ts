import type { Server } from 'node:http';

/**
 * Graceful shutdown: stop accepting connections, let in-flight requests finish, close idle keep-alive connections at
 * once, and cut whatever is still open when the drain timeout expires. Resolves when the server is closed.
 */
export function drainHttpServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    deadline.unref();
    server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
