import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { biometricsProblems } from './biometrics-config.js';
import { lifecycleProblems } from './lifecycle-config.js';
import { notificationProblems } from './notifications-config.js';
import { redisProblems } from './redis-config.js';
import { registriesProblems } from './registries-config.js';
import { AppConfig, SECRET_CONFIG_PATHS } from './schema.js';
import { ConfigError, validateInto } from './validation.js';

type Plain = Record<string, unknown>;
type Env = Record<string, string | undefined>;

const isPlainObject = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function deepMerge(base: Plain, override: Plain): Plain {
  const merged: Plain = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

function readJson(path: string): Plain {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isPlainObject(parsed)) throw new Error('top level must be an object');
    return parsed;
  } catch (error) {
    throw new ConfigError(path, [(error as Error).message]);
  }
}

/** A secret comes from NAME or from the file named by NAME_FILE (Docker/Kubernetes secrets). */
export function readSecret(env: Env, name: string): string | undefined {
  const direct = env[name];
  if (direct !== undefined && direct !== '') return direct;
  const file = env[`${name}_FILE`];
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      throw new ConfigError(`${name}_FILE`, [`cannot read the file named by ${name}_FILE`]);
    }
  }
  return undefined;
}

const parseBoolean = (value: string): boolean | string =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

const parseInteger = (value: string): number | string => (/^\d+$/.test(value) ? Number(value) : value);

/** A comma-separated list (`host:port,host:port`), blanks dropped. */
const splitList = (value: string): string[] => value.split(',').map((item) => item.trim()).filter(Boolean);

/** Environment variables that override file values; the table in the README lists the same. */
function fromEnvironment(env: Env): Plain {
  const overrides: Plain = {};
  const set = (path: string, value: unknown): void => {
    const parts = path.split('.');
    let node = overrides;
    for (const part of parts.slice(0, -1)) {
      node[part] = isPlainObject(node[part]) ? node[part] : {};
      node = node[part] as Plain;
    }
    node[parts.at(-1) as string] = value;
  };
  if (env.NODE_ENV) set('env', env.NODE_ENV);
  if (env.PORT) set('port', parseInteger(env.PORT));
  if (env.ISSUER) set('issuer', env.ISSUER);
  if (env.LOG_LEVEL) set('logLevel', env.LOG_LEVEL);
  if (env.TRUST_PROXY) set('trustProxy', parseBoolean(env.TRUST_PROXY));
  if (env.CLIENTS_FILE) set('clientsFile', env.CLIENTS_FILE);
  if (env.DEMO_ENABLED) set('demoEnabled', parseBoolean(env.DEMO_ENABLED));
  // Kept below the orchestrator's grace period (Kubernetes terminationGracePeriodSeconds) so the drain ends first.
  if (env.DRAIN_TIMEOUT_MS) set('drainTimeoutMs', parseInteger(env.DRAIN_TIMEOUT_MS));
  const redisUrl = readSecret(env, 'REDIS_URL');
  if (redisUrl) set('redis.url', redisUrl);
  if (env.REDIS_KEY_PREFIX) set('redis.keyPrefix', env.REDIS_KEY_PREFIX);
  if (env.REDIS_CLUSTER_NODES) set('redis.clusterNodes', splitList(env.REDIS_CLUSTER_NODES));
  if (env.REDIS_SENTINELS) set('redis.sentinels', splitList(env.REDIS_SENTINELS));
  if (env.REDIS_SENTINEL_MASTER) set('redis.sentinelMaster', env.REDIS_SENTINEL_MASTER);
  if (env.REDIS_USERNAME) set('redis.username', env.REDIS_USERNAME);
  const redisPassword = readSecret(env, 'REDIS_PASSWORD');
  if (redisPassword) set('redis.password', redisPassword);
  if (env.REDIS_SENTINEL_USERNAME) set('redis.sentinelUsername', env.REDIS_SENTINEL_USERNAME);
  const sentinelPassword = readSecret(env, 'REDIS_SENTINEL_PASSWORD');
  if (sentinelPassword) set('redis.sentinelPassword', sentinelPassword);
  if (env.REDIS_TLS) set('redis.tls', parseBoolean(env.REDIS_TLS));
  if (env.REDIS_TLS_CA_FILE) set('redis.tlsCaFile', env.REDIS_TLS_CA_FILE);
  if (env.REGISTRY_MODE) set('registries.mode', env.REGISTRY_MODE);
  if (env.REGISTRY_FILE) set('registries.filePath', env.REGISTRY_FILE);
  if (env.POPULATION_REGISTRY_URL) set('registries.population.baseUrl', env.POPULATION_REGISTRY_URL);
  if (env.IMMIGRATION_REGISTRY_URL) set('registries.immigration.baseUrl', env.IMMIGRATION_REGISTRY_URL);
  if (env.BIOMETRICS_MODE) set('biometrics.mode', env.BIOMETRICS_MODE);
  if (env.ABIS_URL) set('biometrics.abis.url', env.ABIS_URL);
  if (env.BIOMETRICS_PORTRAITS_DIR) set('biometrics.portraitsDirectory', env.BIOMETRICS_PORTRAITS_DIR);
  const abisApiKey = readSecret(env, 'ABIS_API_KEY');
  if (abisApiKey) set('biometrics.abis.apiKey', abisApiKey);
  const registryApiKey = readSecret(env, 'REGISTRY_API_KEY');
  if (registryApiKey) set('registries.apiKey', registryApiKey);
  if (env.NOTIFICATIONS_MODE) set('notifications.mode', env.NOTIFICATIONS_MODE);
  if (env.SMTP_HOST) set('notifications.smtp.host', env.SMTP_HOST);
  if (env.SMTP_PORT) set('notifications.smtp.port', parseInteger(env.SMTP_PORT));
  if (env.SMTP_SECURE) set('notifications.smtp.secure', parseBoolean(env.SMTP_SECURE));
  if (env.SMTP_USER) set('notifications.smtp.user', env.SMTP_USER);
  const smtpPassword = readSecret(env, 'SMTP_PASSWORD');
  if (smtpPassword) set('notifications.smtp.password', smtpPassword);
  if (env.SMTP_FROM) set('notifications.smtp.from', env.SMTP_FROM);
  if (env.SMS_URL) set('notifications.sms.url', env.SMS_URL);
  const smsApiKey = readSecret(env, 'SMS_API_KEY');
  if (smsApiKey) set('notifications.sms.apiKey', smsApiKey);
  if (env.SMS_SENDER_ID) set('notifications.sms.senderId', env.SMS_SENDER_ID);
  const pairwiseSalt = readSecret(env, 'PAIRWISE_SALT');
  if (pairwiseSalt) set('pairwiseSalt', pairwiseSalt);
  const registryEventKeys = readSecret(env, 'REGISTRY_EVENT_HMAC_KEYS');
  if (registryEventKeys) set('lifecycle.registryEvents.hmacKeys', registryEventKeys.split(',').map((key) => key.trim()).filter(Boolean));
  if (env.RECONCILIATION_ENABLED) set('lifecycle.reconciliation.enabled', parseBoolean(env.RECONCILIATION_ENABLED));
  const metricsToken = readSecret(env, 'METRICS_TOKEN');
  if (metricsToken) set('metricsToken', metricsToken);
  const cookieKeys = readSecret(env, 'COOKIE_KEYS');
  if (cookieKeys) set('keys.cookieKeys', cookieKeys.split(',').map((key) => key.trim()).filter(Boolean));
  return overrides;
}

/** Rules that span several keys; production refuses development conveniences (ARCHITECTURE convention 10). */
function crossChecks(config: AppConfig): string[] {
  const problems: string[] = [];
  if (config.env === 'production') {
    if (config.keys.cookieKeys.length === 0) problems.push('keys.cookieKeys: required in production (set COOKIE_KEYS)');
    if (config.demoEnabled) problems.push('demoEnabled: the demo relying party is refused in production');
    if (!config.issuer.startsWith('https://')) problems.push('issuer: must be https in production');
  }
  if (new Set(config.acr.values).size !== config.acr.values.length) {
    problems.push('acr.values: names must be distinct');
  }
  // One Redis topology, its settings consistent; production needs one (no embedded Redis).
  problems.push(...redisProblems(config.redis, config.env));
  // Production refuses the development outbox; deliver mode needs a relay and a gateway.
  problems.push(...notificationProblems(config.notifications, config.env));
  problems.push(...registriesProblems(config.registries, config.env));
  problems.push(...biometricsProblems(config.biometrics, config.env));
  problems.push(...lifecycleProblems(config.lifecycle, config.env));
  return problems;
}

/**
 * Loads config/default.json, then config/<env>.json, then environment overrides, and validates the result.
 * Throws ConfigError naming each bad key; secrets are redacted.
 */
export function loadConfig(env: Env = process.env, configDir = 'config'): AppConfig {
  const environment = env.NODE_ENV ?? 'development';
  let plain: Plain = {};
  for (const name of ['default.json', `${environment}.json`]) {
    const path = join(configDir, name);
    if (existsSync(path)) plain = deepMerge(plain, readJson(path));
  }
  plain = deepMerge(plain, fromEnvironment(env));
  const config = validateInto(AppConfig, plain, `${configDir}/ and environment`, SECRET_CONFIG_PATHS);
  const problems = crossChecks(config);
  if (problems.length > 0) throw new ConfigError(`${configDir}/ and environment`, problems);
  return config;
}
