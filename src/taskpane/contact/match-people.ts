/**
 * Matches the people of the selected e-mail to CRM contact persons by e-mail address (trimmed,
 * case-insensitive). One mail address may match several persons (shared mailboxes); each
 * address appears once even when it is both sender and recipient (the first role wins).
 *
 * @example
 *   matchMailPeople([{ displayName: "Anna", emailAddress: "ANNA@x.de", role: "from" }], [anna])
 *   // [{ mail: {...}, key: "anna@x.de", personIds: [anna.id] }]
 */
import type { ContactPerson, MailPerson } from "../../core/model";
import { normalizeEmail } from "../../core/normalize";

export interface MailPersonMatch {
  mail: MailPerson;
  /** Normalised e-mail address (or the raw one when it is not shaped like an address). */
  key: string;
  /** CRM ids of the contact persons with this e-mail, in lookup order. */
  personIds: string[];
}

export function mailKey(address: string): string {
  return normalizeEmail(address) ?? address.trim().toLowerCase();
}

/** The distinct, valid e-mail addresses to send to the CRM lookup. */
export function lookupEmails(people: readonly MailPerson[]): string[] {
  const emails = new Set<string>();
  for (const person of people) {
    const email = normalizeEmail(person.emailAddress);
    if (email) emails.add(email);
  }
  return [...emails];
}

export function matchMailPeople(
  people: readonly MailPerson[],
  persons: readonly ContactPerson[],
): MailPersonMatch[] {
  const byEmail = new Map<string, string[]>();
  for (const person of persons) {
    const email = normalizeEmail(person.email);
    if (!email) continue;
    const ids = byEmail.get(email) ?? [];
    if (!ids.includes(person.id)) ids.push(person.id);
    byEmail.set(email, ids);
  }
  const seen = new Set<string>();
  const out: MailPersonMatch[] = [];
  for (const mail of people) {
    const key = mailKey(mail.emailAddress);
    if (key === "" || seen.has(key)) continue;
    seen.add(key);
    out.push({ mail, key, personIds: byEmail.get(key) ?? [] });
  }
  return out;
}

/** Splits a display name into first and last name ("Schmidt, Anna" and "Anna Schmidt" alike). */
export function splitDisplayName(
  displayName: string,
  emailAddress: string,
): { firstName: string | null; lastName: string } {
  const name = displayName.replace(/\s+/g, " ").trim();
  if (name.includes(",")) {
    const [last = "", first = ""] = name.split(",", 2).map((part) => part.trim());
    if (last) return { firstName: first || null, lastName: last };
  }
  const parts = name.split(" ").filter(Boolean);
  if (parts.length >= 2 && !name.includes("@")) {
    return { firstName: parts.slice(0, -1).join(" "), lastName: parts[parts.length - 1] ?? "" };
  }
  if (parts.length === 1 && !name.includes("@")) return { firstName: null, lastName: parts[0] ?? "" };
  const local = (emailAddress.split("@")[0] ?? "").split(/[._-]+/).filter(Boolean);
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  if (local.length >= 2)
    return { firstName: local.slice(0, -1).map(cap).join(" "), lastName: cap(local[local.length - 1] ?? "") };
  return { firstName: null, lastName: cap(local[0] ?? emailAddress) };
}
