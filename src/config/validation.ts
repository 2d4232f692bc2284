import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Thrown at start-up; the message names every bad key by its dotted path and never echoes a secret. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function flatten(errors: ValidationError[], secretPaths: readonly string[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => {
      const isSecret = secretPaths.some((secret) => path === secret || path.startsWith(`${secret}.`));
      const shown = isSecret ? '[redacted]' : JSON.stringify(error.value);
      // class-validator messages start with the property name; replace it with the full dotted path.
      return `${path}: ${message.replace(new RegExp(`^${error.property}\\b\\s*`), '')} (got ${shown})`;
    });
    return [...own, ...flatten(error.children ?? [], secretPaths, path)];
  });
}

/** Builds and validates a config object: unknown keys are refused so that a typo never goes unnoticed. */
export function validateInto<T extends object>(
  schema: ClassConstructor<T>,
  plain: unknown,
  source: string,
  secretPaths: readonly string[] = [],
): T {
  const instance = plainToInstance(schema, plain, { exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(source, flatten(errors, secretPaths));
  }
  return instance;
}
