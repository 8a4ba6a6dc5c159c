/**
 * The import workflow's application services (Outlook -> CRM, DESIGN.md §2 item 3), over the ports:
 * - `loadImportCandidates`: unlinked Outlook contacts of the default folder and every other folder
 *   (their duplicate status: src/app/duplicate-index.ts);
 * - `preassignPartners`: business partners pre-assigned from a bounded number of partner searches;
 * - `runImport`: applies an import plan (create with idempotency key, photo, write the link back).
 *
 * @example
 *   const candidates = await loadImportCandidates(contacts);
 *   const partners = await preassignPartners(cache, candidates);
 *   const summary = await runImport(planImport({ ... }), { crm, contacts }, { signal, onProgress });
 */
import { emailDomainOf, freeMailDomains, preassignBusinessPartner } from "../core/business-partner";
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
  OutlookContact,
  OutlookContactFields,
  OutlookContactWrite,
  Photo,
} from "../core/model";
import type { ImportPlan, ImportStep } from "../core/plans/import-plan";
import type { CallOptions, ContactStore, CrmClient } from "../core/ports";
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
  /** Contacts whose import an earlier, interrupted run had created in the CRM: now linked (finished). */
  resumed: number;
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

/** A resumed link finishes an import: its failure is a write-back failure (the person exists). */
const stageOf = (step: ActionStep): ImportFailure["stage"] =>
  step.kind === "import" || step.resumed ? "write-back" : "link";

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
    resumed: 0,
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
        if (write) writes.push({ step, ...write, stage: stageOf(step) });
      } catch (error) {
        const appError = AppError.from(error);
        if (appError.code === "cancelled") summary.cancelled = true;
        else
          summary.failed.push({
            outlookId: step.outlookId,
            name: nameOf(step.contact),
            stage: step.kind === "import" ? "create" : stageOf(step),
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
          else if (write.step.resumed) summary.resumed += 1;
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
    const uploaded = await uploadPhoto(step, created.id);
    const version = uploaded?.version ?? created.version;
    const photoHash = uploaded?.hash ?? null;
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

  /** Uploads the Outlook photo to the CRM person: its new version and hash, or null (none/skipped). */
  async function uploadPhoto(
    step: ActionStep,
    crmId: string,
  ): Promise<{ version: string; hash: string } | null> {
    const photo = await readPhoto(step);
    if (!photo) return null;
    try {
      const version = await deps.crm.putPhoto(crmId, photo);
      summary.photosUploaded += 1;
      return { version, hash: hashBytes(photo.data) };
    } catch (error) {
      const appError = AppError.from(error, "photo-invalid");
      summary.photosSkipped.push({ outlookId: step.outlookId, name: nameOf(step.contact), error: appError });
      return null;
    }
  }

  async function readPhoto(step: ActionStep): Promise<Photo | null> {
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
    const read = await deps.crm.getContactPerson(step.crmId, { signal: options.signal });
    const partner = await partnerOf(read.businessPartnerId);
    // Finishing an interrupted import: the photo upload may not have happened yet.
    const uploaded = step.resumed && !read.hasPhoto ? await uploadPhoto(step, read.id) : null;
    const person = uploaded ? { ...read, version: uploaded.version, hasPhoto: true } : read;
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
          photoHash: uploaded?.hash ?? null,
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
