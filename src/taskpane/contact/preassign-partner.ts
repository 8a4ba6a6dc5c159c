/**
 * Pre-assigns a business partner for a person known only by e-mail (and maybe a company name):
 * the partners a search by the e-mail's domain (and the company name) returns, decided by core
 * `preassignBusinessPartner` (exactly one fits -> that partner; otherwise none, the user chooses).
 *
 * @example await preassignPartner(crm, "anna.schmidt@mueller-bau.de", null) // Müller Bau GmbH
 */
import type { BusinessPartner } from "../../core/model";
import { emailDomainOf, freeMailDomains, preassignBusinessPartner } from "../../core/business-partner";
import type { CrmClient } from "../../core/ports";

export async function preassignPartner(
  crm: CrmClient,
  email: string,
  companyName: string | null,
): Promise<BusinessPartner | null> {
  const domain = emailDomainOf(email);
  const found = new Map<string, BusinessPartner>();
  const usefulDomain = domain && !freeMailDomains.has(domain) ? domain : undefined;
  const searches = [usefulDomain, companyName?.trim()].filter((s): s is string => Boolean(s));
  for (const search of searches) {
    for (const partner of (await crm.searchBusinessPartners({ search, limit: 50 })).items)
      found.set(partner.id, partner);
  }
  const result = preassignBusinessPartner({ companyName, email }, [...found.values()]);
  return result.businessPartnerId === null ? null : (found.get(result.businessPartnerId) ?? null);
}
