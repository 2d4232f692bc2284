import { describe, expect, it } from '@jest/globals';
import { addressPrefix, coarseLocationOf, coarseLocationOfNetwork, parseDelegatedStatistics } from '../../../src/domain/network-location.js';

/** A few lines in APNIC's delegated-statistics format (header, summary, records of several countries). */
const DELEGATED = [
  '2|apnic|20261101|99999|19830613|20261101|+1000',
  'apnic|*|ipv4|*|50000|summary',
  '# a comment',
  'apnic|VN|ipv4|14.160.0.0|1048576|20080409|allocated',
  'apnic|VN|ipv4|113.160.0.0|524288|20070801|allocated',
  'apnic|VN|ipv4|113.168.0.0|524288|20070801|allocated',
  'apnic|JP|ipv4|133.0.0.0|16777216|19970303|allocated',
  'apnic|VN|ipv6|2001:ee0::|32|20050708|allocated|A91A7381',
  'apnic|VN|ipv4|1.2.3.0|256|20200101|reserved',
  'apnic|VN|ipv4|not-an-address|256|20200101|allocated',
].join('\n');

const home = parseDelegatedStatistics(DELEGATED);

describe('coarse location of a sign-in (Decision 34 Art 12.1: where the account was used)', () => {
  it.each([
    ['10.1.2.3', 'private_network'],
    ['172.20.0.5', 'private_network'],
    ['192.168.1.10', 'private_network'],
    ['100.64.3.4', 'private_network'],
    ['127.0.0.1', 'private_network'],
    ['::1', 'private_network'],
    ['::ffff:127.0.0.1', 'private_network'],
    ['fd12:3456::1', 'private_network'],
    ['fe80::1', 'private_network'],
    ['14.161.22.33', 'vietnam'],
    ['113.175.255.1', 'vietnam'],
    ['::ffff:113.160.0.1', 'vietnam'],
    ['2001:ee0:1234::5', 'vietnam'],
    ['133.1.2.3', 'abroad'],
    ['8.8.8.8', 'abroad'],
    ['2001:db9::1', 'abroad'],
    ['1.2.3.4', 'abroad'],
    ['not an address', 'unknown'],
    ['', 'unknown'],
  ] as const)('%s is %s with the delegated statistics', (address, expected) => {
    expect(coarseLocationOf(address, home)).toBe(expected);
  });

  it('says only "internet" for public addresses when no table is configured, and still knows private ones', () => {
    expect(coarseLocationOf('14.161.22.33')).toBe('internet');
    expect(coarseLocationOf('192.168.0.1')).toBe('private_network');
    expect(coarseLocationOf(undefined)).toBe('unknown');
  });

  it('joins adjacent blocks into one range, and skips reserved, malformed and other countries', () => {
    expect(home.v4).toEqual([
      [14 * 2 ** 24 + 160 * 2 ** 16, 14 * 2 ** 24 + 160 * 2 ** 16 + 1048576 - 1],
      [113 * 2 ** 24 + 160 * 2 ** 16, 113 * 2 ** 24 + 160 * 2 ** 16 + 2 * 524288 - 1],
    ]);
    expect(home.v6).toHaveLength(1);
  });

  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['::ffff:203.0.113.77', '203.0.113.0/24'],
    ['2001:ee0:1234:5678::9', '2001:ee0:1234::/48'],
    ['garbage', undefined],
  ] as const)('keeps only the network of %s in the audit trail: %s', (address, prefix) => {
    expect(addressPrefix(address)).toBe(prefix);
  });

  it('places a network prefix as it places an address', () => {
    expect(coarseLocationOfNetwork('14.160.1.0/24', home)).toBe('vietnam');
    expect(coarseLocationOfNetwork('2001:ee0:1234::/48', home)).toBe('vietnam');
    expect(coarseLocationOfNetwork('133.1.2.0/24', home)).toBe('abroad');
    expect(coarseLocationOfNetwork(undefined, home)).toBe('unknown');
  });
});
