/**
 * The duplicate status of import candidates (DESIGN.md §2 item 3), over the CRM port: a few bulk
 * `lookup` calls (keys chunked), classified locally with core's `classifyDuplicate`. It also
 * recognises contacts whose CRM person an earlier, interrupted import already created (the
 * contract's lookup by `Idempotency-Key`): such a person is this contact's own, not a duplicate
 * of it, and the row is linked to it (`resumeId`) instead of being blocked as a certain duplicate.
 *
 * @example
 *   const { index, results } = await computeDuplicates(crm, candidates, {}, "DE");
 *   results[contact.id]; // { status: "none", matches: [], resumeId: "cp-00042" } after an interrupted run
 */
import { candidateFromOutlook, chunkLookupKeys, classifyDuplicate, lookupKeysFor } from "../core/duplicates";
import type { DuplicateResult } from "../core/duplicates";
import { AppError } from "../core/errors";
import type { ContactPerson, OutlookContact, OutlookContactFields } from "../core/model";
import { normalizeEmail, normalizeName, normalizePhone } from "../core/normalize";
import { importIdempotencyKey } from "../core/plans/import-plan";
import type { CallOptions, CrmClient, LookupKeys } from "../core/ports";

/** A contact to classify; with its Outlook id, an earlier import of it is recognised. */
export type IndexedContact = OutlookContactFields & { id?: string };

/** Max keys per list in one lookup call (the contract allows 1,000; stay well below). */
export const LOOKUP_CHUNK = 400;

/** Longest key per list the lookup contract accepts (e-mail 254, phone 50, last name 100). */
export const LOOKUP_KEY_MAX: Readonly<Record<keyof LookupKeys, number>> = {
  emails: 254,
  phones: 50,
  lastNames: 100,
};

/** What the duplicate check compares of an Outlook contact (core's candidate of a contact). */
export const duplicateCandidateOf = candidateFromOutlook;

/**
 * The CRM contact persons that may matter for the duplicate status of a set of Outlook contacts,
 * loaded with chunked bulk `lookup` calls (each e-mail, phone and last name asked only once) and
 * indexed locally, so that classification (and re-classification after a partner change or an
 * edit in the row) needs no further request. `ensurePartner` adds a partner's persons with one
 * search per partner (cached) for the "last name within the assigned partner" rule.
 */
export class DuplicateIndex {
  private readonly persons = new Map<string, ContactPerson>();
  private readonly byEmail = new Map<string, Set<string>>();
  private readonly byPhone = new Map<string, Set<string>>();
  private readonly byLastName = new Map<string, Set<string>>();
  private readonly asked = {
    emails: new Set<string>(),
    phones: new Set<string>(),
    lastNames: new Set<string>(),
  };
  private readonly partnersLoaded = new Map<string, Promise<void>>();
  /** Outlook id -> CRM id of the person an earlier import of that contact created. */
  private readonly created = new Map<string, string>();
  private readonly askedCreated = new Set<string>();
  /** CRM requests made by this index (for tests and the request budget). */
  requests = 0;

  constructor(
    private readonly crm: CrmClient,
    readonly defaultRegion: string,
  ) {}

  /**
   * Looks up every not yet asked key of these contacts, in chunks of at most `LOOKUP_CHUNK` per
   * list, and which of them (by id) an earlier, interrupted import already created in the CRM.
   */
  async ensure(contacts: readonly IndexedContact[], options?: CallOptions): Promise<void> {
    await this.ensureCreated(contacts, options);
    const keys = lookupKeysFor(contacts.map(duplicateCandidateOf), this.defaultRegion);
    // Keys longer than the contract allows cannot match a stored person (the CRM caps those fields
    // at the same lengths) and would make the whole call fail with 400: leave them out.
    const all: LookupKeys = {
      emails: keys.emails.filter((k) => k.length <= LOOKUP_KEY_MAX.emails),
      phones: keys.phones.filter((k) => k.length <= LOOKUP_KEY_MAX.phones),
      lastNames: keys.lastNames.filter((k) => k.length <= LOOKUP_KEY_MAX.lastNames),
    };
    const fresh = (list: string[], asked: Set<string>, keyOf: (value: string) => string | undefined) =>
      list.filter((value) => {
        const key = keyOf(value);
        if (key === undefined || asked.has(key)) return false;
        asked.add(key);
        return true;
      });
    const pending: LookupKeys = {
      emails: fresh(all.emails, this.asked.emails, (v) => v),
      phones: fresh(all.phones, this.asked.phones, (v) => v),
      lastNames: fresh(all.lastNames, this.asked.lastNames, normalizeName),
    };
    try {
      for (const chunk of chunkLookupKeys(pending, LOOKUP_CHUNK)) {
        this.requests += 1;
        const found = await this.crm.lookup(chunk, options);
        found.forEach((person) => this.add(person));
      }
    } catch (error) {
      // Not asked after all: a later call must ask again.
      pending.emails.forEach((k) => this.asked.emails.delete(k));
      pending.phones.forEach((k) => this.asked.phones.delete(k));
      pending.lastNames.forEach((k) => this.asked.lastNames.delete(normalizeName(k) ?? k));
      throw AppError.from(error);
    }
  }

  /** Adds the active persons of one business partner (one search of up to 500, cached per partner). */
  ensurePartner(businessPartnerId: string, options?: CallOptions): Promise<void> {
    const known = this.partnersLoaded.get(businessPartnerId);
    if (known) return known;
    // One search (the contract's largest page): the last-name lookup already covers the rule; this
    // only guards against the CRM normalising names differently from the add-in.
    this.requests += 1;
    const load = this.crm
      .searchContactPersons({ businessPartnerId, limit: 500 }, options)
      .then((page) => page.items.forEach((person) => this.add(person)));
    this.partnersLoaded.set(businessPartnerId, load);
    load.catch(() => this.partnersLoaded.delete(businessPartnerId)); // retried on the next call
    return load;
  }

  /** Asks once per Outlook id whether the CRM holds a person created with its import key. */
  private async ensureCreated(contacts: readonly IndexedContact[], options?: CallOptions): Promise<void> {
    const keys = new Map<string, string>();
    for (const { id } of contacts)
      if (id !== undefined && !this.askedCreated.has(id)) keys.set(importIdempotencyKey(id), id);
    if (keys.size === 0) return;
    this.requests += Math.ceil(keys.size / 1000);
    const found = await this.crm.findCreated([...keys.keys()], options);
    for (const id of keys.values()) this.askedCreated.add(id);
    for (const { idempotencyKey, person } of found) {
      const outlookId = keys.get(idempotencyKey);
      if (outlookId === undefined) continue;
      this.created.set(outlookId, person.id);
      this.add(person);
    }
  }

  person(id: string): ContactPerson | undefined {
    return this.persons.get(id);
  }

  /**
   * Local classification of one contact against the indexed persons that share a key with it.
   * The person an earlier import of this very contact created is no duplicate of it: it is left
   * out of the matches and named as `resumeId` (the import links the contact to it).
   */
  classify(contact: IndexedContact, businessPartnerId?: string | null): DuplicateResult {
    const resumeId = contact.id === undefined ? undefined : this.created.get(contact.id);
    const candidate = duplicateCandidateOf(contact);
    const keys = lookupKeysFor([candidate], this.defaultRegion);
    const ids = new Set<string>();
    const collect = (map: Map<string, Set<string>>, key: string | undefined) => {
      if (key !== undefined) map.get(key)?.forEach((id) => ids.add(id));
    };
    keys.emails.forEach((e) => collect(this.byEmail, e));
    keys.phones.forEach((p) => collect(this.byPhone, p));
    collect(this.byLastName, normalizeName(candidate.lastName));
    const existing = [...ids]
      .filter((id) => id !== resumeId)
      .map((id) => this.persons.get(id))
      .filter((p): p is ContactPerson => p !== undefined);
    const result = classifyDuplicate(candidate, existing, {
      defaultRegion: this.defaultRegion,
      ...(businessPartnerId ? { businessPartnerId } : {}),
    });
    return resumeId === undefined ? result : { ...result, resumeId };
  }

  private add(person: ContactPerson): void {
    if (person.status !== "active") return;
    this.persons.set(person.id, person);
    const index = (map: Map<string, Set<string>>, key: string | undefined) => {
      if (key === undefined) return;
      const set = map.get(key) ?? new Set<string>();
      set.add(person.id);
      map.set(key, set);
    };
    index(this.byEmail, normalizeEmail(person.email));
    for (const phone of [person.phone, person.mobile, person.fax])
      index(this.byPhone, normalizePhone(phone, this.defaultRegion));
    index(this.byLastName, normalizeName(person.lastName));
  }
}

/**
 * Duplicate status of every candidate: bulk lookups (a handful of requests for hundreds of rows),
 * then local classification with each row's assigned partner. Keep `index` to re-classify locally.
 */
export async function computeDuplicates(
  crm: CrmClient,
  candidates: readonly OutlookContact[],
  assignments: Readonly<Record<string, string | null | undefined>>,
  defaultRegion: string,
  options?: CallOptions & { index?: DuplicateIndex },
): Promise<{ index: DuplicateIndex; results: Record<string, DuplicateResult> }> {
  const index = options?.index ?? new DuplicateIndex(crm, defaultRegion);
  await index.ensure(candidates, options);
  const results: Record<string, DuplicateResult> = {};
  for (const contact of candidates) results[contact.id] = index.classify(contact, assignments[contact.id]);
  return { index, results };
}
