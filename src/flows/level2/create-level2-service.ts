import type { Level2Config } from '../../config/level2-config.js';
import type { Level2Dependencies } from './level2-context.js';
import { Level2Service } from './level2-service.js';

const SECOND_MS = 1000;
const DAY_MS = 86_400_000;

/**
 * Builds the level-2 service from its adapters and `config.level2`; called from container.ts:
 *
 *   level2: createLevel2Service(
 *     { accounts, population, immigration, verifier: biometrics.verifier,
 *       attempts: new RedisAttemptWindow(redis, keys, 'level2-attempts', config.level2.attempts),
 *       photoRejections: new RedisAttemptWindow(redis, keys, 'level2-photo-rejections', config.level2.photoRejections),
 *       clock, logger },
 *     config.level2,
 *   )
 */
export function createLevel2Service(dependencies: Level2Dependencies, config: Level2Config): Level2Service {
  return new Level2Service(dependencies, {
    consentVersion: config.consentVersion,
    consentMaxAgeMs: config.consentMaxAgeSeconds * SECOND_MS,
    inPersonMaxAgeMs: config.inPersonMaxAgeDays * DAY_MS,
  });
}
