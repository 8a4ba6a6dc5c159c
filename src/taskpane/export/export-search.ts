/**
 * The export wizard's search: every page of the CRM search up to SEARCH_CAP persons (criteria:
 * free text, business partner, city, responsible = me), plus their business partners. It asks
 * the CRM only for what it shows: pages of 500 (the contract's maximum), the partner criterion as
 * one filter of the person search (`businessPartnerSearch`), the partners by batch-get (1,000 ids
 * per request). 2,000 persons: 4 pages + 1 batch-get; 10,000 under 1,000 partners: 20 + 1.
 *
 * @example
 *   const { persons, capped } = await loadPersons(services.crm, { ...emptyCriteria, city: "München" }, signal);
 */
import type { BusinessPartner, ContactPerson } from "../../core/model";
import type { CrmClient } from "../../core/ports";

/** The search loads every page up to this many persons; more must be narrowed down. */
export const SEARCH_CAP = 10_000;
/** The contract's largest page. */
export const SEARCH_PAGE_SIZE = 500;

export interface Criteria {
  text: string;
  partner: string;
  city: string;
  responsibleMe: boolean;
}

export const emptyCriteria: Criteria = { text: "", partner: "", city: "", responsibleMe: true };

/**
 * Every page of the search, at most SEARCH_CAP persons (`capped` says more exist). The partner
 * criterion filters on the CRM side (every matching partner, not only the first ones); when it
 * finds nobody, one partner search tells "no such partner" (`noPartner`) from "no persons".
 * Inactive persons (the search returns them with their status) cannot be exported: they are left
 * out and counted in `inactive`.
 */
export async function loadPersons(
  crm: CrmClient,
  criteria: Criteria,
  signal: AbortSignal,
): Promise<{ persons: ContactPerson[]; capped: boolean; noPartner: boolean; inactive: number }> {
  const partner = criteria.partner.trim() || undefined;
  const query = {
    search: criteria.text.trim() || undefined,
    businessPartnerSearch: partner,
    city: criteria.city.trim() || undefined,
    responsibleMe: criteria.responsibleMe || undefined,
  };
  const persons: ContactPerson[] = [];
  const seen = new Set<string>();
  let inactive = 0;
  let cursor: string | undefined;
  do {
    const limit = Math.min(SEARCH_PAGE_SIZE, SEARCH_CAP + 1 - persons.length);
    const page = await crm.searchContactPersons({ ...query, cursor, limit }, { signal });
    for (const person of page.items) {
      if (seen.has(person.id)) continue;
      seen.add(person.id);
      if (person.status !== "active") {
        inactive += 1;
        continue;
      }
      if (persons.length >= SEARCH_CAP) return { persons, capped: true, noPartner: false, inactive };
      persons.push(person);
    }
    cursor = page.nextCursor ?? undefined;
    if (cursor !== undefined && persons.length >= SEARCH_CAP) {
      return { persons, capped: true, noPartner: false, inactive };
    }
  } while (cursor);
  if (persons.length === 0 && inactive === 0 && partner !== undefined) {
    const partners = await crm.searchBusinessPartners({ search: partner, limit: 1 }, { signal });
    return { persons, capped: false, noPartner: partners.items.length === 0, inactive };
  }
  return { persons, capped: false, noPartner: false, inactive };
}

/** The business partners of the given ids (batch-get, 1,000 per request); unknown ids are left out. */
export async function loadPartners(
  crm: CrmClient,
  ids: readonly string[],
  signal: AbortSignal,
): Promise<Map<string, BusinessPartner>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  // A missing partner only loses the company name; any failure stops the search.
  const { items } = await crm.batchGetBusinessPartners(unique, { signal });
  return new Map(items.map((partner) => [partner.id, partner]));
}
