import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type * as Engine from './face-engine.js';
import type { FaceCompareReply, FaceCompareRequest, FaceWorkerSettings } from './face-worker-protocol.js';
import type * as Decoding from './image-decoding.js';
import type { WorkerJob, WorkerMessage } from './worker-pool.js';

/**
 * Entry of one face worker thread: loads Human once, then compares pairs of images for the pool (worker-pool.ts).
 * Nothing of an image outlives its job: no caching, tensors disposed, buffers dropped.
 *
 * Loaded by path, as compiled JavaScript in production and as TypeScript under Node's type stripping in tests and
 * development. So that both work, sibling modules are imported at run time with this file's own extension, and only
 * types are imported statically (erased).
 */

const extension = extname(fileURLToPath(import.meta.url));
const sibling = async <T>(name: string): Promise<T> =>
  (await import(new URL(`./${name}${extension}`, import.meta.url).href)) as T;

function portToPool(): MessagePort {
  if (!parentPort) throw new Error('face-worker runs as a worker thread only');
  return parentPort;
}
const port = portToPool();
const settings = workerData as FaceWorkerSettings;

interface Loaded {
  engine: Engine.FaceEngine;
  cosineSimilarity: typeof Engine.cosineSimilarity;
  decodeImage: typeof Decoding.decodeImage;
  fitWithin: typeof Decoding.fitWithin;
}

async function compare(loaded: Loaded, request: FaceCompareRequest): Promise<FaceCompareReply> {
  const { engine, cosineSimilarity, decodeImage, fitWithin } = loaded;
  const descriptors: Float32Array[] = [];
  for (const image of ['probe', 'reference'] as const) {
    const pixels = decodeImage(request[image], { maxPixels: settings.maxPixels });
    if (!pixels) return { kind: 'rejected', image, reason: 'unreadable' };
    const description = await engine.describe(fitWithin(pixels, settings.maxSide));
    if (description.kind === 'rejected') return { kind: 'rejected', image, reason: description.reason };
    descriptors.push(description.descriptor);
  }
  const [probe, reference] = descriptors;
  if (!probe || !reference) throw new Error('two descriptors expected');
  return { kind: 'compared', similarity: cosineSimilarity(probe, reference) };
}

async function start(): Promise<void> {
  const post = (message: WorkerMessage<FaceCompareReply>): void => port.postMessage(message);
  let loaded: Loaded;
  try {
    const { decodeImage, fitWithin } = await sibling<typeof Decoding>('image-decoding');
    const { loadFaceEngine, cosineSimilarity } = await sibling<typeof Engine>('face-engine');
    loaded = { engine: await loadFaceEngine(settings), cosineSimilarity, decodeImage, fitWithin };
  } catch (error) {
    post({ type: 'start_failed', message: (error as Error).message });
    return;
  }
  // One job at a time: the pool never sends a second before the first is answered.
  port.on('message', (job: WorkerJob<FaceCompareRequest>) => {
    compare(loaded, job.request).then(
      (reply) => post({ type: 'reply', id: job.id, reply }),
      (error: unknown) => post({ type: 'job_failed', id: job.id, message: (error as Error).message }),
    );
  });
  post({ type: 'ready' });
}

void start();
