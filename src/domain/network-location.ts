import { isIP } from 'node:net';

/**
 * Where a sign-in came from, as coarsely as the owner needs to notice "that was not me" (Decision 34 Art 12.1: the
 * owner is informed where the account was used): a private network, Vietnam, abroad, or just "the Internet" when no
 * address table is configured. Never a city, never a lookup in an external service: the address stays with us.
 */
export type CoarseLocation = 'private_network' | 'vietnam' | 'abroad' | 'internet' | 'unknown';

/** The Vietnamese address blocks, as sorted, merged [first, last] ranges per family. */
export interface HomeRanges {
  v4: ReadonlyArray<readonly [number, number]>;
  v6: ReadonlyArray<readonly [bigint, bigint]>;
}

const V4_SPECIAL: ReadonlyArray<readonly [string, number]> = [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  // Carrier-grade NAT (RFC 6598): the address of a phone behind its carrier, never seen on the public Internet.
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['0.0.0.0', 8],
];

const V6_SPECIAL: ReadonlyArray<readonly [string, number]> = [
  ['::1', 128],
  ['::', 128],
  // Unique local (RFC 4193) and link-local addresses.
  ['fc00::', 7],
  ['fe80::', 10],
];

function v4ToNumber(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

function v6ToBigInt(address: string): bigint {
  // An embedded IPv4 tail ("::ffff:1.2.3.4") becomes two hextets first.
  let text = address;
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail?.[1]) {
    const number = v4ToNumber(v4Tail[1]);
    text = `${text.slice(0, -v4Tail[1].length)}${(number >>> 16).toString(16)}:${(number & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headParts.length - tailParts.length;
  const parts = [...headParts, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailParts];
  return parts.reduce((value, part) => (value << 16n) + BigInt(Number.parseInt(part || '0', 16)), 0n);
}

const inV4Block = (value: number, [base, bits]: readonly [string, number]): boolean =>
  Math.floor(value / 2 ** (32 - bits)) === Math.floor(v4ToNumber(base) / 2 ** (32 - bits));

const inV6Block = (value: bigint, [base, bits]: readonly [string, number]): boolean =>
  value >> BigInt(128 - bits) === v6ToBigInt(base) >> BigInt(128 - bits);

function within<T extends number | bigint>(ranges: ReadonlyArray<readonly [T, T]>, value: T): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle];
    if (!range) return false;
    if (value < range[0]) high = middle - 1;
    else if (value > range[1]) low = middle + 1;
    else return true;
  }
  return false;
}

/**
 * The coarse location of an address. `home` holds Vietnam's address blocks; without it public addresses are
 * `internet`. An address the HTTP layer could not read (absent, malformed) is `unknown`.
 */
export function coarseLocationOf(address: string | undefined, home?: HomeRanges): CoarseLocation {
  if (!address) return 'unknown';
  // An IPv4 client on a dual-stack socket arrives as "::ffff:a.b.c.d".
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const text = mapped ?? address;
  const family = isIP(text);
  if (family === 4) {
    const value = v4ToNumber(text);
    if (V4_SPECIAL.some((block) => inV4Block(value, block))) return 'private_network';
    if (!home) return 'internet';
    return within(home.v4, value) ? 'vietnam' : 'abroad';
  }
  if (family === 6) {
    const value = v6ToBigInt(text);
    if (V6_SPECIAL.some((block) => inV6Block(value, block))) return 'private_network';
    if (!home) return 'internet';
    return within(home.v6, value) ? 'vietnam' : 'abroad';
  }
  return 'unknown';
}

/** Sorts the blocks and joins adjacent or overlapping ones, so a lookup is one binary search. */
function merged<T extends number | bigint>(ranges: Array<[T, T]>, successor: (value: T) => T): Array<[T, T]> {
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Array<[T, T]> = [];
  for (const [first, last] of ranges) {
    const previous = out[out.length - 1];
    if (previous && first <= successor(previous[1])) {
      if (last > previous[1]) previous[1] = last;
    } else {
      out.push([first, last]);
    }
  }
  return out;
}

/**
 * Vietnam's blocks from an RIR delegated-statistics file (format of the NRO's "RIR statistics exchange format":
 * `registry|cc|type|start|value|date|status[|opaque-id]`; for ipv4 `value` is a count of addresses, for ipv6 a prefix
 * length). Header, summary and comment lines are skipped; a malformed line is skipped too, since a partial table
 * only makes more sign-ins read "abroad", which the owner can still judge.
 */
export function parseDelegatedStatistics(text: string, country = 'VN'): HomeRanges {
  const v4: Array<[number, number]> = [];
  const v6: Array<[bigint, bigint]> = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const [, cc, type, start = '', value = '', , status] = line.trim().split('|');
    if (cc !== country || (status !== 'allocated' && status !== 'assigned')) continue;
    if (type === 'ipv4' && isIP(start) === 4 && /^\d+$/.test(value)) {
      const first = v4ToNumber(start);
      v4.push([first, first + Number(value) - 1]);
    } else if (type === 'ipv6' && isIP(start) === 6 && /^\d+$/.test(value) && Number(value) <= 128) {
      const first = v6ToBigInt(start);
      v6.push([first, first + (1n << BigInt(128 - Number(value))) - 1n]);
    }
  }
  return { v4: merged(v4, (value) => value + 1), v6: merged(v6, (value) => value + 1n) };
}

/**
 * The network an address belongs to, as the audit trail keeps it (never the full address): the /24 of an IPv4 address,
 * the /48 of an IPv6 one. Enough to place a sign-in coarsely later, too coarse to single out a household.
 */
export function addressPrefix(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const text = mapped ?? address;
  const family = isIP(text);
  if (family === 4) return `${text.split('.').slice(0, 3).join('.')}.0/24`;
  if (family === 6) {
    const value = v6ToBigInt(text) >> 80n;
    const hextets = [(value >> 32n) & 0xffffn, (value >> 16n) & 0xffffn, value & 0xffffn].map((part) => part.toString(16));
    return `${hextets.join(':')}::/48`;
  }
  return undefined;
}

/** The location of an address or of a prefix made by addressPrefix ("203.0.113.0/24"). */
export function coarseLocationOfNetwork(network: string | undefined, home?: HomeRanges): CoarseLocation {
  if (!network) return 'unknown';
  const slash = network.indexOf('/');
  return coarseLocationOf(slash === -1 ? network : network.slice(0, slash), home);
}
