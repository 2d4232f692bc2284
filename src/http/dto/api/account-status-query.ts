import 'reflect-metadata';
import { IdentityRefFields } from './identity-ref.js';

/** POST /api/v1/accounts/status: whose account (docs/api.md). */
export class AccountStatusQuery extends IdentityRefFields {}
