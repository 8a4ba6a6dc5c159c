/**
 * Applies an export plan (src/core/plans/export-plan.ts) through the ports: creates, updates and
 * withdraws Outlook contacts, uploads photos, and reports progress and a summary.
 *
 * Guarantees:
 * - Each new contact carries the CRM id and its sync state in the very request that creates it,
 *   so any contact that exists is linked.
 * - Before creating, the linked contacts of the mailbox are read again: a create whose person
 *   meanwhile has a linked contact (an earlier, interrupted run) becomes an update/unchanged.
 *   Re-running never creates a second contact for a CRM person.
 * - A contact with a photo is created with a "photo pending" sync state; only after the photo
 *   upload succeeded is the final state written. A run interrupted in between leaves a state
 *   the next export (and the sync) sees as outdated, so the photo is uploaded then.
 * - Photos over 4 MB, or not JPEG/PNG, are skipped with a message; the contact is exported.
 * - Cancel (AbortSignal): no new requests start; requests in flight finish; what they did is
 *   counted. Bulk writes go through the ContactStore, which batches (20) with at most 4 in flight.
 *
 * @example
 *   const summary = await runExport(plan, { crm, contacts }, { folderName: "CRM", signal, onProgress });
 *   summary.created; // 12
 */
import { AppError, type AppErrorCode, type Result } from "../core/errors";
import { hashBytes } from "../core/hash";
import type { ContactLink, OutlookContact, Photo } from "../core/model";
import {
  exportLink,
  rankLinked,
  stepForPerson,
  type CreateStep,
  type ExportPlan,
  type ExportStep,
  type ExportStepKind,
  type UpdateStep,
  type WithdrawStep,
} from "../core/plans/export-plan";
import type { FieldDirections } from "../core/mapping";
import type { ContactStore, CrmClient } from "../core/ports";

/** Graph's limit for a contact photo. */
export const MAX_PHOTO_BYTES = 4 * 1024 * 1024;
/** Creates are sent in chunks of this size (10 batches of 20), so photos of a chunk follow quickly. */
export const CREATE_CHUNK = 200;
/** Parallel single requests (photo reads/uploads); the Graph adapter limits the mailbox to 4 anyway. */
const PARALLEL = 4;

export interface ExportPorts {
  crm: CrmClient;
  contacts: ContactStore;
}

export type ExportPhase = "prepare" | "create" | "update" | "withdraw" | "done";

export interface ExportProgress {
  phase: ExportPhase;
  /** Steps finished (including unchanged ones), of `total` steps in the plan. */
  done: number;
  total: number;
}

export interface ExportRunOptions {
  /** Target folder for new contacts (null = default Contacts); created if missing. */
  folderName: string | null;
  /** Needed to re-check creates that meanwhile found a linked contact. */
  fieldDirections: Partial<FieldDirections>;
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportFailure {
  crmId: string;
  label: string;
  kind: ExportStepKind;
  code: AppErrorCode;
  message: string;
}

export interface PhotoNote {
  crmId: string;
  label: string;
  /** photo-too-large, photo-invalid, or the code of the failed upload. */
  code: AppErrorCode;
}

export interface ExportSummary {
  created: number;
  updated: number;
  unchanged: number;
  withdrawn: number;
  failed: ExportFailure[];
  /** Contacts exported without their photo, and why. */
  photosSkipped: PhotoNote[];
  /** Steps not attempted because the run was cancelled. */
  notRun: number;
  cancelled: boolean;
}

/** Runs `fn` over `items` with at most `limit` at a time; stops starting new ones once aborted. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array<R | undefined>(items.length).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** `transient`: the read failed for a passing reason (network, 5xx, 429): the state stays pending. */
type PhotoCheck = { photo: Photo; hash: string } | { skip: AppErrorCode; transient?: boolean } | null;

/** Reads the CRM photo and checks it against Graph's rules (null = the person has none). */
async function readPhoto(crm: CrmClient, crmId: string, signal?: AbortSignal): Promise<PhotoCheck> {
  try {
    const photo = await crm.getPhoto(crmId, { signal });
    if (!photo) return null;
    if (photo.data.length > MAX_PHOTO_BYTES) return { skip: "photo-too-large" };
    if ((photo.contentType !== "image/jpeg" && photo.contentType !== "image/png") || photo.data.length === 0)
      return { skip: "photo-invalid" };
    return { photo, hash: hashBytes(photo.data) };
  } catch (error) {
    const appError = AppError.from(error);
    if (appError.code === "cancelled") throw appError;
    // Gone meanwhile, or an answer that is no JPEG/PNG (the CRM client's bad-response): unreadable.
    if (appError.code === "not-found" || appError.code === "bad-response") return { skip: "photo-invalid" };
    // A passing failure must not write a final state without the photo: the next run reads it again.
    return { skip: appError.code, transient: appError.retryable };
  }
}

/** The step's businessFax value when it writes the fax field (else nothing). */
function faxOf(step: CreateStep | undefined): { businessFax?: string | null } {
  return step && step.write.businessFax !== undefined ? { businessFax: step.write.businessFax } : {};
}

/** Permanent photo failures (never retried by a later run); anything else stays pending. */
const PERMANENT_PHOTO_CODES: ReadonlySet<AppErrorCode> = new Set<AppErrorCode>([
  "photo-too-large",
  "photo-invalid",
  "payload-too-large",
  "validation",
]);

export async function runExport(
  plan: ExportPlan,
  ports: ExportPorts,
  options: ExportRunOptions,
): Promise<ExportSummary> {
  const { crm, contacts } = ports;
  const { signal } = options;
  const summary: ExportSummary = {
    created: 0,
    updated: 0,
    unchanged: 0,
    withdrawn: 0,
    failed: [],
    photosSkipped: [],
    notRun: 0,
    cancelled: false,
  };
  const total = plan.steps.length;
  let done = 0;
  let phase: ExportPhase = "prepare";
  const progress = (step = 0) => {
    done += step;
    options.onProgress?.({ phase, done, total });
  };
  const fail = (step: ExportStep, error: unknown) => {
    const appError = AppError.from(error);
    if (appError.code === "cancelled") {
      summary.notRun += 1;
      summary.cancelled = true;
      return;
    }
    summary.failed.push({
      crmId: step.crmId,
      label: step.label,
      kind: step.kind,
      code: appError.code,
      message: appError.message,
    });
  };
  const aborted = () => {
    if (signal?.aborted) summary.cancelled = true;
    return signal?.aborted ?? false;
  };

  let creates = plan.steps.filter((s): s is CreateStep => s.kind === "create");
  const updates = plan.steps.filter((s): s is UpdateStep => s.kind === "update");
  const withdraws = plan.steps.filter((s): s is WithdrawStep => s.kind === "withdraw");
  summary.unchanged = plan.steps.filter((s) => s.kind === "unchanged").length;
  progress(summary.unchanged);

  try {
    if (aborted()) throw new AppError("cancelled", "Export cancelled before it started");

    // 1. Re-read the links so that a partial earlier run is seen, then ensure the folder.
    let folderId: string | null = null;
    if (creates.length > 0) {
      try {
        folderId = await prepareCreates();
      } catch (error) {
        if (AppError.is(error, "cancelled")) throw error;
        for (const step of creates) fail(step, error);
        creates = [];
      }
    }

    // 2. Creates, chunk by chunk: photos read first, contact + link in one request, then photos.
    phase = "create";
    progress();
    for (let start = 0; start < creates.length; start += CREATE_CHUNK) {
      if (aborted()) break;
      const chunk = creates.slice(start, start + CREATE_CHUNK);
      const photos = await mapLimit(
        chunk,
        PARALLEL,
        (step) => (step.hasPhoto ? readPhoto(crm, step.crmId, signal) : Promise.resolve(null)),
        signal,
      );
      const writes = chunk.map((step, i) => {
        const check = photos[i];
        if (check && "skip" in check)
          summary.photosSkipped.push({ crmId: step.crmId, label: step.label, code: check.skip });
        const pending = Boolean(check && ("photo" in check || check.transient === true));
        return {
          folderId: step.folderId ?? folderId,
          contact: { ...step.write, link: exportLink(step.crmId, step, plan.now, { pending, hash: null }) },
        };
      });
      const base = done;
      const results = await contacts.createContacts(writes, {
        signal,
        onProgress: (n) => options.onProgress?.({ phase, done: base + n, total }),
      });
      const uploads: { step: CreateStep; id: string; photo: Photo; hash: string }[] = [];
      results.forEach((result, i) => {
        const step = chunk[i] as CreateStep;
        if (!result.ok) return fail(step, result.error);
        summary.created += 1;
        const check = photos[i];
        if (check && "photo" in check) uploads.push({ step, id: result.value.id, ...check });
      });
      progress(results.length);
      await uploadPhotos(uploads);
    }

    // 3. Updates (photo first, then fields + state in one PATCH).
    phase = "update";
    progress();
    if (updates.length > 0 && !aborted()) {
      const photos = await mapLimit(
        updates,
        PARALLEL,
        (step) => (step.hasPhoto ? readPhoto(crm, step.crmId, signal) : Promise.resolve(null)),
        signal,
      );
      const photoState = await mapLimit(
        updates,
        PARALLEL,
        async (step, index): Promise<{ pending: boolean; hash: string | null; outlookHash?: string }> => {
          const check = photos[index];
          if (!check) return { pending: false, hash: null };
          if ("skip" in check) {
            summary.photosSkipped.push({ crmId: step.crmId, label: step.label, code: check.skip });
            return { pending: check.transient === true, hash: null };
          }
          try {
            const held = await contacts.putPhoto(step.outlookId, check.photo, { signal });
            return { pending: false, hash: check.hash, outlookHash: hashBytes(held.data) };
          } catch (error) {
            const code = AppError.from(error).code;
            summary.photosSkipped.push({ crmId: step.crmId, label: step.label, code });
            return { pending: !PERMANENT_PHOTO_CODES.has(code), hash: null };
          }
        },
        signal,
      );
      const base = done;
      const items = updates.map((step, i) => ({
        id: step.outlookId,
        patch: {
          ...step.write,
          link: exportLink(step.crmId, step, plan.now, photoState[i] ?? { pending: true, hash: null }),
        },
      }));
      const results = await contacts.updateContacts(items, {
        signal,
        onProgress: (n) => options.onProgress?.({ phase, done: base + n, total }),
      });
      results.forEach((result, i) => {
        if (result.ok) summary.updated += 1;
        else fail(updates[i] as UpdateStep, result.error);
      });
      progress(results.length);
    }

    // 4. Withdraws (Graph DELETE = Deleted Items); already gone counts as withdrawn.
    phase = "withdraw";
    progress();
    if (withdraws.length > 0 && !aborted()) {
      const base = done;
      const results = await contacts.deleteContacts(
        withdraws.map((s) => s.outlookId),
        { signal, onProgress: (n) => options.onProgress?.({ phase, done: base + n, total }) },
      );
      results.forEach((result: Result<void>, i) => {
        if (result.ok || result.error.code === "not-found") summary.withdrawn += 1;
        else fail(withdraws[i] as ExportStep, result.error);
      });
      progress(results.length);
    }
  } catch (error) {
    const appError = AppError.from(error);
    if (appError.code !== "cancelled") throw appError;
    summary.cancelled = true;
  }

  const attempted =
    summary.created + summary.updated + summary.unchanged + summary.withdrawn + summary.failed.length;
  summary.notRun = Math.max(0, plan.steps.length - attempted);
  if (summary.notRun > 0 && signal?.aborted) summary.cancelled = true;
  phase = "done";
  options.onProgress?.({ phase, done: Math.min(done, total), total });
  return summary;

  /**
   * Re-reads the links (a partial earlier run becomes visible): creates whose person now has a
   * linked contact are decided again against it. Then ensures the target folder.
   */
  async function prepareCreates(): Promise<string | null> {
    const linkedNow = new Map<string, OutlookContact[]>();
    for (const contact of await contacts.listLinkedContacts({ signal })) {
      const crmId = contact.link?.crmId;
      if (crmId) linkedNow.set(crmId, [...(linkedNow.get(crmId) ?? []), contact]);
    }
    const stillNew: CreateStep[] = [];
    for (const step of creates) {
      const existing = rankLinked(linkedNow.get(step.crmId) ?? []);
      const [kept, ...extra] = existing;
      if (!kept) {
        stillNew.push(step);
        continue;
      }
      // Created by an earlier run meanwhile: decide again against that contact.
      const redo = stepForPerson(step, kept, step.fields, options.fieldDirections, step.folderId, plan.now);
      if (redo.kind === "update") updates.push(redo);
      else if (redo.kind === "unchanged") {
        summary.unchanged += 1;
        progress(1);
      }
      for (const contact of extra) {
        withdraws.push({
          kind: "withdraw",
          reason: "duplicate-link",
          crmId: step.crmId,
          outlookId: contact.id,
          label: step.label,
        });
      }
    }
    creates = stillNew;
    return creates.some((s) => s.folderId === null)
      ? (await contacts.ensureFolder(options.folderName, { signal })).id
      : null;
  }

  /** Uploads the photos of freshly created contacts, then writes their final sync state. */
  async function uploadPhotos(
    uploads: { step: CreateStep; id: string; photo: Photo; hash: string }[],
  ): Promise<void> {
    if (uploads.length === 0) return;
    const finals = await mapLimit(
      uploads,
      PARALLEL,
      async (upload): Promise<{ id: string; link: ContactLink } | null> => {
        try {
          const held = await contacts.putPhoto(upload.id, upload.photo, { signal });
          return {
            id: upload.id,
            link: exportLink(upload.step.crmId, upload.step, plan.now, {
              pending: false,
              hash: upload.hash,
              outlookHash: hashBytes(held.data),
            }),
          };
        } catch (error) {
          const code = AppError.from(error).code;
          if (code === "cancelled") return null; // stays pending: the next run uploads it
          summary.photosSkipped.push({ crmId: upload.step.crmId, label: upload.step.label, code });
          if (!PERMANENT_PHOTO_CODES.has(code)) return null; // stays pending: retried next run
          return { id: upload.id, link: exportLink(upload.step.crmId, upload.step, plan.now) };
        }
      },
      signal,
    );
    const items = finals.filter((f): f is { id: string; link: ContactLink } => f !== null && f !== undefined);
    if (items.length === 0) return;
    // The final state is written even after Cancel: it is one short batch and makes the contacts complete.
    // businessFax travels along (unchanged value) so that the store need not re-read the contact.
    const results = await contacts.updateContacts(
      items.map((f) => ({
        id: f.id,
        patch: { link: f.link, ...faxOf(uploads.find((u) => u.id === f.id)?.step) },
      })),
    );
    results.forEach((result, i) => {
      if (result.ok) return;
      const upload = uploads.find((u) => u.id === items[i]?.id);
      if (upload)
        summary.photosSkipped.push({
          crmId: upload.step.crmId,
          label: upload.step.label,
          code: result.error.code,
        });
    });
  }
}
