import { createRequire } from 'node:module';
import { dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  BiometricVerifier,
  PortraitCheck,
  PortraitCheckFailure,
  PortraitSource,
} from '../../domain/ports.js';
import type { Logger } from '../../shared/logger.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { DEFAULT_FACE_QUALITY, type FaceQualityRules } from './face-engine.js';
import type { FaceCompareReply, FaceCompareRequest, FaceWorkerSettings } from './face-worker-protocol.js';
import { WorkerPool, type PoolStats } from './worker-pool.js';

export interface LocalFaceVerifierOptions {
  /** Cosine similarity of the two face descriptors at or above which the faces match (docs/biometrics.md). */
  threshold: number;
  /** Worker threads, each with its own copy of the models: 100–200 MB, more after big photos (docs/biometrics.md). */
  poolSize: number;
  /** Longest one comparison may take, queueing included; then `verifier_unavailable`. */
  timeoutMs: number;
  /** Comparisons waiting for a free worker beyond which new ones are refused as `verifier_unavailable`. */
  maxQueued: number;
  /** Longest a worker may take to load the models. Default 60 s. */
  startTimeoutMs?: number;
  quality?: FaceQualityRules;
  /**
   * Larger images are refused (`poor_quality`). Default 16 megapixels: a 12 MP phone photo passes; decoding one costs
   * the worker about 1 s and 450 MB (docs/biometrics.md), so pages should scale photos down before sending them.
   */
  maxPixels?: number;
  /** Longest side images are scaled down to before detection. Default 1024. */
  maxSide?: number;
}

export interface LocalFaceVerifierDependencies {
  portraits: PortraitSource;
  logger?: Logger;
}

/** Larger uploads are refused before they are copied anywhere; phone photos are a few megabytes. */
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

const resolvePackage = createRequire(import.meta.url);
/** The package entry (dist/human.node.js) is resolved, never loaded: it would require tfjs-node. */
const humanDirectory = dirname(dirname(resolvePackage.resolve('@vladmandic/human')));
const wasmDirectory = dirname(resolvePackage.resolve('@tensorflow/tfjs-backend-wasm'));
/** face-worker.js when compiled, face-worker.ts under tests and the development runner. */
const workerUrl = new URL(`./face-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * The remote portrait check of Decision 34 Art 5.1.b on this machine: the probe photo and the registry's portrait go
 * to a face worker thread (face-worker.ts), which returns only their similarity. Neither image is kept or logged: both
 * are moved (transferred) to the worker and dropped after the comparison; logs carry the outcome only.
 */
export class LocalFaceVerifier implements BiometricVerifier {
  private readonly pool: WorkerPool<FaceCompareRequest, FaceCompareReply>;

  constructor(
    private readonly options: LocalFaceVerifierOptions,
    private readonly dependencies: LocalFaceVerifierDependencies,
  ) {
    if (!(options.threshold > 0 && options.threshold < 1)) throw new Error('face threshold must be in (0, 1)');
    const settings: FaceWorkerSettings = {
      humanDirectory,
      wasmDirectory,
      quality: options.quality ?? DEFAULT_FACE_QUALITY,
      maxPixels: options.maxPixels ?? 16_000_000,
      maxSide: options.maxSide ?? 1024,
    };
    this.pool = new WorkerPool(
      {
        name: 'face',
        workerUrl,
        workerData: settings,
        size: options.poolSize,
        jobTimeoutMs: options.timeoutMs,
        startTimeoutMs: options.startTimeoutMs ?? 60_000,
        maxQueued: options.maxQueued,
      },
      dependencies.logger,
    );
  }

  async verifyPortrait(input: {
    probe: Uint8Array;
    portraitRef: string;
  }): Promise<Result<PortraitCheck, PortraitCheckFailure>> {
    const { logger } = this.dependencies;
    if (input.probe.byteLength > MAX_IMAGE_BYTES) return this.rejected('probe', 'poor_quality');
    const reference = await this.dependencies.portraits.portrait(input.portraitRef);
    if (!reference.ok) {
      // Registry down: try again later. No portrait on file: another photo cannot help.
      const failure = reference.error === 'registry_unavailable' ? 'verifier_unavailable' : 'reference_unavailable';
      logger?.warn({ event: 'portrait.reference_missing', method: 'face', reason: reference.error });
      return fail(failure);
    }
    if (reference.value.byteLength > MAX_IMAGE_BYTES) return this.rejected('reference', 'poor_quality');
    // Own copies, moved to the worker: the caller's buffers stay intact and this thread keeps nothing. (Not slice():
    // on a Node Buffer it is a view, and transferring would take the caller's memory, or a shared pool's.)
    const probe = new Uint8Array(input.probe);
    const portrait = new Uint8Array(reference.value);
    const started = performance.now();
    const outcome = await this.pool.run({ probe, reference: portrait }, [probe.buffer, portrait.buffer]);
    if (!outcome.ok) {
      logger?.error({ event: 'portrait.check_failed', method: 'face', reason: outcome.error });
      return fail('verifier_unavailable');
    }
    const reply = outcome.value;
    if (reply.kind === 'rejected') {
      return this.rejected(reply.image, reply.reason === 'unreadable' ? 'poor_quality' : reply.reason);
    }
    const matched = reply.similarity >= this.options.threshold;
    logger?.info({
      event: 'portrait.compared',
      method: 'face',
      matched,
      score: Math.round(reply.similarity * 1000) / 1000,
      durationMs: Math.round(performance.now() - started),
    });
    return ok({ matched, score: reply.similarity, method: 'face' });
  }

  /** Loads the models in every worker now (call at start-up); without it the first comparison does. */
  warmUp(): Promise<Result<void, 'start_failed' | 'closed'>> {
    return this.pool.warmUp();
  }

  stats(): PoolStats {
    return this.pool.stats();
  }

  /** Ends the worker threads; call on shutdown. */
  close(): Promise<void> {
    return this.pool.close();
  }

  /** A rejected registry portrait is the registry's problem, never the person's: another photo cannot fix it. */
  private rejected(
    image: 'probe' | 'reference',
    reason: 'no_face' | 'multiple_faces' | 'poor_quality',
  ): Result<PortraitCheck, PortraitCheckFailure> {
    this.dependencies.logger?.info({ event: 'portrait.rejected', method: 'face', image, reason });
    return fail(image === 'probe' ? reason : 'reference_unavailable');
  }
}
