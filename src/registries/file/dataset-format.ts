/**
 * The registry dataset file (docs/registry/dataset.md, schema docs/registry/registry-record.schema.json): UTF-8
 * NDJSON, one record per line, optionally opened by a meta line saying what it is and how it was made.
 */
export const DATASET_FORMAT = 'vn-eid-registry';
export const DATASET_VERSION = 1;

export interface DatasetMeta {
  kind: 'meta';
  format: typeof DATASET_FORMAT;
  version: typeof DATASET_VERSION;
  /** Generator inputs, so that a file can be reproduced byte for byte. */
  generator: { seed: string; asOf: string; citizens: number; foreigners: number; personas: boolean };
}
