/**
 * The duplicate check of the import (DESIGN.md section 2 item 3; the seed's "Criteria for the
 * duplicate check"): an Outlook contact against the CRM contact persons that one bulk `lookup`
 * returned.
 *
 * - certain: the e-mail equals a person's e-mail, or the last name AND the mobile number both
 *   equal the person's last name and mobile.
 * - possible (not certain): first and last name both equal, or the last name and any other phone
 *   number equal, or the last name equals within the assigned business partner.
 * - none otherwise.
 *
 * Comparison: e-mails trimmed and case-insensitive, names case- and accent-insensitive
 * (`normalizeName`), phones in E.164 (`normalizePhone` with the default region). Empty, missing or
 * unparseable values never match.
 *
 * Decisions:
 * - "Mobile" means mobile on both sides: a candidate's mobile equal to the person's business
 *   phone (or the other way round) is not certain, it is a possible duplicate ("lastName+phone").
 * - Phones compared for "lastName+phone" are the candidate's phone, mobile and `otherPhones`
 *   against the person's phone and mobile; fax numbers are not compared (shared by a whole office).
 * - `matches` lists the persons that caused the status (for "certain" only the certain ones), each
 *   once with its strongest reason, strongest first, then in input order.
 *
 * @example
 *   classifyDuplicate({ lastName: "Schmidt", mobile: "0171 2345678" }, persons, { defaultRegion: "DE" })
 *   // { status: "certain", matches: [{ id: "cp-00001", reason: "lastName+mobile" }] }
 */
import { normalizeEmail, normalizeName, normalizePhone, sameKey } from "./normalize";
import type { OutlookContactFields } from "./model";
import type { LookupKeys } from "./ports";

type Text = string | null | undefined;

/** An Outlook contact (or a row of the import table) to check. */
export interface DuplicateCandidate {
  firstName?: Text;
  lastName?: Text;
  email?: Text;
  /** Business phone. */
  phone?: Text;
  mobile?: Text;
  /** Further numbers of the contact (other business phones, home phones); compared like `phone`. */
  otherPhones?: readonly Text[] | null;
}

/**
 * The candidate of an Outlook contact: the mapped fields (first e-mail address, first business
 * phone, mobile) plus its further business and home phones as `otherPhones`.
 *
 * @example candidateFromOutlook(contact).lastName // contact.surname
 */
export function candidateFromOutlook(
  contact: Pick<
    OutlookContactFields,
    "givenName" | "surname" | "emailAddresses" | "businessPhones" | "mobilePhone" | "homePhones"
  >,
): DuplicateCandidate {
  return {
    firstName: contact.givenName,
    lastName: contact.surname,
    email: contact.emailAddresses[0]?.address ?? null,
    phone: contact.businessPhones[0] ?? null,
    mobile: contact.mobilePhone,
    otherPhones: [...contact.businessPhones.slice(1), ...contact.homePhones],
  };
}

/** The fields of a CRM contact person the check needs (a `ContactPerson` fits). */
export interface ExistingPerson {
  id: string;
  businessPartnerId: string;
  firstName: Text;
  lastName: Text;
  email: Text;
  phone: Text;
  mobile: Text;
}

export interface DuplicateOptions {
  /** ISO 3166 alpha-2 region for numbers without a country code, e.g. "DE". */
  defaultRegion: string;
  /** The business partner assigned to the candidate, if any. */
  businessPartnerId?: string;
}

/** Stable reason codes, strongest first. */
export const duplicateReasons = [
  "email",
  "lastName+mobile",
  "firstName+lastName",
  "lastName+phone",
  "lastName+businessPartner",
] as const;
export type DuplicateReason = (typeof duplicateReasons)[number];

export type DuplicateStatus = "certain" | "possible" | "none";

export interface DuplicateMatch {
  id: string;
  reason: DuplicateReason;
}

export interface DuplicateResult {
  status: DuplicateStatus;
  matches: DuplicateMatch[];
  /**
   * The CRM person an earlier, interrupted import of this very contact created (found by the
   * contact's idempotency key): not a duplicate, the import links the contact to it.
   */
  resumeId?: string;
}

const CERTAIN: ReadonlySet<DuplicateReason> = new Set<DuplicateReason>(["email", "lastName+mobile"]);
const rank = (reason: DuplicateReason): number => duplicateReasons.indexOf(reason);

/** The status a reason leads to. */
export function statusOfReason(reason: DuplicateReason): Exclude<DuplicateStatus, "none"> {
  return CERTAIN.has(reason) ? "certain" : "possible";
}

interface Keys {
  email: string | undefined;
  firstName: string | undefined;
  lastName: string | undefined;
  mobile: string | undefined;
  phones: string[];
}

function definedUnique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

function candidateKeys(c: DuplicateCandidate, region: string): Keys {
  const mobile = normalizePhone(c.mobile, region);
  const others = (c.otherPhones ?? []).map((p) => normalizePhone(p, region));
  return {
    email: normalizeEmail(c.email),
    firstName: normalizeName(c.firstName),
    lastName: normalizeName(c.lastName),
    mobile,
    phones: definedUnique([normalizePhone(c.phone, region), mobile, ...others]),
  };
}

function personKeys(p: ExistingPerson, region: string): Keys {
  const mobile = normalizePhone(p.mobile, region);
  return {
    email: normalizeEmail(p.email),
    firstName: normalizeName(p.firstName),
    lastName: normalizeName(p.lastName),
    mobile,
    phones: definedUnique([normalizePhone(p.phone, region), mobile]),
  };
}

/** The strongest reason why `person` duplicates the candidate, or null. */
function strongestReason(
  c: Keys,
  p: Keys,
  personPartner: string,
  options: DuplicateOptions,
): DuplicateReason | null {
  if (sameKey(c.email, p.email)) return "email";
  if (!sameKey(c.lastName, p.lastName)) return null; // every other rule needs the last name
  if (sameKey(c.mobile, p.mobile)) return "lastName+mobile";
  if (sameKey(c.firstName, p.firstName)) return "firstName+lastName";
  if (c.phones.some((phone) => p.phones.includes(phone))) return "lastName+phone";
  if (options.businessPartnerId && personPartner === options.businessPartnerId)
    return "lastName+businessPartner";
  return null;
}

/**
 * Classifies a candidate against existing CRM contact persons (see the file header for the rules).
 *
 * @example
 *   classifyDuplicate({ email: " ANNA.SCHMIDT@mueller-bau.de" }, [anna], { defaultRegion: "DE" })
 *   // { status: "certain", matches: [{ id: anna.id, reason: "email" }] }
 */
export function classifyDuplicate(
  candidate: DuplicateCandidate,
  existing: readonly ExistingPerson[],
  options: DuplicateOptions,
): DuplicateResult {
  const c = candidateKeys(candidate, options.defaultRegion);
  const found: DuplicateMatch[] = [];
  const seen = new Set<string>();
  for (const person of existing) {
    if (seen.has(person.id)) continue;
    const reason = strongestReason(
      c,
      personKeys(person, options.defaultRegion),
      person.businessPartnerId,
      options,
    );
    if (reason === null) continue;
    seen.add(person.id);
    found.push({ id: person.id, reason });
  }
  if (found.length === 0) return { status: "none", matches: [] };
  const status: DuplicateStatus = found.some((m) => CERTAIN.has(m.reason)) ? "certain" : "possible";
  const matches = found
    .filter((m) => statusOfReason(m.reason) === status)
    .map((m, index) => ({ m, index }))
    .sort((a, b) => rank(a.m.reason) - rank(b.m.reason) || a.index - b.index)
    .map(({ m }) => m);
  return { status, matches };
}

/**
 * The keys of ONE bulk `lookup` call that finds every person any rule could match for all the
 * candidates: e-mails (normalised, lower-case), phones (E.164: phone, mobile and other phones)
 * and last names (trimmed as typed; one per normalised form, the first spelling wins; the CRM
 * compares them case- and accent-insensitively). Each list is deduplicated, in first-seen order.
 *
 * @example
 *   lookupKeysFor([{ lastName: "Müller", mobile: "0171 2345678" }, { lastName: "MÜLLER" }], "DE")
 *   // { emails: [], phones: ["+491712345678"], lastNames: ["Müller"] }
 */
export function lookupKeysFor(candidates: readonly DuplicateCandidate[], defaultRegion: string): LookupKeys {
  const emails = new Set<string>();
  const phones = new Set<string>();
  const lastNames = new Map<string, string>();
  for (const c of candidates) {
    const email = normalizeEmail(c.email);
    if (email) emails.add(email);
    for (const raw of [c.phone, c.mobile, ...(c.otherPhones ?? [])]) {
      const phone = normalizePhone(raw, defaultRegion);
      if (phone) phones.add(phone);
    }
    const key = normalizeName(c.lastName);
    if (key && !lastNames.has(key)) lastNames.set(key, (c.lastName ?? "").trim().replace(/\s+/g, " "));
  }
  return { emails: [...emails], phones: [...phones], lastNames: [...lastNames.values()] };
}

/**
 * Splits lookup keys into several calls of at most `max` keys per list (the CRM accepts at most
 * 1000 per list). Every key is in exactly one chunk; no chunk is empty. Empty keys -> [].
 *
 * @example chunkLookupKeys({ emails: ["a@x.de", "b@x.de", "c@x.de"], phones: [], lastNames: [] }, 2).length // 2
 */
export function chunkLookupKeys(keys: LookupKeys, max: number): LookupKeys[] {
  const size = Math.max(1, Math.floor(max));
  const count = Math.ceil(Math.max(keys.emails.length, keys.phones.length, keys.lastNames.length) / size);
  const chunks: LookupKeys[] = [];
  for (let i = 0; i < count; i++) {
    const slice = (list: string[]) => list.slice(i * size, (i + 1) * size);
    chunks.push({ emails: slice(keys.emails), phones: slice(keys.phones), lastNames: slice(keys.lastNames) });
  }
  return chunks;
}
