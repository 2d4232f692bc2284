import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { AppConfig } from '../../../src/config/schema.js';
import { defaultKeepOldSeconds, parseKeepOldSeconds, rotateKeys } from '../../../src/scripts/rotate-keys.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { SigningKeyStore } from '../../../src/storage/signing-key-store.js';
import { TestRedisServer } from '../../support/redis-server.js';

let server: TestRedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
});

afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

describe('keys:rotate', () => {
  it('rotates the configured algorithms, prints the published kids and asks for a rolling restart', async () => {
    const config = new AppConfig();
    config.redis.keyPrefix = 'rotate-cli:';
    const clock = new ManualClock();
    const store = new SigningKeyStore(redis, new RedisKeys(config.redis.keyPrefix), clock);
    const before = await store.ensure(config.keys.signingAlgorithms);

    const lines: string[] = [];
    const summary = await rotateKeys({ config, redis, clock, keepOldForSeconds: 600, print: (line) => lines.push(line) });

    const after = await store.ensure(config.keys.signingAlgorithms);
    expect(summary.map((key) => key.kid)).toEqual(after.map((jwk) => jwk.kid));
    expect(after.slice(2).map((jwk) => jwk.kid).sort()).toEqual(before.map((jwk) => jwk.kid).sort());
    const output = lines.join('\n');
    for (const jwk of after) expect(output).toContain(jwk.kid);
    expect(output).toContain(new Date(clock.now() + 600_000).toISOString());
    expect(output).toMatch(/rolling restart/);
  });

  it('keeps old keys, by default, as long as the longest configured lifetime', () => {
    const config = new AppConfig();
    config.ttl.refreshTokenSeconds = 30 * 86_400;
    expect(defaultKeepOldSeconds(config)).toBe(30 * 86_400);
  });

  it('reads --keep-old-seconds and refuses anything else', () => {
    expect(parseKeepOldSeconds([])).toBeUndefined();
    expect(parseKeepOldSeconds(['--keep-old-seconds', '3600'])).toBe(3600);
    expect(() => parseKeepOldSeconds(['--keep-old-seconds'])).toThrow('usage');
    expect(() => parseKeepOldSeconds(['--keep-old-seconds', '-1'])).toThrow('usage');
    expect(() => parseKeepOldSeconds(['--force'])).toThrow('usage');
  });
});
