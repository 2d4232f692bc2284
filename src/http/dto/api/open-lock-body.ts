import 'reflect-metadata';
import { IsIn, IsString, Matches } from 'class-validator';
import { IsOmittable } from './omittable.js';

/** Reasons an API client may ask for: its own request (Art 10.2), or the operator's terms lock (Art 10.3). */
export const API_LOCK_REASONS = ['agency_request', 'service_user_request', 'terms_violation'] as const;

/** Printable text, no control characters: it is shown to the owner and kept in the ledger. */
export const NOTE_PATTERN = /^[^\p{Cc}]{1,500}$/u;

/** POST /api/v1/accounts/{accountId}/locks (Decision 34 Art 10.2, 10.3). */
export class OpenLockBody {
  /** Defaults to the caller's own kind of request (agency_request, service_user_request, or terms_violation). */
  @IsOmittable() @IsIn(API_LOCK_REASONS) reason?: (typeof API_LOCK_REASONS)[number];
  /** The decision or case the request rests on, as the requester refers to it. */
  @IsString() @Matches(NOTE_PATTERN) note!: string;
}
