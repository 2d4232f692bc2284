import { randomBytes, randomUUID } from 'node:crypto';

/** An unguessable identifier, URL-safe. 128 bits unless asked otherwise. */
export const randomId = (bytes = 16): string => randomBytes(bytes).toString('base64url');

export const uuid = (): string => randomUUID();
