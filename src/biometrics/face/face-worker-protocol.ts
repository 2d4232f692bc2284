import type { FaceEngineSettings, FaceRejection } from './face-engine.js';

/** Messages between the pool and the face workers. Types only: face-worker.ts imports nothing relative at run time. */

export interface FaceWorkerSettings extends FaceEngineSettings {
  /** Images with more pixels are refused undecoded. */
  maxPixels: number;
  /** Decoded images are scaled down to this longest side before detection: it bounds each worker's memory. */
  maxSide: number;
}

/** Both images travel as transferred buffers: once posted, the main thread holds neither. */
export interface FaceCompareRequest {
  probe: Uint8Array;
  reference: Uint8Array;
}

/** `unreadable`: not a JPEG or PNG, corrupt, or larger than `maxPixels`. */
export type ImageRejection = FaceRejection | 'unreadable';

export type FaceCompareReply =
  | { kind: 'compared'; similarity: number }
  | { kind: 'rejected'; image: 'probe' | 'reference'; reason: ImageRejection };
