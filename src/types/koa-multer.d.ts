/**
 * Types of @koa/multer 4 (the package ships none), limited to what src/http/level2/photo-upload.ts uses: memory
 * storage, limits, one file field. The file lands on `ctx.request.file`, the other fields on `ctx.request.body`.
 */
declare module '@koa/multer' {
  import type { Middleware } from 'koa';

  namespace multer {
    interface StorageEngine {
      _handleFile(request: unknown, file: unknown, callback: (error?: unknown, info?: unknown) => void): void;
      _removeFile(request: unknown, file: unknown, callback: (error: Error | null) => void): void;
    }

    interface Limits {
      fieldNameSize?: number;
      fieldSize?: number;
      fields?: number;
      fileSize?: number;
      files?: number;
      parts?: number;
      headerPairs?: number;
    }

    interface UploadedFile {
      fieldname: string;
      originalname: string;
      mimetype: string;
      size: number;
      /** Memory storage: the whole file. */
      buffer: Buffer;
    }

    interface Options {
      storage?: StorageEngine;
      limits?: Limits;
      preservePath?: boolean;
    }

    interface Instance {
      single(fieldName: string): Middleware;
      none(): Middleware;
    }

    function memoryStorage(): StorageEngine;
  }

  function multer(options?: multer.Options): multer.Instance;
  export default multer;
}
