import { DependencyUnavailableError } from '../domain/errors.js';

/**
 * Runs a Redis command and turns any failure (connection refused, command timeout, OOM under noeviction) into
 * DependencyUnavailableError, which the edge answers with 503. Callers never read a failed command as "not found":
 * an outage must not look like an unknown code, an absent account or a free login name (fail closed).
 */
export async function failClosed<T>(command: Promise<T>): Promise<T> {
  try {
    return await command;
  } catch (error) {
    if (error instanceof DependencyUnavailableError) throw error;
    const unavailable = new DependencyUnavailableError('redis');
    unavailable.cause = error;
    throw unavailable;
  }
}
