import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { getMetadataStorage } from 'class-validator';
import { ClientEntry, loadClients } from '../../../src/config/clients.js';
import { loadConfig } from '../../../src/config/loader.js';
import { AppConfig } from '../../../src/config/schema.js';
import { ConfigError } from '../../../src/config/validation.js';

/** The configuration files shipped in config/ and their documentation, checked against the schema. */

const ACR = ['urn:vn:eid:loa:1', 'urn:vn:eid:loa:2'];
const productionEnv = {
  NODE_ENV: 'production',
  ISSUER: 'https://id.example.vn',
  REDIS_URL: 'redis://redis:6379',
  COOKIE_KEYS: 'k'.repeat(48),
  POPULATION_REGISTRY_URL: 'https://population.agency.example/api',
  IMMIGRATION_REGISTRY_URL: 'https://immigration.agency.example/api',
  REGISTRY_API_KEY: 'a'.repeat(32),
  ABIS_URL: 'https://abis.agency.example',
  ABIS_API_KEY: 'b'.repeat(32),
  REGISTRY_EVENT_HMAC_KEYS: 'r'.repeat(40),
  SMTP_HOST: 'smtp.example.vn',
  SMTP_FROM: 'no-reply@id.example.vn',
  SMS_URL: 'https://sms.example.vn/send',
};

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** Dotted paths of every leaf key of the application configuration. */
function configPaths(node: object, prefix = ''): string[] {
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? configPaths(value as object, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe('shipped configuration files', () => {
  it('start in development with no environment at all, demo on, development clients', () => {
    const config = loadConfig({ NODE_ENV: 'development' }, 'config');
    expect(config.demoEnabled).toBe(true);
    expect(config.clientsFile).toBe('config/clients.development.json');
    expect(config.redis.url).toBeUndefined();
  });

  it('turn the demo off, trust the proxy and read config/clients.json in production', () => {
    const config = loadConfig(productionEnv, 'config');
    expect(config.demoEnabled).toBe(false);
    expect(config.trustProxy).toBe(true);
    expect(config.clientsFile).toBe('config/clients.json');
  });

  it('declare the demo client and the client-credentials service client for development', () => {
    const clients = loadClients('config/clients.development.json', 'development', ACR, {});
    const demo = clients.find((client) => client.client_id === 'vneid-demo');
    expect(demo).toEqual(
      expect.objectContaining({
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: ['http://localhost:3000/demo/callback'],
        post_logout_redirect_uris: ['http://localhost:3000/demo'],
        scope: 'openid offline_access profile identity phone email',
        grant_types: ['authorization_code', 'refresh_token'],
      }),
    );
    expect(demo?.client_secret?.length).toBeGreaterThanOrEqual(32);
    const service = clients.find((client) => client.client_id === 'vneid-demo-service');
    expect(service?.grant_types).toEqual(['client_credentials']);
    expect(service?.client_secret?.length).toBeGreaterThanOrEqual(32);
  });

  it('refuse the development clients in production, since their secrets are written in the file', () => {
    const error = errorOf(() => loadClients('config/clients.development.json', 'production', ACR, {}));
    expect(error.problems).toEqual(expect.arrayContaining([expect.stringContaining('(vneid-demo).client_secret')]));
  });

  it('give a production example that reads its secret from the environment', () => {
    const secret = 's'.repeat(48);
    const clients = loadClients('config/clients.example.json', 'production', ACR, { RP_PORTAL_SECRET: secret });
    expect(clients.find((client) => client.client_id === 'rp-portal')?.client_secret).toBe(secret);

    const missing = errorOf(() => loadClients('config/clients.example.json', 'production', ACR, {}));
    expect(missing.message).toContain('rp-portal).client_secret');
  });

  it('are all documented in docs/configuration.md with their environment variables', () => {
    const docs = readFileSync('docs/configuration.md', 'utf8');
    for (const path of configPaths(new AppConfig())) expect(docs).toContain(`\`${path}\``);
    const clientKeys = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(ClientEntry, '', true, false)
        .map((metadata) => metadata.propertyName),
    );
    for (const key of clientKeys) expect(docs).toContain(`\`${key}\``);
    // Every variable fromEnvironment() reads, found in its source, so that a new one cannot go undocumented.
    const loader = readFileSync('src/config/loader.ts', 'utf8');
    const variables = new Set([
      ...[...loader.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)].map((match) => match[1]),
      ...[...loader.matchAll(/readSecret\(env, '([A-Z][A-Z0-9_]+)'\)/g)].map((match) => match[1]),
    ]);
    expect(variables.size).toBeGreaterThanOrEqual(10);
    for (const variable of variables) expect(docs).toContain(`\`${variable}\``);
  });
});
