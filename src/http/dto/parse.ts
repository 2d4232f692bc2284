import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { fail, ok, type Result } from '../../shared/result.js';

/**
 * Validates a request body at the edge: only the declared fields, unknown ones refused. Returns the names of the
 * invalid fields so a page can mark them; values never appear in the result.
 */
export function parseBody<T extends object>(schema: ClassConstructor<T>, body: unknown): Result<T, 'invalid_input'> & { fields?: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ...fail('invalid_input'), fields: [] };
  }
  const instance = plainToInstance(schema, body);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    return { ...fail('invalid_input'), fields: errors.map((error) => error.property) };
  }
  return ok(instance);
}
