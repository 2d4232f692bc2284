/**
 * Documents issued by state agencies and shown with the electronic identity (draft 2025: "documents integrated and
 * shown with the identity"). When one expires, only it is hidden from the claims and the owner is told to renew it;
 * the account is NOT locked (draft 2025, Art 9.1 as amended). A foreigner's passport or residence document is not one of
 * these: its expiry locks the account (later rules), see lock.ts `foreign_document_expired`.
 */
export const HELD_DOCUMENT_TYPES = ['identity_card', 'driving_licence', 'health_insurance_card', 'vehicle_registration'] as const;

export type HeldDocumentType = (typeof HELD_DOCUMENT_TYPES)[number];

export interface HeldDocument {
  type: HeldDocumentType;
  /** The document's own number, when it has one distinct from the personal ID number. */
  number?: string;
  /** ISO date YYYY-MM-DD; null = valid for life. */
  expiresOn: string | null;
  /** True once expired: kept for the owner's page, left out of every claim until renewed. */
  hidden: boolean;
}

/** Decision 34 Art 9.1 (draft 2025): whether the document has expired on `today` (ISO date; the expiry day is valid). */
export function isExpired(document: Pick<HeldDocument, 'expiresOn'>, today: string): boolean {
  return document.expiresOn !== null && document.expiresOn < today;
}

/** The documents a relying party may see: the expired ones are hidden (draft 2025). */
export function visibleDocuments(documents: readonly HeldDocument[] | undefined): HeldDocument[] {
  return (documents ?? []).filter((document) => !document.hidden);
}
