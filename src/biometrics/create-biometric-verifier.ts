import { readFileSync } from 'node:fs';
import type { BiometricsConfig } from '../config/biometrics-config.js';
import type { BiometricVerifier, PortraitSource } from '../domain/ports.js';
import type { Logger } from '../shared/logger.js';
import { ok, type Result } from '../shared/result.js';
import { LocalFaceVerifier } from './face/local-face-verifier.js';
import { FilePortraitSource } from './file-portrait-source.js';
import { HttpAbisVerifier } from './http-abis-verifier.js';

export interface BiometricVerifierService {
  verifier: BiometricVerifier;
  /** Local mode: loads the face models in every worker now, so the first person does not wait for it. */
  warmUp(): Promise<Result<void, 'start_failed' | 'closed'>>;
  /** Ends worker threads and keep-alive connections; call on shutdown. */
  close(): Promise<void>;
}

export interface BiometricVerifierDependencies {
  logger?: Logger;
  /** Local mode: where the registry's portraits come from; default the development file store. */
  portraits?: PortraitSource;
}

/** Builds the configured BiometricVerifier (biometrics-config.ts); the container calls it once. */
export function createBiometricVerifier(
  config: BiometricsConfig,
  dependencies: BiometricVerifierDependencies = {},
): BiometricVerifierService {
  if (config.mode === 'http') {
    const { abis } = config;
    if (!abis.url) throw new Error('biometrics.abis.url is required in http mode');
    const verifier = new HttpAbisVerifier(
      {
        baseUrl: abis.url,
        timeoutMs: config.timeoutMs,
        apiKey: abis.apiKey,
        mutualTls:
          abis.clientCertificateFile && abis.clientKeyFile
            ? { cert: readFileSync(abis.clientCertificateFile), key: readFileSync(abis.clientKeyFile) }
            : undefined,
        caCertificate: abis.caCertificateFile ? readFileSync(abis.caCertificateFile) : undefined,
      },
      dependencies.logger,
    );
    return {
      verifier,
      warmUp: () => Promise.resolve(ok(undefined)),
      close: async () => verifier.close(),
    };
  }
  const verifier = new LocalFaceVerifier(
    {
      threshold: config.threshold,
      poolSize: config.poolSize,
      timeoutMs: config.timeoutMs,
      maxQueued: config.maxQueued,
    },
    {
      portraits: dependencies.portraits ?? new FilePortraitSource(config.portraitsDirectory),
      logger: dependencies.logger,
    },
  );
  return { verifier, warmUp: () => verifier.warmUp(), close: () => verifier.close() };
}
