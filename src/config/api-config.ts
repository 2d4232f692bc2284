import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ValidateNested } from 'class-validator';
import { RateLimitConfig } from './registration-config.js';

/** The agency and service-user API under /api/v1 (docs/api.md). */
export class ApiConfig {
  /**
   * Requests per API client, counted in Redis so every instance shares the count; past it the client gets 429 with
   * Retry-After until the window ends. Protects the registries and the audit trail from a runaway integration.
   */
  @ValidateNested() @Type(() => RateLimitConfig) requestsPerClient: RateLimitConfig = Object.assign(new RateLimitConfig(), {
    points: 600,
    windowSeconds: 60,
    blockSeconds: 0,
  });
}
