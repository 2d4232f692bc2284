import type { ServerName } from '../report/results.js';

/** A server under test as the load generator sees it. */
export interface BenchTarget {
  name: ServerName;
  /** The server process, whose CPU time is read from /proc. */
  pid: number;
  /** Where requests are sent: http://127.0.0.1:<port>. */
  origin: string;
  /** The issuer's origin, which the server writes into URLs and redirects (ours: https, behind a TLS proxy). */
  publicOrigin: string;
  /** Headers on every request (ours: what the TLS-terminating proxy adds). */
  headers: Record<string, string>;
  /** Prefix of every Redis key the server writes. */
  keyPrefix: string;
}

/** A URL the server wrote (public origin) as the loopback URL to send the request to. */
export function toLoopback(target: BenchTarget, url: string): string {
  return url.startsWith(target.publicOrigin) ? `${target.origin}${url.slice(target.publicOrigin.length)}` : url;
}

/** Path and query of a public URL, for load generators that take a path. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}
