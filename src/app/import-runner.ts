/**
 * The import workflow's application services (Outlook -> CRM, DESIGN.md §2 item 3), over the ports:
 * - `loadImportCandidates`: unlinked Outlook contacts of the default folder and every other folder;
 * - `DuplicateIndex` / `computeDuplicates`: the duplicate status of all rows from a few bulk
 *   `lookup` calls (keys chunked), classified locally with core's `classifyDuplicate`;
 * - `preassignPartners`: business partners pre-assigned from a bounded number of partner searches;
 * - `runImport`: applies an import plan (create with idempotency key, photo, write the link back).
 *
 * @example
 *   const candidates = await loadImportCandidates(contacts);
 *   const { index, results } = await computeDuplicates(crm, candidates, {}, "DE");
 *   const partners = await preassignPartners(crm, candidates.filter((c) => results[c.id]?.status !== "certain"));
 *   const summary = await runImport(planImport({ ... }), { crm, contacts }, { signal, onProgress });
 */
import { emailDomainOf, freeMailDomains, preassignBusinessPartner } from "../core/business-partner";
import {
  chunkLookupKeys,
  candidateFromOutlook,
  classifyDuplicate,
  lookupKeysFor,
  type DuplicateResult,
} from "../core/duplicates";
import { AppError, type Result } from "../core/errors";
import { hashBytes } from "../core/hash";
import {
  activeFields,
  clean,
  defaultFieldDirections,
  diffRecords,
  outlookWriteFromRecord,
  pickFields,
  recordFromCrm,
  recordFromOutlook,
  type MappedField,
} from "../core/mapping";
import type {
  BusinessPartner,
  ContactPerson,
  OutlookContact,
  OutlookContactFields,
  OutlookContactWrite,
  Photo,
} from "../core/model";
import { normalizeEmail, normalizeName } from "../core/normalize";
import { normalizePhone } from "../core/normalize-phone";
import type { ImportPlan, ImportStep } from "../core/plans/import-plan";
import type { CallOptions, ContactStore, CrmClient, LookupKeys } from "../core/ports";
import { encodeSyncState } from "../core/sync-state";

// ---------------------------------------------------------------------------------------------
// (a) candidates

/**
 * Every Outlook contact without a CRM link, from the default Contacts folder and every other
 * contact folder (deduplicated by id; default folder first, then folders in listing order).
 */
export async function loadImportCandidates(
  store: ContactStore,
  options?: CallOptions,
): Promise<OutlookContact[]> {
  const [defaults, folders] = await Promise.all([
    store.listContacts(null, options),
    store.listFolders(options),
  ]);
  const seen = new Set<string>();
  const out: OutlookContact[] = [];
  const add = (contacts: OutlookContact[]) => {
    for (const contact of contacts) {
      if (seen.has(contact.id)) continue;
      seen.add(contact.id);
      if (!contact.link?.crmId) out.push(contact);
    }
  };
  add(defaults);
  const defaultFolderIds = new Set(defaults.map((c) => c.parentFolderId));
  for (const folder of folders) {
    if (defaultFolderIds.has(folder.id)) continue; // already listed as the default folder
    add(await store.listContacts(folder.id, options));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// (b) duplicates

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
  /** CRM requests made by this index (for tests and the request budget). */
  requests = 0;

  constructor(
    private readonly crm: CrmClient,
    readonly defaultRegion: string,
  ) {}

  /** Looks up every not yet asked key of these contacts, in chunks of at most `LOOKUP_CHUNK` per list. */
  async ensure(contacts: readonly OutlookContactFields[], options?: CallOptions): Promise<void> {
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

  person(id: string): ContactPerson | undefined {
    return this.persons.get(id);
  }

  /** Local classification of one contact against the indexed persons that share a key with it. */
  classify(contact: OutlookContactFields, businessPartnerId?: string | null): DuplicateResult {
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
      .map((id) => this.persons.get(id))
      .filter((p): p is ContactPerson => p !== undefined);
    return classifyDuplicate(candidate, existing, {
      defaultRegion: this.defaultRegion,
      ...(businessPartnerId ? { businessPartnerId } : {}),
    });
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

// ---------------------------------------------------------------------------------------------
// (c) business partner pre-assignment

/** At most this many partner searches for one pre-assignment round (most shared terms first). */
export const MAX_PARTNER_SEARCHES = 60;

/** Partner search results per term, shared between rounds (the view keeps one per session). */
export class PartnerSearchCache {
  private readonly results = new Map<string, Promise<BusinessPartner[]>>();
  requests = 0;

  constructor(private readonly crm: CrmClient) {}

  has(term: string): boolean {
    return this.results.has(term.toLowerCase());
  }

  /** Partners whose name, city or e-mail domains match the term (first page of 20), cached. */
  search(term: string, options?: CallOptions): Promise<BusinessPartner[]> {
    const key = term.toLowerCase();
    const known = this.results.get(key);
    if (known) return known;
    this.requests += 1;
    const pending = this.crm
      .searchBusinessPartners({ search: term, limit: 20 }, options)
      .then((page) => page.items);
    this.results.set(key, pending);
    pending.catch(() => this.results.delete(key));
    return pending;
  }
}

/** The search terms of a contact: its company name and its e-mail domain. */
function partnerTerms(contact: OutlookContactFields): string[] {
  const domain = emailDomainOf(contact.emailAddresses[0]?.address);
  const terms = [clean(contact.companyName), domain && !freeMailDomains.has(domain) ? domain : null];
  return terms.filter((t): t is string => !!t && t.length <= 200);
}

/**
 * Pre-assigns a business partner where exactly one fits (core `preassignBusinessPartner`), from at
 * most `maxSearches` partner searches by distinct company names and e-mail domains (terms shared
 * by most contacts first, four in flight). Contacts whose terms were not searched get null.
 */
export async function preassignPartners(
  cache: PartnerSearchCache,
  candidates: readonly OutlookContact[],
  options?: CallOptions & { maxSearches?: number },
): Promise<Record<string, BusinessPartner | null>> {
  const frequency = new Map<string, { term: string; count: number }>();
  for (const contact of candidates) {
    for (const term of partnerTerms(contact)) {
      const entry = frequency.get(term.toLowerCase()) ?? { term, count: 0 };
      entry.count += 1;
      frequency.set(term.toLowerCase(), entry);
    }
  }
  const terms = [...frequency.values()].sort((a, b) => b.count - a.count).map((e) => e.term);
  const budget = options?.maxSearches ?? MAX_PARTNER_SEARCHES;
  const wanted = terms
    .filter((t) => cache.has(t))
    .concat(terms.filter((t) => !cache.has(t)).slice(0, budget));
  // A failed search only means no pre-assignment from that term; the user can still search.
  await pool(wanted, 4, (term) => cache.search(term, options).catch(() => []), options?.signal);
  const out: Record<string, BusinessPartner | null> = {};
  for (const contact of candidates) {
    const found = new Map<string, BusinessPartner>();
    for (const term of partnerTerms(contact)) {
      if (!cache.has(term)) continue;
      for (const partner of await cache.search(term, options).catch(() => [])) found.set(partner.id, partner);
    }
    const result = preassignBusinessPartner(
      { companyName: contact.companyName, email: contact.emailAddresses[0]?.address },
      [...found.values()],
    );
    out[contact.id] = result.businessPartnerId ? (found.get(result.businessPartnerId) ?? null) : null;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// (d) running the plan

/** Graph's and the add-in's photo limit. */
export const MAX_IMPORT_PHOTO_BYTES = 4 * 1024 * 1024;

export interface ImportProgress {
  done: number;
  total: number;
}

export interface ImportFailure {
  outlookId: string;
  name: string;
  /** `create`: the CRM refused; `write-back`: created in the CRM but the link could not be written
   * (a re-run replays the same person); `link`: linking to an existing person failed. */
  stage: "create" | "write-back" | "link";
  error: AppError;
}

export interface ImportSummary {
  /** Contacts planned for import (M of "N of M imported"). */
  planned: number;
  imported: number;
  linked: number;
  failed: ImportFailure[];
  /** Imported persons whose photo was skipped (too large or unreadable); the person is fine. */
  photosSkipped: { outlookId: string; name: string; error: AppError }[];
  photosUploaded: number;
  /** Outlook id -> new or linked CRM id. */
  crmIds: Record<string, string>;
  cancelled: boolean;
}

export interface RunImportDeps {
  crm: CrmClient;
  contacts: ContactStore;
  /** Synchronised fields for the sync state (default: every field of the default directions). */
  fields?: readonly MappedField[];
  /** Partners already known to the caller (others are fetched once each). */
  partners?: ReadonlyMap<string, BusinessPartner>;
  now?: () => Date;
}

export interface RunImportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Steps per round: created persons are linked back after each round. Default 10. */
  chunkSize?: number;
}

type ActionStep = Exclude<ImportStep, { kind: "skip" }>;

/** "First Last" (after the row's edits), else Outlook's display name, e-mail or id. */
const nameOf = (contact: OutlookContact): string =>
  clean([contact.givenName, contact.surname].filter(Boolean).join(" ")) ??
  clean(contact.displayName) ??
  clean(contact.emailAddresses[0]?.address) ??
  contact.id;

/**
 * Applies the plan's import and link steps. Per import step: create the person with the step's
 * idempotency key (a re-run replays the same person), upload the Outlook photo (over 4 MB or
 * unreadable: skipped with a message), then write CRM id + sync state back onto the Outlook
 * contact (bulk, per round). Link steps write the chosen CRM id + state and align the Outlook
 * contact with the CRM person's values. Cancel (AbortSignal) stops before the next step; persons
 * created in the current round are still linked back. Never rejects for a single contact.
 */
export async function runImport(
  plan: ImportPlan,
  deps: RunImportDeps,
  options: RunImportOptions = {},
): Promise<ImportSummary> {
  const steps = plan.steps.filter((s): s is ActionStep => s.kind !== "skip");
  const summary: ImportSummary = {
    planned: plan.counts.import,
    imported: 0,
    linked: 0,
    failed: [],
    photosSkipped: [],
    photosUploaded: 0,
    crmIds: {},
    cancelled: false,
  };
  const fields = [...(deps.fields ?? activeFields(defaultFieldDirections))];
  const partners = new Map<string, Promise<BusinessPartner | null>>();
  for (const [id, partner] of deps.partners ?? []) partners.set(id, Promise.resolve(partner));
  const partnerOf = (id: string): Promise<BusinessPartner | null> => {
    const known = partners.get(id);
    if (known) return known;
    const pending = deps.crm.getBusinessPartner(id).catch((error: unknown) => {
      partners.delete(id);
      throw AppError.from(error);
    });
    partners.set(id, pending);
    return pending;
  };
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  const chunkSize = Math.max(1, options.chunkSize ?? 10);
  let done = 0;
  options.onProgress?.({ done, total: steps.length });

  for (let start = 0; start < steps.length; start += chunkSize) {
    if (options.signal?.aborted) {
      summary.cancelled = true;
      break;
    }
    const round = steps.slice(start, start + chunkSize);
    const writes: {
      step: ActionStep;
      crmId: string;
      patch: OutlookContactWrite;
      stage: ImportFailure["stage"];
    }[] = [];
    await pool(round, 4, async (step) => {
      try {
        const write = step.kind === "import" ? await importOne(step) : await linkOne(step);
        if (write) writes.push({ step, ...write, stage: step.kind === "import" ? "write-back" : "link" });
      } catch (error) {
        const appError = AppError.from(error);
        if (appError.code === "cancelled") summary.cancelled = true;
        else
          summary.failed.push({
            outlookId: step.outlookId,
            name: nameOf(step.contact),
            stage: step.kind === "import" ? "create" : "link",
            error: appError,
          });
      }
    });
    if (writes.length > 0) {
      // Written even when cancelled meanwhile: the persons exist in the CRM, so link them now.
      const results = await deps.contacts
        .updateContacts(
          writes.map((w) => ({ id: w.step.outlookId, patch: w.patch, current: w.step.contact })),
        )
        .catch((error: unknown): Result<OutlookContact>[] => {
          const failure = { ok: false as const, error: AppError.from(error) }; // the whole call failed
          return writes.map(() => failure);
        });
      results.forEach((result, i) => {
        const write = writes[i];
        if (!write) return;
        if (result.ok) {
          summary.crmIds[write.step.outlookId] = write.crmId;
          if (write.step.kind === "import") summary.imported += 1;
          else summary.linked += 1;
        } else {
          summary.failed.push({
            outlookId: write.step.outlookId,
            name: nameOf(write.step.contact),
            stage: write.stage,
            error: result.error,
          });
        }
      });
    }
    done += round.length;
    options.onProgress?.({ done, total: steps.length });
  }
  if (options.signal?.aborted) summary.cancelled = true;
  return summary;

  async function importOne(step: Extract<ImportStep, { kind: "import" }>) {
    const signal = options.signal;
    if (signal?.aborted) throw new AppError("cancelled", "Import cancelled");
    // No signal on the create: once sent, the CRM may create the person although the pane stops
    // listening, which would leave it unlinked. Cancel lets it finish, and the round links it back.
    const [partner, created] = await Promise.all([
      partnerOf(step.businessPartnerId),
      deps.crm.createContactPerson(step.input, step.idempotencyKey),
    ]);
    let version = created.version;
    let photoHash: string | null = null;
    const photo = await readPhoto(step);
    if (photo) {
      try {
        version = await deps.crm.putPhoto(created.id, photo);
        photoHash = hashBytes(photo.data);
        summary.photosUploaded += 1;
      } catch (error) {
        summary.photosSkipped.push({
          outlookId: step.outlookId,
          name: nameOf(step.contact),
          error: AppError.from(error, "photo-invalid"),
        });
      }
    }
    const record = pickFields(recordFromCrm(created, partner), fields);
    const align = outlookWriteFromRecord(
      record,
      diffRecords(record, pickFields(recordFromOutlook(step.contact), fields), fields),
      step.contact,
    );
    const patch: OutlookContactWrite = {
      ...step.outlookPatch,
      ...align,
      link: {
        crmId: created.id,
        syncState: encodeSyncState({ v: 1, crmVersion: version, syncedAt: now(), record, fields, photoHash }),
      },
    };
    return { crmId: created.id, patch };
  }

  async function readPhoto(step: Extract<ImportStep, { kind: "import" }>): Promise<Photo | null> {
    let photo: Photo | null;
    try {
      // No signal: the person exists in the CRM by now, so this step is finished, not cancelled.
      photo = await deps.contacts.getPhoto(step.outlookId);
    } catch (error) {
      const appError = AppError.from(error, "photo-invalid");
      if (appError.code !== "not-found")
        summary.photosSkipped.push({
          outlookId: step.outlookId,
          name: nameOf(step.contact),
          error: appError,
        });
      return null;
    }
    if (photo && photo.data.byteLength > MAX_IMPORT_PHOTO_BYTES) {
      summary.photosSkipped.push({
        outlookId: step.outlookId,
        name: nameOf(step.contact),
        error: new AppError("photo-too-large", "The Outlook photo exceeds 4 MB", {
          details: { bytes: photo.data.byteLength },
        }),
      });
      return null;
    }
    return photo;
  }

  async function linkOne(step: Extract<ImportStep, { kind: "link" }>) {
    if (options.signal?.aborted) throw new AppError("cancelled", "Import cancelled");
    // A person exported earlier already has its Outlook contact: a second linked contact would
    // later be withdrawn as a duplicate link (possibly the user's own one). Refuse, say why.
    const linked = await deps.contacts.findByCrmId(step.crmId, { signal: options.signal });
    if (linked.some((contact) => contact.id !== step.outlookId)) {
      throw new AppError("already-linked", "The contact person already has a linked Outlook contact", {
        details: { crmId: step.crmId },
      });
    }
    const person = await deps.crm.getContactPerson(step.crmId, { signal: options.signal });
    const partner = await partnerOf(person.businessPartnerId);
    const record = pickFields(recordFromCrm(person, partner), fields);
    const align = outlookWriteFromRecord(
      record,
      diffRecords(record, pickFields(recordFromOutlook(step.contact), fields), fields),
      step.contact,
    );
    const patch: OutlookContactWrite = {
      ...align,
      link: {
        crmId: person.id,
        syncState: encodeSyncState({
          v: 1,
          crmVersion: person.version,
          syncedAt: now(),
          record,
          fields,
          photoHash: null,
        }),
      },
    };
    return { crmId: person.id, patch };
  }
}

/** Runs `task` for every item with at most `limit` in flight; stops starting new ones once aborted. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<unknown>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
