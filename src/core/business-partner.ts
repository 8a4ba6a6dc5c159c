/**
 * Pre-assignment of a business partner to an Outlook contact in the import (DESIGN.md section 2
 * item 3): only when exactly one partner fits, first by company name, failing that by the
 * e-mail domain. Free-mail domains (gmail.com, gmx.de, ...) never identify a company.
 *
 * @example
 *   preassignBusinessPartner({ companyName: "MÜLLER BAU GMBH" }, partners)
 *   // { businessPartnerId: "bp-0001", reason: "company-name" }
 *   preassignBusinessPartner({ email: "max@gmail.com" }, partners)
 *   // { businessPartnerId: null, reason: "none" }
 */
import type { BusinessPartner } from "./model";
import { normalizeEmail, normalizeName } from "./normalize";

/** Domains of public mail providers: an address there says nothing about the employer. */
export const freeMailDomains: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "gmx.de",
  "gmx.net",
  "gmx.at",
  "gmx.ch",
  "gmx.com",
  "web.de",
  "outlook.com",
  "outlook.de",
  "hotmail.com",
  "hotmail.de",
  "live.com",
  "live.de",
  "msn.com",
  "yahoo.com",
  "yahoo.de",
  "ymail.com",
  "aol.com",
  "t-online.de",
  "freenet.de",
  "icloud.com",
  "me.com",
  "mac.com",
  "posteo.de",
  "mailbox.org",
  "proton.me",
  "protonmail.com",
  "mail.de",
  "arcor.de",
]);

export type PreassignResult =
  | { businessPartnerId: string; reason: "company-name" | "email-domain" }
  | { businessPartnerId: null; reason: "none" | "ambiguous" };

/** The domain of an e-mail address (lower-case), or undefined. */
export function emailDomainOf(email: string | null | undefined): string | undefined {
  const normalized = normalizeEmail(email);
  return normalized?.slice(normalized.lastIndexOf("@") + 1);
}

/**
 * The business partner that unambiguously fits the contact, else null with the reason:
 * "ambiguous" when several partners fit the deciding criterion, "none" when none does.
 * A company name that fits several partners is ambiguous even if the domain would decide
 * (the name is the stronger signal); a name that fits none falls through to the domain.
 */
export function preassignBusinessPartner(
  contact: { companyName?: string | null; email?: string | null },
  partners: readonly BusinessPartner[],
): PreassignResult {
  const company = normalizeName(contact.companyName);
  if (company !== undefined) {
    const byName = uniqueIds(partners.filter((p) => normalizeName(p.name) === company));
    if (byName.length === 1) return { businessPartnerId: byName[0] as string, reason: "company-name" };
    if (byName.length > 1) return { businessPartnerId: null, reason: "ambiguous" };
  }
  const domain = emailDomainOf(contact.email);
  if (domain === undefined || freeMailDomains.has(domain)) return { businessPartnerId: null, reason: "none" };
  const byDomain = uniqueIds(
    partners.filter((p) => p.emailDomains.some((d) => d.trim().toLowerCase().replace(/^@/, "") === domain)),
  );
  if (byDomain.length === 1) return { businessPartnerId: byDomain[0] as string, reason: "email-domain" };
  return { businessPartnerId: null, reason: byDomain.length > 1 ? "ambiguous" : "none" };
}

function uniqueIds(partners: readonly BusinessPartner[]): string[] {
  return [...new Set(partners.map((p) => p.id))];
}
