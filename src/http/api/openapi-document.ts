import { API_SCOPES } from '../../domain/api-scopes.js';
import { HELD_DOCUMENT_TYPES } from '../../domain/held-document.js';
import { LOCK_REASONS } from '../../domain/lock.js';
import { REGISTRY_EVENT_TYPES, REGISTRY_SOURCES } from '../../domain/registry-event.js';
import { API_LOCK_REASONS } from '../dto/api/open-lock-body.js';
import { REGISTRY_SIGNATURE_HEADER } from './registry-signature.js';

/** Where the document is served (docs/api.md). */
export const OPENAPI_PATH = '/api/openapi.json';
export const API_BASE_PATH = '/api/v1';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema): Schema => ({ 'application/json': { schema } });
const problem = (description: string): Schema => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const ok = (description: string, schema: Schema): Schema => ({ description, content: json(schema) });
const security = (scope: string): Schema[] => [{ clientCredentials: [scope] }];
const standardErrors = {
  '400': problem('Invalid body or parameters (unknown fields are refused); `detail` names the fields'),
  '401': problem('No valid access token (see WWW-Authenticate)'),
  '403': problem('Missing scope (`insufficient_scope`), suspended client (`client_suspended`), or refused by the rules (`detail`)'),
  '413': problem('Body over 16 KiB (`payload_too_large`)'),
  '429': problem('Too many calls from this client (`api.requestsPerClient`); retry after Retry-After seconds'),
  '503': problem('A dependency is down; nothing was done. Retry after Retry-After seconds'),
};
const accountIdParameter = { name: 'accountId', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } };
const lockIdParameter = { name: 'lockId', in: 'path', required: true, schema: { type: 'string' } };
const note = { type: 'string', minLength: 1, maxLength: 500 };
const identityRef = {
  personalIdNumber: { type: 'string', pattern: '^\\d{12}$', description: 'Citizens (Decision 34 Art 4.1.a)' },
  passportNumber: { type: 'string', pattern: '^[A-Za-z0-9 ]{5,20}$', description: 'Foreigners, with nationality (Art 4.2.a)' },
  nationality: { type: 'string', pattern: '^[A-Za-z]{3}$', description: 'ISO 3166-1 alpha-3 (Art 4.2.dd)' },
};

/** The OpenAPI 3.1 description of the agency and service-user API, served at OPENAPI_PATH. */
export function openApiDocument(issuer: string): Schema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'vn-eid agency and service-user API',
      version: '1.0.0',
      description:
        'Account status, locks and restoration (Decision 34/2021/QD-TTg Art 10, 11), registry events (Art 9), level-2 in-person records (Art 5.1.b), suspension of relying parties (Art 13.5) and the audit trail. Authenticate with an access token from this provider\'s token endpoint (client_credentials grant; client_secret_basic, client_secret_post or private_key_jwt) carrying the scope of the capability. Errors are application/problem+json (RFC 9457) with a stable `code` and, for 4xx, a stable `detail`.',
    },
    servers: [{ url: `${issuer}${API_BASE_PATH}` }],
    components: {
      securitySchemes: {
        clientCredentials: {
          type: 'oauth2',
          flows: {
            clientCredentials: {
              tokenUrl: `${issuer}/token`,
              scopes: {
                [API_SCOPES.statusRead]: 'Account status and locks',
                [API_SCOPES.lockRequest]: 'Open a lock (Art 10.2; the operator: Art 10.3)',
                [API_SCOPES.lockRestore]: 'Lift a lock one asked for (Art 11.2)',
                [API_SCOPES.level2Record]: 'Record an in-person level-2 verification (Art 5.1.b)',
                [API_SCOPES.registryEvents]: 'Push registry events (Art 9.1), HMAC-signed',
                [API_SCOPES.auditRead]: "Read and export an account's audit trail",
                [API_SCOPES.operator]: 'Suspend and reinstate relying parties (Art 13.5), record remediation (Art 11.3)',
              },
            },
          },
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string' },
            detail: { type: 'string' },
            requestId: { type: 'string' },
          },
        },
        Lock: {
          type: 'object',
          required: ['id', 'reason', 'legalBasis', 'requestedBy', 'at', 'liftPath'],
          properties: {
            id: { type: 'string' },
            reason: { enum: [...LOCK_REASONS] },
            legalBasis: { type: 'string' },
            requestedBy: {
              type: 'object',
              properties: { kind: { enum: ['owner', 'agency', 'service_user', 'operator', 'registry'] }, id: { type: 'string', description: 'Shown to the requester itself and to the operator' } },
            },
            at: { type: 'string', format: 'date-time' },
            note: { type: 'string' },
            liftPath: { enum: ['owner', 'requesting_party', 'owner_after_remediation', 'registry_correction', 'document_renewal'] },
            remediationRecordedAt: { type: 'string', format: 'date-time' },
            liftedAt: { type: 'string', format: 'date-time' },
            liftedBy: { type: 'object', properties: { kind: { type: 'string' } } },
            liftBasis: { type: 'string' },
          },
        },
        AccountStatus: {
          type: 'object',
          required: ['accountId', 'status', 'level', 'locks'],
          properties: {
            accountId: { type: 'string', description: 'Opaque; use it in the other routes' },
            status: { enum: ['active', 'locked', 'pending_activation'] },
            level: { enum: [1, 2] },
            levelVerifiedBy: { enum: ['remote', 'in_person'] },
            locks: { type: 'array', items: ref('Lock') },
          },
        },
        AuditEvent: {
          type: 'object',
          required: ['id', 'at', 'type', 'actor'],
          properties: {
            id: { type: 'string', description: 'Cursor: pass as `before` for older events' },
            at: { type: 'string', format: 'date-time' },
            type: { type: 'string' },
            accountId: { type: 'string' },
            actor: { type: 'object', properties: { kind: { type: 'string' }, id: { type: 'string' } } },
            clientId: { type: 'string' },
            legalBasis: { type: 'string' },
            location: { type: 'string' },
            details: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
          },
        },
        RegistryEvent: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'type', 'source', 'occurredAt', 'subject'],
          properties: {
            id: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$', description: 'Unique at the source; a redelivery is applied once' },
            type: { enum: [...REGISTRY_EVENT_TYPES] },
            source: { enum: [...REGISTRY_SOURCES] },
            occurredAt: { type: 'string', format: 'date-time' },
            subject: { type: 'object', additionalProperties: false, properties: identityRef },
            changes: {
              type: 'object',
              additionalProperties: false,
              properties: { fullName: { type: 'string' }, birthDate: { type: 'string', format: 'date' }, gender: { enum: ['male', 'female'] } },
            },
            document: {
              type: 'object',
              additionalProperties: false,
              required: ['type'],
              properties: { type: { enum: [...HELD_DOCUMENT_TYPES] }, number: { type: 'string' }, expiresOn: { type: ['string', 'null'], format: 'date' } },
            },
          },
        },
      },
    },
    paths: {
      '/accounts/status': {
        post: {
          summary: 'Account status by personal ID number or passport',
          security: security(API_SCOPES.statusRead),
          requestBody: { required: true, content: json({ type: 'object', additionalProperties: false, properties: identityRef }) },
          responses: { '200': ok('The account', ref('AccountStatus')), '404': problem('No account for this identity'), ...standardErrors },
        },
      },
      '/accounts/{accountId}/locks': {
        parameters: [accountIdParameter],
        get: {
          summary: 'Open locks and the latest lifted ones',
          security: security(API_SCOPES.statusRead),
          responses: {
            '200': ok('Locks', { type: 'object', properties: { accountId: { type: 'string' }, locked: { type: 'boolean' }, open: { type: 'array', items: ref('Lock') }, history: { type: 'array', items: ref('Lock') } } }),
            '404': problem('No such account'),
            ...standardErrors,
          },
        },
        post: {
          summary: 'Lock the account (Art 10.2; the operator: terms violation, Art 10.3). Takes effect at once; idempotent per requester and reason',
          security: security(API_SCOPES.lockRequest),
          requestBody: {
            required: true,
            content: json({ type: 'object', additionalProperties: false, required: ['note'], properties: { reason: { enum: [...API_LOCK_REASONS] }, note } }),
          },
          responses: {
            '201': ok('Locked', { type: 'object', properties: { lock: ref('Lock'), created: { type: 'boolean' }, effects: { type: 'object' } } }),
            '200': ok('Already locked by this requester for this reason', { type: 'object' }),
            '404': problem('No such account'),
            ...standardErrors,
          },
        },
      },
      '/accounts/{accountId}/locks/{lockId}/lift': {
        parameters: [accountIdParameter, lockIdParameter],
        post: {
          summary: 'Lift a lock this client asked for (Art 11.2)',
          security: security(API_SCOPES.lockRestore),
          requestBody: { required: false, content: json({ type: 'object', additionalProperties: false, properties: { note } }) },
          responses: {
            '200': ok('Lifted', { type: 'object', properties: { lock: ref('Lock'), accountUsable: { type: 'boolean' } } }),
            '403': problem('`not_requesting_party`, `owner_only`, `remediation_required`, `registry_correction_only`, `document_renewal_only`'),
            '404': problem('`lock_not_found` or `account_not_found`'),
          },
        },
      },
      '/accounts/{accountId}/locks/{lockId}/remediation': {
        parameters: [accountIdParameter, lockIdParameter],
        post: {
          summary: 'Record that a terms violation was remedied (operator; Art 11.3)',
          security: security(API_SCOPES.operator),
          requestBody: { required: false, content: json({ type: 'object', additionalProperties: false, properties: { note } }) },
          responses: { '200': ok('Recorded', { type: 'object', properties: { lock: ref('Lock') } }), '404': problem('lock_not_found'), '409': problem('Not a terms lock'), ...standardErrors },
        },
      },
      '/accounts/{accountId}/audit': {
        parameters: [accountIdParameter],
        get: {
          summary: "The account's audit trail, newest first",
          security: security(API_SCOPES.auditRead),
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } },
            { name: 'before', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the previous page' },
          ],
          responses: {
            '200': ok('A page', { type: 'object', properties: { events: { type: 'array', items: ref('AuditEvent') }, nextCursor: { type: 'string' } } }),
            '404': problem('No such account'),
            ...standardErrors,
          },
        },
      },
      '/accounts/{accountId}/audit/export': {
        parameters: [accountIdParameter],
        get: {
          summary: "Every kept event of the account, oldest first, one JSON object per line",
          security: security(API_SCOPES.auditRead),
          responses: { '200': { description: 'NDJSON', content: { 'application/x-ndjson': { schema: ref('AuditEvent') } } }, '404': problem('No such account'), ...standardErrors },
        },
      },
      '/registry/events': {
        post: {
          summary: 'A change in a national database (Art 9.1). Signed; idempotent by event id',
          security: security(API_SCOPES.registryEvents),
          parameters: [
            {
              name: REGISTRY_SIGNATURE_HEADER,
              in: 'header',
              required: true,
              schema: { type: 'string', pattern: '^t=\\d+,v1=[0-9a-f]{64}$' },
              description: 'HMAC-SHA256 (hex) over "<t>.<raw body>" with a configured key; t = Unix seconds, within the tolerance',
            },
          ],
          requestBody: { required: true, content: json(ref('RegistryEvent')) },
          responses: {
            '200': ok('Processed (outcome `applied`, `duplicate`, `no_account`, `nothing_changed`, `wrong_subject_kind`, `missing_data`)', {
              type: 'object',
              properties: { eventId: { type: 'string' }, outcome: { type: 'string' }, actions: { type: 'array', items: { type: 'string' } } },
            }),
            ...standardErrors,
            '401': problem('No valid token, or `signature_missing`, `signature_malformed`, `signature_stale`, `signature_mismatch`'),
          },
        },
      },
      '/level2/in-person': {
        post: {
          summary: 'Record a level-2 verification done by an officer at a police counter (Art 5.1.b)',
          security: security(API_SCOPES.level2Record),
          requestBody: {
            required: true,
            content: json({
              type: 'object',
              additionalProperties: false,
              required: ['method', 'officerId', 'stationId', 'legalBasis', 'at'],
              properties: {
                accountId: { type: 'string' },
                ...identityRef,
                method: { enum: ['fpt', 'face'] },
                officerId: { type: 'string' },
                stationId: { type: 'string' },
                legalBasis: { type: 'string' },
                at: { type: 'string', format: 'date-time' },
              },
            }),
          },
          responses: { '200': ok('Recorded; the account is level 2', { type: 'object' }), '404': problem('account_not_found'), '409': problem('`not_active` or `identity_closed`'), ...standardErrors },
        },
      },
      '/clients/suspensions': {
        get: { summary: 'Suspended relying parties (operator)', security: security(API_SCOPES.operator), responses: { '200': ok('List', { type: 'object' }), ...standardErrors } },
      },
      '/clients/{clientId}/suspension': {
        parameters: [{ name: 'clientId', in: 'path', required: true, schema: { type: 'string' } }],
        put: {
          summary: 'Suspend a relying party (Art 13.5): its logins and tokens stop at once',
          security: security(API_SCOPES.operator),
          requestBody: { required: true, content: json({ type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: note } }) },
          responses: { '201': ok('Suspended', { type: 'object' }), '200': ok('Already suspended', { type: 'object' }), '404': problem('No such client'), '409': problem('Cannot be suspended'), ...standardErrors },
        },
        delete: {
          summary: 'Reinstate a suspended relying party',
          security: security(API_SCOPES.operator),
          responses: { '204': { description: 'Reinstated' }, '404': problem('Not suspended'), ...standardErrors },
        },
      },
    },
  };
}
