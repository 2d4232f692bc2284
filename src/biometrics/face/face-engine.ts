import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, normalize, sep } from 'node:path';
import type * as TensorFlow from '@tensorflow/tfjs-core';
import type { Config, FaceResult, Human } from '@vladmandic/human';
import type { RgbImage } from './image-decoding.js';

/**
 * Face detection and the face descriptor, with @vladmandic/human on the WebAssembly backend, entirely offline.
 * Runs inside a face worker thread (one Human per thread, loaded once); like every file the worker loads, it imports
 * packages and node: modules only.
 *
 * Three models from the package's own models/ directory: blazeface (detector), facemesh (landmarks, head pose, the
 * aligned crop) and faceres (the 1024-value descriptor).
 */

/** Why an image yields no descriptor worth comparing. */
export type FaceRejection = 'no_face' | 'multiple_faces' | 'poor_quality';

export type FaceDescription = { kind: 'face'; descriptor: Float32Array } | { kind: 'rejected'; reason: FaceRejection };

/** Acceptance rules for a face, documented in docs/biometrics.md. */
export interface FaceQualityRules {
  /** Width in pixels of the detected face box below which the descriptor is too unreliable. */
  minFaceSize: number;
  /** A second face at least this fraction of the largest one's width makes the photo ambiguous. */
  otherFaceRatio: number;
  /** Largest head turn (yaw) or tilt (pitch), radians, for a usable frontal view. */
  maxHeadAngle: number;
}

export const DEFAULT_FACE_QUALITY: FaceQualityRules = {
  minFaceSize: 100,
  otherFaceRatio: 0.5,
  maxHeadAngle: 0.6,
};

export interface FaceEngineSettings {
  /** The installed @vladmandic/human package directory (models/ and dist/ inside). */
  humanDirectory: string;
  /** Directory holding the tfjs-backend-wasm .wasm binaries. */
  wasmDirectory: string;
  quality: FaceQualityRules;
}

export interface FaceEngine {
  /** `image` no larger than the worker's `maxSide` (image-decoding.ts fitWithin). */
  describe(image: RgbImage): Promise<FaceDescription>;
}

/** The origin under which the model files are served to Human's fetch; `.invalid` can never resolve (RFC 6761). */
const MODEL_ORIGIN = 'http://human-models.invalid/';
const REQUIRED_MODELS = ['blazeface', 'facemesh', 'faceres'];

/**
 * Human loads models with fetch(), and Node's fetch has no file:// scheme: this thread's fetch serves the model
 * directory under MODEL_ORIGIN and refuses every other URL, so nothing is ever downloaded.
 */
function serveModelFiles(modelDirectory: string): void {
  const root = normalize(modelDirectory + sep);
  globalThis.fetch = async (input: string | URL | Request): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const name = url.startsWith(MODEL_ORIGIN) ? decodeURIComponent(url.slice(MODEL_ORIGIN.length)) : null;
    const path = name === null ? '' : normalize(join(root, name));
    if (!path.startsWith(root)) throw new TypeError(`face worker: network access is disabled (${url})`);
    const body = await readFile(path);
    const type = path.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    return new Response(body, { status: 200, headers: { 'content-type': type } });
  };
}

function humanConfig(settings: FaceEngineSettings): Partial<Config> {
  const off = { enabled: false };
  return {
    backend: 'wasm',
    wasmPath: settings.wasmDirectory.endsWith(sep) ? settings.wasmDirectory : settings.wasmDirectory + sep,
    wasmPlatformFetch: false,
    modelBasePath: MODEL_ORIGIN,
    cacheModels: false,
    debug: false,
    warmup: 'none',
    // Every call is a new person: results cached from the previous input must never be reused.
    cacheSensitivity: 0,
    face: {
      enabled: true,
      // Padded to a square before detection, so 16:9 camera frames and wide crops are not squashed.
      detector: {
        rotation: true,
        maxDetected: 5,
        minConfidence: 0.5,
        minSize: 0,
        return: false,
        skipFrames: 0,
        square: true,
      },
      mesh: { enabled: true, skipFrames: 0 },
      description: { enabled: true, skipFrames: 0, minConfidence: 0 },
      iris: off,
      emotion: off,
      antispoof: off,
      liveness: off,
      attention: off,
      gear: off,
    },
    body: off,
    hand: off,
    object: off,
    gesture: off,
    segmentation: off,
    filter: off,
  };
}

/** Loads Human and its three models; throws when any of them cannot be loaded (Human itself only logs that). */
export async function loadFaceEngine(settings: FaceEngineSettings): Promise<FaceEngine> {
  serveModelFiles(join(settings.humanDirectory, 'models'));
  // The package's exports map has no entry for the WASM build, and its default Node entry needs tfjs-node (whose
  // install downloads a binary): load the WASM bundle by path.
  const load = createRequire(join(settings.humanDirectory, 'package.json'));
  const bundle = join(settings.humanDirectory, 'dist', 'human.node-wasm.js');
  const library = load(bundle) as typeof import('@vladmandic/human');
  const human = new library.Human(humanConfig(settings));
  await human.load();
  const missing = REQUIRED_MODELS.filter((name) => !human.models.loaded().includes(name));
  if (missing.length > 0) throw new Error(`face models not loaded: ${missing.join(', ')}`);
  const backend = (human.tf as typeof TensorFlow).getBackend();
  if (backend !== 'wasm') throw new Error(`face engine: expected the wasm backend, got ${backend}`);
  return { describe: (image) => describe(human, image, settings.quality) };
}

async function describe(human: Human, image: RgbImage, quality: FaceQualityRules): Promise<FaceDescription> {
  // Human types its bundled TensorFlow as any; it is tfjs-core 4.22, as installed.
  const tf = human.tf as typeof TensorFlow;
  const pixels = tf.tensor3d(image.rgb, [image.height, image.width, 3], 'int32');
  let found: FaceResult[];
  try {
    const result = await human.detect(pixels);
    // Human reports its own failures in the result rather than throwing; an empty face list would read as "no face".
    if (result.error) throw new Error(`face detection failed: ${result.error}`);
    found = result.face;
  } finally {
    pixels.dispose();
  }
  return judge(found, quality);
}

function judge(found: FaceResult[], quality: FaceQualityRules): FaceDescription {
  const bySize = [...found].sort((a, b) => b.box[2] - a.box[2]);
  const largest = bySize[0];
  if (!largest) return { kind: 'rejected', reason: 'no_face' };
  // Faces far smaller than the main one are bystanders in the background; one of similar size makes the photo
  // ambiguous (which of the two is the person?).
  if (bySize.slice(1).some((face) => face.box[2] >= largest.box[2] * quality.otherFaceRatio)) {
    return { kind: 'rejected', reason: 'multiple_faces' };
  }
  const angle = largest.rotation?.angle;
  const turned = angle ? Math.max(Math.abs(angle.yaw), Math.abs(angle.pitch)) > quality.maxHeadAngle : false;
  const embedding = largest.embedding ?? [];
  if (largest.box[2] < quality.minFaceSize || turned || embedding.length === 0) {
    return { kind: 'rejected', reason: 'poor_quality' };
  }
  return { kind: 'face', descriptor: unitLength(embedding) };
}

/**
 * Scaled to length 1. The raw descriptor's length shrinks with the resolution of the face, so the library's
 * Euclidean similarity rates two small, blurred faces alike whoever they are; the angle between them does not.
 */
function unitLength(values: number[]): Float32Array {
  const length = Math.hypot(...values) || 1;
  return Float32Array.from(values, (value) => value / length);
}

/** Cosine similarity of two unit-length descriptors, in [-1, 1]. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error('face descriptors of different lengths');
  let dot = 0;
  for (let index = 0; index < a.length; index += 1) dot += (a[index] ?? 0) * (b[index] ?? 0);
  return dot;
}
