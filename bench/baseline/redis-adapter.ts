import type { Redis } from 'ioredis';
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** Models that belong to a grant, so revoking the grant removes them (as oidc-provider's MemoryAdapter). */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
/** Models the provider consumes: kept as a hash so that `consume` is one HSET instead of a read and a write. */
const CONSUMABLE = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest', 'PushedAuthorizationRequest']);

/**
 * The baseline's storage: the smallest Redis adapter with the MemoryAdapter's behaviour (TTL from expiresIn, lookups
 * by Session uid and user code, a per-grant list for revokeByGrantId), written the way a team starting from the bare
 * library would. One MULTI per write, one command per read.
 */
export class BaselineRedisAdapter implements Adapter {
  constructor(
    private readonly name: string,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const key = this.key(id);
    const multi = this.redis.multi();
    if (CONSUMABLE.has(this.name)) {
      multi.del(key);
      multi.hset(key, 'payload', JSON.stringify(payload));
    } else {
      multi.set(key, JSON.stringify(payload));
    }
    if (expiresIn) multi.expire(key, expiresIn);
    if (GRANTABLE.has(this.name) && payload.grantId) {
      const grantKey = this.grantKey(payload.grantId);
      multi.rpush(grantKey, key);
      // The list lives as long as its longest-lived member: NX sets a first TTL, GT only ever extends it.
      if (expiresIn) multi.expire(grantKey, expiresIn, 'NX').expire(grantKey, expiresIn, 'GT');
    }
    if (payload.uid && this.name === 'Session') multi.set(this.lookupKey('uid', payload.uid), id, 'EX', expiresIn ?? 86_400);
    if (payload.userCode) multi.set(this.lookupKey('userCode', payload.userCode), id, 'EX', expiresIn ?? 86_400);
    await multi.exec();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const key = this.key(id);
    if (!CONSUMABLE.has(this.name)) {
      const json = await this.redis.get(key);
      return json === null ? undefined : (JSON.parse(json) as AdapterPayload);
    }
    const { payload, consumed } = await this.redis.hgetall(key);
    if (payload === undefined) return undefined;
    const parsed = JSON.parse(payload) as AdapterPayload;
    if (consumed !== undefined) parsed.consumed = Number(consumed);
    return parsed;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = await this.redis.get(this.lookupKey('uid', uid));
    return id === null ? undefined : this.find(id);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = await this.redis.get(this.lookupKey('userCode', userCode));
    return id === null ? undefined : this.find(id);
  }

  async consume(id: string): Promise<void> {
    await this.redis.hset(this.key(id), 'consumed', Math.floor(Date.now() / 1000));
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const grantKey = this.grantKey(grantId);
    const members = await this.redis.lrange(grantKey, 0, -1);
    await this.redis.del(...members, grantKey);
  }

  private key(id: string): string {
    return `${this.prefix}${this.name}:${id}`;
  }

  private grantKey(grantId: string): string {
    return `${this.prefix}grant:${grantId}`;
  }

  private lookupKey(kind: 'uid' | 'userCode', value: string): string {
    return `${this.prefix}${kind}:${value}`;
  }
}

export const baselineAdapterFactory =
  (redis: Redis, prefix: string) =>
  (name: string): Adapter =>
    new BaselineRedisAdapter(name, redis, prefix);
