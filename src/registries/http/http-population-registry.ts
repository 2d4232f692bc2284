import type { CitizenRecord, PopulationRegistry, RegistryLookup } from '../../domain/registry.js';
import { normaliseIdNumber } from '../../domain/registry.js';
import { fail, ok } from '../../shared/result.js';
import { readLookupReply } from '../wire/lookup-reply.js';
import { toCitizenRecord } from '../wire/record-mapping.js';
import type { AgencyHttpClient } from './agency-http-client.js';

export const CITIZEN_LOOKUP_PATH = '/v1/citizens/lookup';

/** The National Population Database over the agency API (Decision 34 Art 5.1.a). */
export class HttpPopulationRegistry implements PopulationRegistry {
  constructor(private readonly client: AgencyHttpClient) {}

  async findCitizen(idNumber: string): Promise<RegistryLookup<CitizenRecord>> {
    const wanted = normaliseIdNumber(idNumber);
    // A number that cannot exist names nobody; the agency is not asked (the file registry answers the same).
    if (!/^\d{12}$/.test(wanted)) return ok(null);
    const reply = await this.client.lookup(CITIZEN_LOOKUP_PATH, { idNumber: wanted }, (json) =>
      readLookupReply(json, (plain) => {
        const record = toCitizenRecord(plain, 'strip');
        // A record for another number is an agency fault, never a match for this one.
        return record && record.idNumber === wanted ? record : null;
      }),
    );
    if (!reply.ok) return fail('registry_unavailable');
    return ok(reply.value.found ? reply.value.record : null);
  }
}
