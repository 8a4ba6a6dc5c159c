/**
 * Runs one sync of the linked contacts (DESIGN 2.5-2.8): reads what changed, plans with
 * `planSync` (src/core/plans/sync-plan.ts) and applies the plan through the ports.
 *
 * Reading, cheaply:
 * - Outlook: Graph delta per contact folder; the delta links and a cache of the linked contacts
 *   live in the device-local store (`localStore`). The first run on a device (no cache) does a
 *   full delta round per folder, which returns every contact once (so no separate full listing);
 *   an expired delta link ("resync-required") restarts that folder with a full round.
 * - CRM: the current versions of every linked person with `batchGet`, one call per 500 ids.
 *   Business partners (company name, address) come from a local cache refreshed once a day.
 * - Photos are read only when a side may have changed them (CRM: new version of a person with a
 *   photo; Outlook: the contact changed since we last reconciled it) and compared by content hash.
 *
 * Applying: CRM patches with If-Match (on 412 the person is re-read and re-planned once), photos,
 * then ONE batched `updateContacts` (fields + new sync state: one Graph write per changed contact,
 * none for unchanged ones), then `deleteContacts` (to Deleted Items). Nothing is ever deleted from
 * or created in the CRM. A plan over the mass-delete guard is returned unapplied until the caller
 * re-runs with `confirmDeletes`. Every run appends an entry to the sync log (last 50 runs).
 *
 * @example
 *   const outcome = await runSync(services, { force: true, signal, onProgress });
 *   if (outcome.status === "needs-confirmation") show(outcome.deletes); // then runSync(..., { confirmDeletes: true })
 */
import type { AppConfig } from "../core/config";
import { AppError, type AppErrorCode } from "../core/errors";
import { hashBytes } from "../core/hash";
import {
  crmPatchFromRecord,
  outlookWriteFromRecord,
  recordFromCrm,
  recordFromOutlook,
  diffRecords,
  type MappedField,
  type MappedRecord,
} from "../core/mapping";
import type { BusinessPartner, ContactPerson, OutlookContact, Photo } from "../core/model";
import { PHOTO_PENDING_PREFIX } from "../core/plans/export-plan";
import {
  planSync,
  type OverwrittenEdit,
  type SyncConflict,
  type SyncDeleteStep,
  type SyncPair,
  type SyncPlan,
  type SyncUpdateStep,
} from "../core/plans/sync-plan";
import type { ContactStore, CrmClient, SettingsStore } from "../core/ports";
import { decodeSyncState, encodeSyncState, type SyncState } from "../core/sync-state";
import type { UserSettings } from "../core/user-settings";
import { loadUserSettings } from "./user-settings-service";
import {
  appendSyncLog,
  emptyCounts,
  type SyncLogConflict,
  type SyncLogEntry,
  type SyncLogFailure,
  type SyncTrigger,
} from "./sync-log";
import { readSyncCache, writeSyncCache, type CachedContact, type SyncCache } from "./sync-cache";

/** Ids per `batchGet` call. */
export const BATCH_GET_SIZE = 500;
/** "Sync on open" runs at most once per this many milliseconds. */
export const SYNC_ON_OPEN_INTERVAL_MS = 5 * 60 * 1000;
/** Business partners are re-read from the CRM after this long. */
export const PARTNER_TTL_MS = 24 * 60 * 60 * 1000;
/** Without a cache, an Outlook contact modified this long after its last sync may have a new photo. */
const PHOTO_GRACE_MS = 5 * 60 * 1000;
const MAX_PHOTO_BYTES = 4 * 1024 * 1024;
const PARALLEL = 4;
/** A reconciled change key that matches none: the Outlook photo is read again next run. */
const PHOTO_UNREAD = "photo-unread";

export const LAST_RUN_KEY = "sync.lastRunAt";

export interface SyncDeps {
  config: AppConfig;
  crm: CrmClient;
  contacts: ContactStore;
  /** Roaming user settings (directions, conflict rule). */
  settings: SettingsStore;
  /** Device-local: delta links, caches, the sync log, the last-run time. */
  localStore: SettingsStore;
  /** Clock (tests). */
  now?: () => Date;
}

export type SyncPhase = "read" | "plan" | "crm" | "photos" | "outlook" | "delete" | "done";

export interface SyncProgress {
  phase: SyncPhase;
  done: number;
  total: number;
}

export interface SyncRunOptions {
  /** Run even if a sync ran in the last few minutes (the "Sync now" button; after export/import). */
  force?: boolean;
  /** The user confirmed the deletes of a plan over the mass-delete guard. */
  confirmDeletes?: boolean;
  /**
   * The Outlook contact ids the user saw and confirmed. When given, a run whose deletes go beyond
   * them (more deletions meanwhile) and still exceed the guard asks again instead of applying.
   */
  confirmedContactIds?: string[];
  trigger?: SyncTrigger;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

export type SyncOutcome =
  | { status: "skipped"; reason: "recent" | "running" }
  | { status: "needs-confirmation"; plan: SyncPlan; deletes: SyncDeleteStep[]; linkedCount: number }
  | { status: "done"; entry: SyncLogEntry; linksChanged: boolean }
  | { status: "failed"; entry: SyncLogEntry; error: AppError };

const running = new WeakMap<SettingsStore, Promise<SyncOutcome>>();

/** Whether "sync on open" is due (no run in the last few minutes). */
export async function syncDue(localStore: SettingsStore, now: Date = new Date()): Promise<boolean> {
  const last = await localStore.read(LAST_RUN_KEY).catch(() => undefined); // unreadable = never ran
  if (typeof last !== "string") return true;
  const at = Date.parse(last);
  return Number.isNaN(at) || now.getTime() - at >= SYNC_ON_OPEN_INTERVAL_MS || at > now.getTime();
}

/**
 * Runs one sync; at most one at a time per local store (a second call while one runs is skipped).
 * Rejects only with `AppError` "cancelled" when cancelled before anything was applied; every
 * other failure is logged and returned as `failed`.
 */
export async function runSync(deps: SyncDeps, options: SyncRunOptions = {}): Promise<SyncOutcome> {
  const current = running.get(deps.localStore);
  if (current) return { status: "skipped", reason: "running" };
  const run = runOnce(deps, options);
  running.set(deps.localStore, run);
  try {
    return await run;
  } finally {
    running.delete(deps.localStore);
  }
}

async function runOnce(deps: SyncDeps, options: SyncRunOptions): Promise<SyncOutcome> {
  const clock = deps.now ?? (() => new Date());
  const startedAt = clock();
  if (!options.force && !(await syncDue(deps.localStore, startedAt)))
    return { status: "skipped", reason: "recent" };
  const entry = newEntry(startedAt, options.trigger ?? (options.force ? "manual" : "open"));
  try {
    const settings = await loadUserSettings(deps.settings, deps.config);
    const read = await readState(deps, startedAt, options);
    options.onProgress?.({ phase: "plan", done: 0, total: 1 });
    const plan = planSync({
      pairs: read.pairs,
      removedInOutlook: read.removed,
      directions: settings.fieldDirections,
      conflictRule: settings.conflictRule,
      now: startedAt.toISOString(),
    });
    const confirmed = new Set(options.confirmedContactIds ?? []);
    const unconfirmed = plan.steps.some(
      (step) =>
        step.kind === "delete" && options.confirmedContactIds !== undefined && !confirmed.has(step.contactId),
    );
    if (plan.needsConfirmation && (!options.confirmDeletes || unconfirmed)) {
      // Nothing applied and nothing remembered: the confirmed re-run reads the same changes again.
      const deletes = plan.steps.filter((step): step is SyncDeleteStep => step.kind === "delete");
      return { status: "needs-confirmation", plan, deletes, linkedCount: plan.linkedCount };
    }
    checkAborted(options.signal);
    const linksChanged = await applyPlan(deps, plan, read, settings, entry, options);
    entry.finishedAt = clock().toISOString();
    await writeSyncCache(deps.localStore, read.cache);
    await appendSyncLog(deps.localStore, entry);
    await deps.localStore.write(LAST_RUN_KEY, startedAt.toISOString());
    options.onProgress?.({ phase: "done", done: 1, total: 1 });
    return { status: "done", entry, linksChanged };
  } catch (error) {
    const appError = AppError.from(error);
    if (appError.code === "cancelled" && !entry.cancelled) throw appError; // nothing applied yet
    entry.finishedAt = clock().toISOString();
    entry.error = { code: appError.code, message: appError.message };
    await appendSyncLog(deps.localStore, entry);
    return { status: "failed", entry, error: appError };
  }
}

function newEntry(startedAt: Date, trigger: SyncTrigger): SyncLogEntry {
  return {
    id: `${startedAt.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    startedAt: startedAt.toISOString(),
    finishedAt: startedAt.toISOString(),
    trigger,
    counts: emptyCounts(),
    conflicts: [],
    overwritten: [],
    failures: [],
    deleted: [],
    unlinked: [],
    cancelled: false,
  };
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError("cancelled", "Sync cancelled");
}

// ---------------------------------------------------------------------------------------------
// reading

interface ReadResult {
  pairs: SyncPair[];
  removed: { crmId: string; name: string }[];
  cache: SyncCache;
  /** Photos read while hashing, reused when applying. */
  crmPhotos: Map<string, Photo>;
  outlookPhotos: Map<string, Photo>;
  /** Contacts whose CRM or Outlook photo could not be read: their photo is decided next run. */
  photoUnread: Set<string>;
  partners: Map<string, BusinessPartner>;
}

async function readOutlook(
  deps: SyncDeps,
  previous: SyncCache | null,
  options: SyncRunOptions,
): Promise<{ cache: SyncCache; removedContacts: CachedContact[] }> {
  const { contacts } = deps;
  const signal = options.signal;
  const folders = await contacts.listFolders({ signal });
  const folderIds = [...new Set(folders.map((folder) => folder.id))];
  // The default Contacts folder is the listed folder whose parent is not listed; ask when none is.
  const listed = new Set(folderIds);
  if (!folders.some((folder) => folder.parentFolderId === null || !listed.has(folder.parentFolderId))) {
    const root = await contacts.ensureFolder(null, { signal });
    if (!folderIds.includes(root.id)) folderIds.unshift(root.id);
  }
  const cache: SyncCache = previous
    ? { ...previous, deltaLinks: {}, contacts: { ...previous.contacts } }
    : { v: 1, deltaLinks: {}, contacts: {}, partners: {} };
  const before = previous ? previous.contacts : {};
  // First run on this device: the initial delta round of each folder returns all its contacts
  // (a separate listLinkedContacts would read them twice).
  const seen = new Set<string>();
  const movedOut = new Set<string>();
  let done = 0;
  for (const folderId of folderIds) {
    checkAborted(signal);
    const link = previous?.deltaLinks[folderId] ?? null;
    let result;
    let full = link === null;
    try {
      result = await contacts.delta(folderId, link, { signal });
    } catch (error) {
      if (!AppError.is(error, "resync-required")) throw error;
      full = true;
      result = await contacts.delta(folderId, null, { signal });
    }
    cache.deltaLinks[folderId] = result.deltaLink;
    if (full && previous) {
      // A full round is the folder's complete content: drop what we knew of it.
      const present = new Set(result.changed.map((contact) => contact.id));
      for (const [id, contact] of Object.entries(cache.contacts)) {
        if (contact.parentFolderId === folderId && !present.has(id)) movedOut.add(id);
      }
    }
    for (const contact of result.changed) {
      seen.add(contact.id);
      if (contact.link) cache.contacts[contact.id] = cached(contact, cache.contacts[contact.id]);
      else delete cache.contacts[contact.id];
    }
    for (const id of result.removed) movedOut.add(id);
    done += 1;
    options.onProgress?.({ phase: "read", done, total: folderIds.length + 1 });
  }
  // Folders that disappeared take their contacts with them.
  for (const [id, contact] of Object.entries(cache.contacts)) {
    if (!folderIds.includes(contact.parentFolderId)) movedOut.add(id);
  }
  for (const id of movedOut) if (!seen.has(id)) delete cache.contacts[id];
  const removedContacts = Object.values(before).filter((contact) => !cache.contacts[contact.id]);
  return { cache, removedContacts };
}

function cached(contact: OutlookContact, previous?: CachedContact): CachedContact {
  return { ...contact, reconciledChangeKey: previous?.reconciledChangeKey ?? null };
}

async function readState(deps: SyncDeps, now: Date, options: SyncRunOptions): Promise<ReadResult> {
  const signal = options.signal;
  options.onProgress?.({ phase: "read", done: 0, total: 1 });
  const previous = await readSyncCache(deps.localStore);
  const { cache, removedContacts } = await readOutlook(deps, previous, options);
  const linked = Object.values(cache.contacts).filter((contact) => contact.link);
  const stillLinked = new Set(linked.map((contact) => contact.link?.crmId));
  const removed = removedContacts
    .filter((contact) => contact.link && !stillLinked.has(contact.link.crmId))
    .map((contact) => ({
      crmId: contact.link?.crmId ?? "",
      name: contact.displayName ?? recordName(recordFromOutlook(contact)) ?? contact.link?.crmId ?? "",
    }));
  const uniqueRemoved = [...new Map(removed.map((entry) => [entry.crmId, entry])).values()];

  // CRM versions: one batchGet per 500 ids.
  const ids = [...stillLinked].filter((id): id is string => Boolean(id));
  const persons = new Map<string, ContactPerson>();
  for (let i = 0; i < ids.length; i += BATCH_GET_SIZE) {
    checkAborted(signal);
    const { items } = await deps.crm.batchGet(ids.slice(i, i + BATCH_GET_SIZE), { signal });
    for (const person of items) persons.set(person.id, person);
  }
  options.onProgress?.({ phase: "read", done: 1, total: 1 });

  const partners = await readPartners(deps, cache, [...persons.values()], now, signal);

  const pairs: SyncPair[] = linked.map((contact) => {
    const person = persons.get(contact.link?.crmId ?? "") ?? null;
    // A partner that could not be read is null: the plan keeps the company fields as agreed.
    const partner = person ? (partners.get(person.businessPartnerId) ?? null) : null;
    const { reconciledChangeKey: _ignored, ...plain } = contact;
    return { contact: plain, person, partner };
  });

  // Photos: read only where a side may have changed, then compare hashes.
  const crmPhotos = new Map<string, Photo>();
  const outlookPhotos = new Map<string, Photo>();
  const photoUnread = new Set<string>();
  const photoJobs: (() => Promise<void>)[] = [];
  for (const pair of pairs) {
    const person = pair.person;
    if (!person || person.status !== "active") continue;
    const state = decodeSyncState(pair.contact.link?.syncState);
    if (!person.hasPhoto) pair.crmPhotoHash = null;
    else if (!state || state.crmVersion !== person.version) {
      photoJobs.push(async () => {
        const photo = await readPhoto(
          () => deps.crm.getPhoto(person.id, { signal }),
          () => photoUnread.add(pair.contact.id),
        );
        if (photo === undefined) return;
        pair.crmPhotoHash = photo ? hashBytes(photo.data) : null;
        if (photo) crmPhotos.set(person.id, photo);
      });
    }
    if (outlookMayHaveChanged(cache.contacts[pair.contact.id], state)) {
      photoJobs.push(async () => {
        const photo = await readPhoto(
          () => deps.contacts.getPhoto(pair.contact.id, { signal }),
          () => photoUnread.add(pair.contact.id),
        );
        if (photo === undefined) return;
        pair.outlookPhotoHash = photo ? hashBytes(photo.data) : null;
        if (photo) outlookPhotos.set(pair.contact.id, photo);
      });
    }
  }
  await mapLimit(photoJobs, PARALLEL, (job) => job(), signal);
  checkAborted(signal);
  // One side unreadable: comparing only the other side could overwrite an unseen change (no
  // conflict listed). Leave this contact's photo as it is; the state keeps the old base (applyPlan).
  for (const pair of pairs) {
    if (!photoUnread.has(pair.contact.id)) continue;
    pair.crmPhotoHash = undefined;
    pair.outlookPhotoHash = undefined;
  }
  return { pairs, removed: uniqueRemoved, cache, crmPhotos, outlookPhotos, photoUnread, partners };
}

function outlookMayHaveChanged(contact: CachedContact | undefined, state: SyncState | null): boolean {
  if (!contact || !state) return false; // no base: the CRM's photo wins anyway
  if (contact.reconciledChangeKey !== null) return contact.reconciledChangeKey !== contact.changeKey;
  // Not reconciled on this device yet (first run, or just exported): modified well after its sync?
  const modified = contact.lastModifiedDateTime ? Date.parse(contact.lastModifiedDateTime) : Number.NaN;
  return Number.isNaN(modified) || modified > Date.parse(state.syncedAt) + PHOTO_GRACE_MS;
}

/**
 * A photo, null for none, undefined when it could not be read (skipped, never fails the run);
 * `onPassing` is called when reading again may succeed (throttled, 5xx, network).
 */
async function readPhoto(
  read: () => Promise<Photo | null>,
  onPassing: () => void,
): Promise<Photo | null | undefined> {
  try {
    return await read();
  } catch (error) {
    const appError = AppError.from(error);
    if (appError.code === "cancelled") throw appError;
    if (appError.code === "not-found") return null;
    if (appError.retryable) onPassing(); // compared next run
    return undefined; // invalid (e.g. an unsupported type): treated as unchanged
  }
}

async function readPartners(
  deps: SyncDeps,
  cache: SyncCache,
  persons: ContactPerson[],
  now: Date,
  signal: AbortSignal | undefined,
): Promise<Map<string, BusinessPartner>> {
  const needed = [...new Set(persons.filter((p) => p.status === "active").map((p) => p.businessPartnerId))];
  const result = new Map<string, BusinessPartner>();
  const stale: string[] = [];
  for (const id of needed) {
    const entry = cache.partners[id];
    if (entry && now.getTime() - Date.parse(entry.fetchedAt) < PARTNER_TTL_MS) result.set(id, entry.partner);
    else stale.push(id);
  }
  await mapLimit(
    stale,
    PARALLEL,
    async (id) => {
      try {
        const partner = await deps.crm.getBusinessPartner(id, { signal });
        cache.partners[id] = { partner, fetchedAt: now.toISOString() };
        result.set(id, partner);
      } catch (error) {
        const appError = AppError.from(error);
        if (appError.code === "cancelled") throw appError;
        // Keep the last known company data (or, without it, the values last synchronised per
        // contact); a stale entry is read again next run.
        const old = cache.partners[id];
        if (old) result.set(id, old.partner);
      }
    },
    signal,
  );
  return result;
}

function recordName(record: MappedRecord): string | null {
  return [record.firstName, record.lastName].filter(Boolean).join(" ") || null;
}

// ---------------------------------------------------------------------------------------------
// applying

interface Prepared {
  step: SyncUpdateStep;
  pair: SyncPair;
  /** Final state and Outlook write after the CRM patch. */
  state: SyncState;
  outlookFields: MappedField[];
  failed: boolean;
  crmUpdated: boolean;
  written: boolean;
}

async function applyPlan(
  deps: SyncDeps,
  plan: SyncPlan,
  read: ReadResult,
  settings: UserSettings,
  entry: SyncLogEntry,
  options: SyncRunOptions,
): Promise<boolean> {
  const signal = options.signal;
  const pairsByContact = new Map(read.pairs.map((pair) => [pair.contact.id, pair]));
  const prepared: Prepared[] = [];
  const fail = (step: { crmId: string; name: string }, action: SyncLogFailure["action"], error: unknown) => {
    const appError = AppError.from(error);
    entry.failures.push({
      crmId: step.crmId,
      name: step.name,
      action,
      code: appError.code,
      message: appError.message,
    });
  };

  for (const step of plan.steps) {
    if (step.kind === "unlink") {
      entry.unlinked.push({ crmId: step.crmId, name: step.name });
      entry.counts.unlinked += 1;
    }
    if (step.kind !== "update") continue;
    const pair = pairsByContact.get(step.contactId);
    if (!pair) continue;
    prepared.push({
      step,
      pair,
      state: step.state,
      outlookFields: step.outlookFields,
      failed: false,
      crmUpdated: false,
      written: false,
    });
  }

  // 1. CRM patches (If-Match; on 412 re-read and re-plan once).
  const patches = prepared.filter((item) => item.step.crmPatch);
  let done = 0;
  await mapLimit(
    patches,
    PARALLEL,
    async (item) => {
      try {
        await patchCrm(deps, item, settings, read, signal, (error) => fail(item.step, "update-crm", error));
      } catch (error) {
        item.failed = true;
        if (AppError.from(error).code === "cancelled") entry.cancelled = true;
        else fail(item.step, "update-crm", error);
      }
      options.onProgress?.({ phase: "crm", done: ++done, total: patches.length });
    },
    signal,
    () => {
      entry.cancelled = true;
    },
  );

  // 2. Photos.
  const photoItems = prepared.filter((item) => !item.failed && item.step.photo !== "none");
  done = 0;
  await mapLimit(
    photoItems,
    PARALLEL,
    async (item) => {
      try {
        await applyPhoto(deps, item, read, entry, signal);
      } catch (error) {
        if (AppError.from(error).code !== "cancelled") throw error;
        entry.cancelled = true;
      }
      options.onProgress?.({ phase: "photos", done: ++done, total: photoItems.length });
    },
    signal,
    () => {
      entry.cancelled = true;
    },
  );
  if (signal?.aborted) entry.cancelled = true;

  // 3. Outlook: fields + new state, one write per changed contact, batched by the store.
  const writes = entry.cancelled ? [] : prepared.filter((item) => !item.failed);
  for (const item of writes) {
    if (!read.photoUnread.has(item.step.contactId)) continue;
    // A photo not reconciled this run: "photo pending" (as the export writes it), so the next run
    // reads the CRM photo again although the version is unchanged.
    item.state = { ...item.state, crmVersion: `${PHOTO_PENDING_PREFIX}${item.state.crmVersion}` };
  }
  if (writes.length > 0) {
    const results = await deps.contacts.updateContacts(
      writes.map((item) => ({
        id: item.step.contactId,
        patch: {
          ...(item.outlookFields.length > 0
            ? outlookWriteFromRecord(item.state.record, item.outlookFields, item.pair.contact)
            : {}),
          link: { crmId: item.step.crmId, syncState: encodeSyncState(item.state) },
        },
        current: item.pair.contact,
      })),
      { signal, onProgress: (d, total) => options.onProgress?.({ phase: "outlook", done: d, total }) },
    );
    results.forEach((result, i) => {
      const item = writes[i];
      if (!item) return;
      if (!result.ok) {
        if (result.error.code === "cancelled") entry.cancelled = true;
        else fail(item.step, "update-outlook", result.error);
        return;
      }
      item.written = true;
      const reconciled = read.photoUnread.has(item.step.contactId) ? PHOTO_UNREAD : result.value.changeKey;
      read.cache.contacts[result.value.id] = { ...result.value, reconciledChangeKey: reconciled };
      if (item.outlookFields.length > 0 || item.step.photo === "to-outlook") entry.counts.updatedOutlook += 1;
    });
  }
  for (const item of prepared) {
    if (item.crmUpdated) entry.counts.updatedCrm += 1;
    if (!item.crmUpdated && !item.written) continue;
    // Resolved (at least on one side): list every conflict and overwritten edit with both values.
    entry.counts.conflicts += item.step.conflicts.length;
    entry.counts.overwritten += item.step.overwritten.length;
    entry.conflicts.push(...item.step.conflicts.map((c) => logConflict(item.step, c)));
    entry.overwritten.push(...item.step.overwritten.map((o) => logOverwritten(item.step, o)));
  }

  // Contacts reconciled without a step: remember their change key (no photo check next time).
  const stepped = new Set(prepared.map((item) => item.step.contactId));
  for (const pair of read.pairs) {
    const cachedContact = read.cache.contacts[pair.contact.id];
    if (
      cachedContact &&
      !stepped.has(pair.contact.id) &&
      !read.photoUnread.has(pair.contact.id) &&
      pair.person?.status === "active"
    )
      cachedContact.reconciledChangeKey = cachedContact.changeKey;
  }

  // 4. Deletes (Deleted Items).
  const deletes = entry.cancelled
    ? []
    : plan.steps.filter((step): step is SyncDeleteStep => step.kind === "delete");
  if (deletes.length > 0) {
    const results = await deps.contacts.deleteContacts(
      deletes.map((step) => step.contactId),
      { signal, onProgress: (d, total) => options.onProgress?.({ phase: "delete", done: d, total }) },
    );
    results.forEach((result, i) => {
      const step = deletes[i];
      if (!step) return;
      if (result.ok || result.error.code === "not-found") {
        delete read.cache.contacts[step.contactId];
        entry.deleted.push({ crmId: step.crmId, name: step.name, reason: step.reason });
        entry.counts.deleted += 1;
      } else if (result.error.code === "cancelled") entry.cancelled = true;
      else fail(step, "delete-outlook", result.error);
    });
  }
  entry.counts.failed = entry.failures.length;
  return entry.counts.deleted > 0 || entry.counts.unlinked > 0;
}

async function patchCrm(
  deps: SyncDeps,
  item: Prepared,
  settings: UserSettings,
  read: ReadResult,
  signal: AbortSignal | undefined,
  onRejected: (error: AppError) => void,
): Promise<void> {
  /**
   * Sends the item's patch. A patch the CRM refuses as invalid (400, e.g. a mistyped e-mail) is
   * permanent: like a blanked last name, the refused Outlook value is overwritten with the CRM's
   * and listed (plus the failure), the rest is sent once more, so the contact is not stuck forever.
   */
  const send = async (): Promise<ContactPerson | null> => {
    const step = item.step;
    try {
      return await deps.crm.updateContactPerson(step.crmId, step.crmPatch ?? {}, step.ifMatch, { signal });
    } catch (error) {
      // Only a refusal naming one of our fields is the Outlook value's fault; anything else fails
      // the contact as before (retried next run).
      if (!AppError.is(error, "validation") || !step.crmFields.some((f) => f === error.field)) throw error;
      onRejected(error);
      overwriteRejected(item, error.field);
      const retry = item.step;
      if (!retry.crmPatch) return null;
      return await deps.crm.updateContactPerson(retry.crmId, retry.crmPatch, retry.ifMatch, { signal });
    }
  };
  let updated: ContactPerson | null;
  try {
    updated = await send();
  } catch (error) {
    if (!AppError.is(error, "precondition-failed")) throw error;
    // Someone changed the person meanwhile: re-read it and plan this contact again, once.
    const step = item.step;
    const fresh = await deps.crm.getContactPerson(step.crmId, { signal });
    const pair: SyncPair = { ...item.pair, person: fresh };
    const replanned = planSync({
      pairs: [pair],
      removedInOutlook: [],
      directions: settings.fieldDirections,
      conflictRule: settings.conflictRule,
      now: step.state.syncedAt,
    }).steps[0];
    if (!replanned || replanned.kind !== "update") {
      item.failed = true; // e.g. deleted meanwhile: the next run deletes it
      throw new AppError("precondition-failed", "The contact person changed during the sync", {
        status: 412,
      });
    }
    item.step = replanned;
    item.pair = pair;
    item.state = replanned.state;
    item.outlookFields = replanned.outlookFields;
    if (!replanned.crmPatch) return;
    updated = await send();
  }
  if (!updated) return;
  item.crmUpdated = true;
  // The CRM may normalise what it stores: the state and Outlook take the stored value.
  const partner = read.partners.get(updated.businessPartnerId) ?? item.pair.partner;
  const stored = recordFromCrm(updated, partner);
  const normalised = diffRecords(stored, item.state.record, item.step.crmFields);
  const record = { ...item.state.record };
  for (const field of normalised) record[field] = stored[field];
  item.state = { ...item.state, record, crmVersion: updated.version };
  item.outlookFields = [...new Set([...item.outlookFields, ...normalised])];
}

/**
 * The CRM refused the named field of the patch: it takes the CRM's value on both sides; the
 * Outlook value is listed as overwritten instead of sent.
 */
function overwriteRejected(item: Prepared, field: string | undefined): void {
  const { step, pair } = item;
  if (!pair.person) return;
  const rejected = step.crmFields.filter((f) => f === field);
  const crm = recordFromCrm(pair.person, pair.partner);
  const outlook = recordFromOutlook(pair.contact);
  const record = { ...item.state.record };
  for (const f of rejected) record[f] = crm[f];
  const crmFields = step.crmFields.filter((f) => !rejected.includes(f));
  item.step = {
    ...step,
    crmFields,
    crmPatch: crmFields.length > 0 ? crmPatchFromRecord(record, crmFields) : null,
    conflicts: step.conflicts.filter((c) => !rejected.some((f) => f === c.field)),
    overwritten: [
      ...step.overwritten,
      ...rejected.map((f): OverwrittenEdit => ({
        field: f,
        outlookValue: outlook[f],
        crmValue: crm[f],
        reason: "crm-leads",
      })),
    ],
  };
  item.state = { ...item.state, record };
  item.outlookFields = [...new Set([...item.outlookFields, ...diffRecords(outlook, record, rejected)])];
}

async function applyPhoto(
  deps: SyncDeps,
  item: Prepared,
  read: ReadResult,
  entry: SyncLogEntry,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { step } = item;
  const note = (code: AppErrorCode, message: string) =>
    entry.failures.push({ crmId: step.crmId, name: step.name, action: "photo", code, message });
  try {
    if (step.photo === "to-outlook") {
      const photo = read.crmPhotos.get(step.crmId);
      if (!photo) return;
      if (photo.data.length > MAX_PHOTO_BYTES) {
        note("photo-too-large", "The CRM photo is larger than 4 MB and was skipped");
        return;
      }
      const held = await deps.contacts.putPhoto(step.contactId, photo, { signal });
      // Outlook re-encodes the photo: its own bytes are the Outlook side's base from now on.
      item.state = { ...item.state, outlookPhotoHash: hashBytes(held.data) };
    } else if (step.photo === "to-crm") {
      const photo = read.outlookPhotos.get(step.contactId);
      if (!photo) return;
      if (photo.data.length > MAX_PHOTO_BYTES) {
        note("photo-too-large", "The Outlook photo is larger than 4 MB and was skipped");
        return;
      }
      const version = await deps.crm.putPhoto(step.crmId, photo, { signal });
      item.state = { ...item.state, crmVersion: version };
      item.crmUpdated = true;
    }
  } catch (error) {
    const appError = AppError.from(error);
    if (appError.code === "cancelled") throw appError;
    // A photo never fails the contact: keep the old base so the next run tries again (a passing
    // failure reads both photos again: an unchanged version/change key would skip the retry).
    const before = decodeSyncState(item.pair.contact.link?.syncState);
    item.state = {
      ...item.state,
      photoHash: before?.photoHash ?? null,
      outlookPhotoHash: before?.outlookPhotoHash,
    };
    if (item.state.outlookPhotoHash === undefined) delete item.state.outlookPhotoHash;
    if (appError.retryable) read.photoUnread.add(step.contactId);
    note(appError.code, appError.message);
  }
}

function logConflict(step: SyncUpdateStep, conflict: SyncConflict): SyncLogConflict {
  return { crmId: step.crmId, name: step.name, ...conflict };
}

function logOverwritten(step: SyncUpdateStep, edit: OverwrittenEdit) {
  return { crmId: step.crmId, name: step.name, ...edit };
}

/** Runs `fn` over `items` with at most `limit` in flight; stops starting new ones once aborted. */
async function mapLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
  signal?: AbortSignal,
  onAbort?: () => void,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      if (signal?.aborted) {
        onAbort?.();
        return;
      }
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
