/**
 * The export plan (CRM -> Outlook): which selected contact persons get a new Outlook contact,
 * which linked contacts are updated or already up to date, and which are withdrawn (Graph
 * DELETE, i.e. moved to Deleted Items). Pure data: the wizard previews it, the export runner
 * (src/app/export-runner.ts) applies it, tests check it.
 *
 * Rules:
 * - The link (CRM id on the Outlook contact) is the only match: a selected person with a linked
 *   contact in this mailbox is updated or unchanged, never created again.
 * - `unchanged` when the contact's sync state names the CRM's current version, covers the same
 *   fields, and the contact's content hash over those fields equals the CRM's. So re-running a
 *   finished plan yields only `unchanged` steps.
 * - Several linked contacts for one CRM id (after an interrupted run on the real Graph): one is
 *   kept (readable sync state first, then the oldest, then the smallest id), the others become
 *   `withdraw` steps with reason `duplicate-link` and are listed in `duplicates`.
 * - Only active CRM persons are exported: an inactive or deleted one is never created or updated
 *   (the sync right after the export would delete it again, into Deleted Items, on every run);
 *   it is listed in `skipped` with the reason `inactive` / `deleted`. Its linked contact, if any,
 *   is the sync's to remove.
 * - A linked contact stays in the folder it is in (the user may have moved it); only new
 *   contacts go to the target folder.
 * - With a two-way field direction, a contact whose Outlook values differ from the last synced
 *   state in a two-way field is left alone (`pending-outlook-edits`): the sync reconciles it,
 *   so an export never overwrites an Outlook edit that could still travel to the CRM.
 *
 * @example
 *   const plan = planExport({
 *     selected: [{ person, partner }], linked: [], deselectedExported: [],
 *     options: { withdrawDeselected: true, fieldDirections: defaultFieldDirections },
 *     now: "2026-11-25T10:00:00Z",
 *   });
 *   plan.counts; // { create: 1, update: 0, unchanged: 0, withdraw: 0 }
 */
import type {
  BusinessPartner,
  ContactLink,
  ContactPerson,
  OutlookContact,
  OutlookContactWrite,
} from "../model";
import {
  activeFields,
  directionOf,
  diffRecords,
  displayNameOf,
  outlookWriteFromRecord,
  pickFields,
  recordFromCrm,
  recordFromOutlook,
  recordHash,
  type FieldDirections,
  type MappedField,
  type MappedRecord,
} from "../mapping";
import { decodeSyncState, encodeSyncState } from "../sync-state";

export type ExportStepKind = "create" | "update" | "unchanged" | "withdraw";

/** Stable reason codes (the wizard translates them: `export:reason.<code>`). */
export type ExportReason =
  | "new" // create: no linked contact in this mailbox
  | "crm-changed" // update: the CRM version differs from the last exported one
  | "outlook-changed" // update: same CRM version, but the Outlook contact's values differ
  | "fields-changed" // update: the set of mapped fields (directions) changed since the last export
  | "no-sync-state" // update: linked, but without a readable sync state
  | "up-to-date" // unchanged
  | "pending-outlook-edits" // unchanged: two-way Outlook edits the sync still has to reconcile
  | "deselected" // withdraw: exported earlier, moved back to the left, withdraw option on
  | "duplicate-link"; // withdraw: a second linked contact for the same CRM id

/** Prefix of the sync state's CRM version while a photo upload is not confirmed (see the runner). */
export const PHOTO_PENDING_PREFIX = "photo-pending:";

interface StepBase {
  crmId: string;
  /** Display name for lists ("First Last"). */
  label: string;
  reason: ExportReason;
}

/** What the runner needs to (re)write the link of a create/update step. */
export interface ExportPayload {
  /** The CRM record of the person (all fields). */
  record: MappedRecord;
  /** Fields written (activeFields of the directions). */
  fields: MappedField[];
  crmVersion: string;
  hasPhoto: boolean;
  /** The write, including `link` with the encoded sync state (photoHash null). */
  write: OutlookContactWrite;
}

export interface CreateStep extends StepBase, ExportPayload {
  kind: "create";
  outlookId: null;
  /** Target folder id; null = the runner's target folder (ensured at run time). */
  folderId: string | null;
}

export interface UpdateStep extends StepBase, ExportPayload {
  kind: "update";
  outlookId: string;
  /** Fields whose values differ (empty when only the state is refreshed). */
  changedFields: MappedField[];
}

export interface UnchangedStep extends StepBase {
  kind: "unchanged";
  outlookId: string;
}

export interface WithdrawStep extends StepBase {
  kind: "withdraw";
  outlookId: string;
}

export type ExportStep = CreateStep | UpdateStep | UnchangedStep | WithdrawStep;

export interface DuplicateLink {
  crmId: string;
  keptId: string;
  withdrawnIds: string[];
}

/** A selected person the plan does not export, and why. */
export interface SkippedPerson {
  crmId: string;
  label: string;
  reason: "inactive" | "deleted";
}

export interface ExportPlan {
  steps: ExportStep[];
  /** Selected persons that are not exported (not active in the CRM). */
  skipped: SkippedPerson[];
  counts: Record<ExportStepKind, number>;
  duplicates: DuplicateLink[];
  /** When the plan was made (the syncedAt of every written state). */
  now: string;
}

export interface ExportOptions {
  withdrawDeselected: boolean;
  fieldDirections: Partial<FieldDirections>;
  targetFolderId?: string;
}

export interface ExportSelection {
  person: ContactPerson;
  partner: BusinessPartner | null;
}

export interface ExportPlanInput {
  selected: ExportSelection[];
  /** Linked contacts in this mailbox (any folder). */
  linked: OutlookContact[];
  /** CRM ids of previously exported persons the user moved back to the left. */
  deselectedExported: string[];
  options: ExportOptions;
  /** ISO timestamp, stored as syncedAt. */
  now: string;
}

/** The link to write: the CRM id and the encoded last-synchronised state. */
export function exportLink(
  crmId: string,
  payload: Pick<ExportPayload, "record" | "fields" | "crmVersion">,
  now: string,
  photo: { pending: boolean; hash: string | null; outlookHash?: string | null } = {
    pending: false,
    hash: null,
  },
): ContactLink {
  return {
    crmId,
    syncState: encodeSyncState({
      v: 1,
      crmVersion: photo.pending ? `${PHOTO_PENDING_PREFIX}${payload.crmVersion}` : payload.crmVersion,
      syncedAt: now,
      record: pickFields(payload.record, payload.fields),
      fields: payload.fields,
      photoHash: photo.pending ? null : photo.hash,
      ...(!photo.pending && photo.outlookHash !== undefined ? { outlookPhotoHash: photo.outlookHash } : {}),
    }),
  };
}

/** Everything the per-person decision needs (also used by the runner to re-check a create). */
export interface PersonEntry {
  crmId: string;
  label: string;
  record: MappedRecord;
  crmVersion: string;
  hasPhoto: boolean;
}

export function personEntry({ person, partner }: ExportSelection): PersonEntry {
  const record = recordFromCrm(person, partner);
  return {
    crmId: person.id,
    label: displayNameOf(record) ?? person.id,
    record,
    crmVersion: person.version,
    hasPhoto: person.hasPhoto,
  };
}

const sameFieldSet = (a: readonly MappedField[], b: readonly MappedField[]): boolean =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

function contactTime(contact: OutlookContact): string {
  return contact.lastModifiedDateTime ?? "";
}

/**
 * Orders linked contacts of one CRM id: the one to keep first (readable sync state, then the
 * oldest, then the smallest id), so the choice is the same on every run.
 */
export function rankLinked(contacts: readonly OutlookContact[]): OutlookContact[] {
  return [...contacts].sort((a, b) => {
    const sa = decodeSyncState(a.link?.syncState) ? 0 : 1;
    const sb = decodeSyncState(b.link?.syncState) ? 0 : 1;
    if (sa !== sb) return sa - sb;
    const ta = contactTime(a);
    const tb = contactTime(b);
    if (ta !== tb) return ta < tb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/**
 * The step for one selected person given the linked contact kept for it (or none).
 *
 * @example
 *   stepForPerson(personEntry({ person, partner }), undefined, fields, directions, null, now).kind // "create"
 */
export function stepForPerson(
  entry: PersonEntry,
  contact: OutlookContact | undefined,
  fields: MappedField[],
  directions: Partial<FieldDirections>,
  folderId: string | null,
  now: string,
): CreateStep | UpdateStep | UnchangedStep {
  const base = { crmId: entry.crmId, label: entry.label };
  const payload = (write: OutlookContactWrite): ExportPayload => ({
    record: entry.record,
    fields,
    crmVersion: entry.crmVersion,
    hasPhoto: entry.hasPhoto,
    write: { ...write, link: exportLink(entry.crmId, { ...entry, fields }, now) },
  });
  if (!contact) {
    return {
      ...base,
      kind: "create",
      reason: "new",
      outlookId: null,
      folderId,
      ...payload(outlookWriteFromRecord(entry.record, fields)),
    };
  }
  const current = recordFromOutlook(contact);
  const state = decodeSyncState(contact.link?.syncState);
  const changedFields = diffRecords(current, entry.record, fields);
  if (state) {
    const twoWayEdits = state.fields.filter(
      (field) =>
        directionOf(field, directions) === "two-way" &&
        fields.includes(field) &&
        (current[field] ?? null) !== (state.record[field] ?? null),
    );
    if (twoWayEdits.length > 0) {
      return { ...base, kind: "unchanged", reason: "pending-outlook-edits", outlookId: contact.id };
    }
    const contentEqual = recordHash(current, fields) === recordHash(entry.record, fields);
    if (state.crmVersion === entry.crmVersion && sameFieldSet(state.fields, fields) && contentEqual) {
      return { ...base, kind: "unchanged", reason: "up-to-date", outlookId: contact.id };
    }
  }
  const reason: ExportReason = !state
    ? "no-sync-state"
    : state.crmVersion !== entry.crmVersion
      ? "crm-changed"
      : !sameFieldSet(state.fields, fields)
        ? "fields-changed"
        : "outlook-changed";
  return {
    ...base,
    kind: "update",
    reason,
    outlookId: contact.id,
    changedFields,
    ...payload(outlookWriteFromRecord(entry.record, fields, contact)),
  };
}

function labelOf(contact: OutlookContact): string {
  return contact.displayName ?? displayNameOf(recordFromOutlook(contact)) ?? contact.id;
}

/** Builds the export plan (see the module comment for the rules). */
export function planExport(input: ExportPlanInput): ExportPlan {
  const { options, now } = input;
  const fields = activeFields(options.fieldDirections);
  const folderId = options.targetFolderId ?? null;

  const byCrmId = new Map<string, OutlookContact[]>();
  for (const contact of input.linked) {
    const crmId = contact.link?.crmId;
    if (!crmId) continue;
    const list = byCrmId.get(crmId) ?? [];
    list.push(contact);
    byCrmId.set(crmId, list);
  }

  const steps: ExportStep[] = [];
  const skipped: SkippedPerson[] = [];
  const duplicates: DuplicateLink[] = [];
  const seen = new Set<string>();
  /** The kept contact of a CRM id; extras become duplicate-link withdraws. */
  const keep = (crmId: string): OutlookContact | undefined => {
    const ranked = rankLinked(byCrmId.get(crmId) ?? []);
    const [kept, ...extra] = ranked;
    if (kept && extra.length > 0) {
      duplicates.push({ crmId, keptId: kept.id, withdrawnIds: extra.map((c) => c.id) });
      for (const contact of extra) {
        steps.push({
          kind: "withdraw",
          reason: "duplicate-link",
          crmId,
          outlookId: contact.id,
          label: labelOf(contact),
        });
      }
    }
    return kept;
  };

  for (const selection of input.selected) {
    const crmId = selection.person.id;
    if (seen.has(crmId)) continue;
    seen.add(crmId);
    const { status } = selection.person;
    if (status !== "active") {
      skipped.push({ crmId, label: personEntry(selection).label, reason: status });
      continue;
    }
    const kept = keep(crmId);
    steps.push(stepForPerson(personEntry(selection), kept, fields, options.fieldDirections, folderId, now));
  }

  for (const crmId of input.deselectedExported) {
    if (seen.has(crmId)) continue; // selected wins over deselected
    seen.add(crmId);
    const kept = keep(crmId);
    if (kept && options.withdrawDeselected) {
      steps.push({ kind: "withdraw", reason: "deselected", crmId, outlookId: kept.id, label: labelOf(kept) });
    }
  }

  const counts: Record<ExportStepKind, number> = { create: 0, update: 0, unchanged: 0, withdraw: 0 };
  for (const step of steps) counts[step.kind] += 1;
  return { steps, skipped, counts, duplicates, now };
}
