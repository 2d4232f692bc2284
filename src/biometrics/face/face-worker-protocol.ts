import type { FaceEngineSettings, FaceRejection } from './face-engine.js';

/** What the face worker threads exchange with the pool (types only: face-worker.ts loads nothing relative at run time). */

export interface FaceWorkerSettings extends FaceEngineSettings {
  /** Images with more pixels are refused undecoded. */
  maxPixels: number;
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
