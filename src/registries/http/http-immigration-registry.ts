import type { ForeignerRecord, ImmigrationRegistry, RegistryLookup } from '../../domain/registry.js';
import { normaliseNationality, normalisePassportNumber } from '../../domain/registry.js';
import { fail, ok } from '../../shared/result.js';
import { readLookupReply } from '../wire/lookup-reply.js';
import { toForeignerRecord } from '../wire/record-mapping.js';
import type { AgencyHttpClient } from './agency-http-client.js';

export const FOREIGNER_LOOKUP_PATH = '/v1/foreigners/lookup';

/** The National Immigration Database over the agency API (Decision 34 Art 5.1.b). */
export class HttpImmigrationRegistry implements ImmigrationRegistry {
  constructor(private readonly client: AgencyHttpClient) {}

  async findForeigner(passportNumber: string, nationality: string): Promise<RegistryLookup<ForeignerRecord>> {
    const wanted = { passportNumber: normalisePassportNumber(passportNumber), nationality: normaliseNationality(nationality) };
    // A passport number or nationality that cannot exist names nobody; the agency is not asked.
    if (!/^[A-Z0-9]{5,20}$/.test(wanted.passportNumber) || !/^[A-Z]{3}$/.test(wanted.nationality)) return ok(null);
    const reply = await this.client.lookup(FOREIGNER_LOOKUP_PATH, wanted, (json) =>
      readLookupReply(json, (plain) => {
        const record = toForeignerRecord(plain, 'strip');
        // A record for another passport is an agency fault, never a match for this one.
        return record && record.passportNumber === wanted.passportNumber && record.nationality === wanted.nationality
          ? record
          : null;
      }),
    );
    if (!reply.ok) return fail('registry_unavailable');
    return ok(reply.value.found ? reply.value.record : null);
  }
}
