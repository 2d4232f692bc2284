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
  // class-transformer throws (a 500) on a nested object with an own `constructor` key, e.g. JSON
  // `{"idNumber":{"constructor":"x"}}`, and class-validator lets a top-level `constructor` or `__proto__` through as if
  // declared; no form or API body has one, so such a field is simply invalid (issue 6).
  const poisoned = Object.entries(body).filter(([key, value]) => OBJECT_MACHINERY.has(key) || carriesOwnConstructor(value, 0));
  if (poisoned.length > 0) return { ...fail('invalid_input'), fields: poisoned.map(([field]) => field) };
  const instance = plainToInstance(schema, body);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    return { ...fail('invalid_input'), fields: errors.map((error) => error.property) };
  }
  return ok(instance);
}

const OBJECT_MACHINERY: ReadonlySet<string> = new Set(['constructor', '__proto__', 'prototype']);

/** Whether a value (nested objects and arrays included, to a sane depth) has an own property named `constructor`. */
function carriesOwnConstructor(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth > 32 || Object.hasOwn(value, 'constructor')) return true;
  return Object.values(value).some((item) => carriesOwnConstructor(item, depth + 1));
}
