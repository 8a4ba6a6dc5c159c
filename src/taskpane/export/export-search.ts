/**
 * The export wizard's search: every page of the CRM search up to SEARCH_CAP persons (criteria:
 * free text, business partner name, city, responsible = me), plus their business partners.
 *
 * @example
 *   const { persons, capped } = await loadPersons(services.crm, { ...emptyCriteria, city: "München" }, signal);
 */
import { AppError } from "../../core/errors";
import type { BusinessPartner, ContactPerson } from "../../core/model";
import type { CrmClient } from "../../core/ports";

/** The search loads every page up to this many persons; more must be narrowed down. */
export const SEARCH_CAP = 10_000;
const PAGE_SIZE = 200;
/** Business partners matching the partner criterion that are searched (first page). */
const PARTNER_MATCH_LIMIT = 25;

export interface Criteria {
  text: string;
  partner: string;
  city: string;
  responsibleMe: boolean;
}

export const emptyCriteria: Criteria = { text: "", partner: "", city: "", responsibleMe: true };

/** Runs `fn` over items, at most `limit` at a time. */
async function eachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Every page of the search, at most SEARCH_CAP persons (`capped` says more exist). A partner
 * criterion searches the first PARTNER_MATCH_LIMIT matching partners; none -> `noPartner`.
 * Inactive persons (the search returns them with their status) cannot be exported: they are left
 * out and counted in `inactive`.
 */
export async function loadPersons(
  crm: CrmClient,
  criteria: Criteria,
  signal: AbortSignal,
): Promise<{ persons: ContactPerson[]; capped: boolean; noPartner: boolean; inactive: number }> {
  const base = {
    search: criteria.text.trim() || undefined,
    city: criteria.city.trim() || undefined,
    responsibleMe: criteria.responsibleMe || undefined,
  };
  let partnerIds: (string | undefined)[] = [undefined];
  if (criteria.partner.trim()) {
    const page = await crm.searchBusinessPartners(
      { search: criteria.partner.trim(), limit: PARTNER_MATCH_LIMIT },
      { signal },
    );
    partnerIds = page.items.map((p) => p.id);
    if (partnerIds.length === 0) return { persons: [], capped: false, noPartner: true, inactive: 0 };
  }
  const persons: ContactPerson[] = [];
  const seen = new Set<string>();
  let inactive = 0;
  for (const businessPartnerId of partnerIds) {
    let cursor: string | undefined;
    do {
      const page = await crm.searchContactPersons(
        { ...base, businessPartnerId, cursor, limit: PAGE_SIZE },
        { signal },
      );
      for (const person of page.items) {
        if (seen.has(person.id)) continue;
        if (person.status !== "active") {
          seen.add(person.id);
          inactive += 1;
          continue;
        }
        if (persons.length >= SEARCH_CAP) return { persons, capped: true, noPartner: false, inactive };
        seen.add(person.id);
        persons.push(person);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return { persons, capped: false, noPartner: false, inactive };
}

/** The business partners of the given ids (4 requests at a time); unknown ids are left out. */
export async function loadPartners(
  crm: CrmClient,
  ids: readonly string[],
  signal: AbortSignal,
): Promise<Map<string, BusinessPartner>> {
  const partners = new Map<string, BusinessPartner>();
  await eachLimit([...new Set(ids)], 4, async (id) => {
    try {
      partners.set(id, await crm.getBusinessPartner(id, { signal }));
    } catch (caught) {
      // A missing partner only loses the company name; anything else stops the search.
      if (!AppError.is(caught, "not-found")) throw caught;
    }
  });
  return partners;
}
