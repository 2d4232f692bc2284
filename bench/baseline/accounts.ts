import type { Redis } from 'ioredis';

/** A baseline account: what a bare oidc-provider deployment needs to check a password and release claims. */
export interface BaselineAccount {
  id: string;
  /** What the person types to sign in (here the personal ID number, as on our login page). */
  loginName: string;
  /** argon2id PHC string. */
  passwordHash: string;
  claims: Record<string, unknown>;
}

/** Accounts as two plain keys: the record by id (findAccount) and the login name pointing at it (sign-in). */
export class BaselineAccountStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async create(account: BaselineAccount): Promise<void> {
    await this.redis
      .multi()
      .set(this.recordKey(account.id), JSON.stringify(account))
      .set(this.loginKey(account.loginName), account.id)
      .exec();
  }

  async findById(id: string): Promise<BaselineAccount | undefined> {
    const json = await this.redis.get(this.recordKey(id));
    return json === null ? undefined : (JSON.parse(json) as BaselineAccount);
  }

  async findByLoginName(loginName: string): Promise<BaselineAccount | undefined> {
    const id = await this.redis.get(this.loginKey(loginName));
    return id === null ? undefined : this.findById(id);
  }

  private recordKey(id: string): string {
    return `${this.prefix}account:${id}`;
  }

  private loginKey(loginName: string): string {
    return `${this.prefix}login:${loginName}`;
  }
}
