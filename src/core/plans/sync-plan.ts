/**
 * The sync plan: keeps linked contacts current with a three-way comparison per field against the
 * last synchronised state kept on the Outlook contact (core/sync-state). Pure data in, data out;
 * the sync runner (src/app/sync-runner.ts) applies it through the ports.
 *
 * Per linked contact and per active field (direction not "none"):
 * - both sides equal                       -> nothing
 * - no usable state for the field          -> first sync: the CRM wins (Outlook value listed as overwritten)
 * - only the CRM changed                   -> Outlook update
 * - only Outlook changed, field two-way    -> CRM patch (If-Match the person's version)
 * - only Outlook changed, CRM leads        -> Outlook overwritten, the Outlook edit listed
 * - both changed, field two-way            -> conflict, resolved by the rule and listed (both values, winner)
 * - both changed, CRM leads                -> Outlook overwritten, the Outlook edit listed
 * A person deleted, inactive or missing in the CRM deletes its Outlook contact (Deleted Items);
 * a contact deleted in Outlook only ends its replication ("unlink": the CRM person is never touched
 * and never re-created in Outlook). There is no step type that deletes or creates a CRM record.
 * Photos travel both ways by content hash (removals are not propagated).
 *
 * @example
 *   const plan = planSync({ pairs, removedInOutlook: [], directions, conflictRule: "crm-wins", now });
 *   if (plan.needsConfirmation) askUser(plan.steps.filter((s) => s.kind === "delete"));
 */
import {
  activeFields,
  clean,
  cleanDate,
  crmPatchFromRecord,
  crmWritableFields,
  diffRecords,
  directionOf,
  displayNameOf,
  mappedFields,
  outlookWriteFromRecord,
  pickFields,
  recordFromCrm,
  recordFromOutlook,
  type FieldDirections,
  type MappedField,
  type MappedRecord,
} from "../mapping";
import type {
  BusinessPartner,
  ConflictRule,
  ContactPerson,
  ContactPersonPatch,
  OutlookContact,
  OutlookContactWrite,
} from "../model";
import { decodeSyncState, type SyncState } from "../sync-state";

/** Mass-delete guard: a run deleting more than this many contacts ... */
export const MASS_DELETE_MIN_COUNT = 10;
/** ... and more than this share of the linked ones stops until the user confirms. */
export const MASS_DELETE_MIN_SHARE = 0.2;

/** Company name and business address: owned by the business partner, not the person. */
const partnerFields = mappedFields.filter((field) => !crmWritableFields.has(field));

export interface SyncPair {
  /** A linked Outlook contact (`link` not null). */
  contact: OutlookContact;
  /** The CRM person of `contact.link.crmId`; null = missing in the CRM. */
  person: ContactPerson | null;
  /**
   * The person's business partner (company fields); null when unknown (could not be read): the
   * company fields then keep their last agreed values (or Outlook's), never blanked.
   */
  partner: BusinessPartner | null;
  /**
   * Photo content hashes (core/hash `hashBytes`) when the runner read them; `undefined` = not read
   * (treated as unchanged since the last sync); `null` = no photo.
   */
  crmPhotoHash?: string | null;
  outlookPhotoHash?: string | null;
}

export interface SyncPlanInput {
  pairs: SyncPair[];
  /** Linked contacts that disappeared from Outlook (deleted by the user) and are in no folder any more. */
  removedInOutlook: { crmId: string; name?: string | null }[];
  directions: Partial<FieldDirections>;
  conflictRule: ConflictRule;
  /** ISO timestamp of this run (stored as `syncedAt`). */
  now: string;
}

export type SyncSide = "crm" | "outlook";
export type PhotoField = "photo";

/** A field changed on both sides (two-way); the loser's value is kept here so nothing is silently lost. */
export interface SyncConflict {
  field: MappedField | PhotoField;
  crmValue: string | null;
  outlookValue: string | null;
  baseValue: string | null;
  winner: SyncSide;
  rule: ConflictRule;
}

/** An Outlook edit that the CRM overwrote (CRM leads, or first sync without a base). */
export interface OverwrittenEdit {
  field: MappedField;
  outlookValue: string | null;
  crmValue: string | null;
  reason: "crm-leads" | "first-sync";
}

export type PhotoAction = "none" | "to-outlook" | "to-crm";

export interface SyncUpdateStep {
  kind: "update";
  contactId: string;
  crmId: string;
  /** Display name for the log ("First Last"). */
  name: string;
  /** Fields written to Outlook (empty = only the sync state is written). */
  outlookFields: MappedField[];
  /** The Outlook field write, without the link (the runner adds the link with the final state). */
  outlookWrite: OutlookContactWrite;
  /** CRM patch (two-way fields only) or null. */
  crmPatch: ContactPersonPatch | null;
  crmFields: MappedField[];
  /** Version the CRM patch must match (If-Match). */
  ifMatch: string;
  photo: PhotoAction;
  conflicts: SyncConflict[];
  overwritten: OverwrittenEdit[];
  /** The new last-synchronised state (the runner sets crmVersion to the version after its patch). */
  state: SyncState;
  /** No usable state was found: treated as a first sync. */
  firstSync: boolean;
}

export type DeleteReason = "deleted-in-crm" | "inactive-in-crm" | "missing-in-crm";

export interface SyncDeleteStep {
  kind: "delete";
  contactId: string;
  crmId: string;
  name: string;
  reason: DeleteReason;
}

export interface SyncUnlinkStep {
  kind: "unlink";
  crmId: string;
  name: string;
}

export type SyncStep = SyncUpdateStep | SyncDeleteStep | SyncUnlinkStep;

export interface SyncPlan {
  steps: SyncStep[];
  /** Linked contacts considered (for the guard's share). */
  linkedCount: number;
  deleteCount: number;
  /** The mass-delete guard: apply only after the user confirmed the deletes. */
  needsConfirmation: boolean;
}

/** True when a run deleting `deletes` of `linked` contacts must stop and ask. */
export function exceedsMassDeleteGuard(deletes: number, linked: number): boolean {
  return deletes > MASS_DELETE_MIN_COUNT && deletes > linked * MASS_DELETE_MIN_SHARE;
}

function winnerByRule(rule: ConflictRule, person: ContactPerson, contact: OutlookContact): SyncSide {
  if (rule === "outlook-wins") return "outlook";
  if (rule === "crm-wins") return "crm";
  const crmTime = Date.parse(person.updatedAt);
  const outlookTime = contact.lastModifiedDateTime ? Date.parse(contact.lastModifiedDateTime) : Number.NaN;
  if (Number.isNaN(outlookTime)) return "crm";
  if (Number.isNaN(crmTime)) return "outlook";
  return outlookTime > crmTime ? "outlook" : "crm"; // a tie goes to the CRM
}

function normalisedRecord(record: MappedRecord): MappedRecord {
  const out = {} as MappedRecord;
  for (const field of mappedFields) {
    const value = record[field];
    out[field] =
      field === "birthday" ? cleanDate(value) : clean(value, field === "notes" || field === "street");
  }
  return out;
}

function nameOf(record: MappedRecord, fallback: string): string {
  return displayNameOf(record) ?? fallback;
}

interface PhotoDecision {
  action: PhotoAction;
  /** The CRM-side hash of the agreed photo. */
  hash: string | null;
  /** The Outlook-side hash; undefined = the same as `hash` (or, after an upload, what Outlook holds). */
  outlookHash?: string | null;
  conflict: SyncConflict | null;
}

function planPhoto(
  pair: SyncPair,
  state: SyncState | null,
  rule: ConflictRule,
  person: ContactPerson,
): PhotoDecision {
  // Each side is compared with its own base: Outlook holds a re-encoded copy of the CRM's photo.
  const base = state?.photoHash ?? null;
  const outlookBase = state?.outlookPhotoHash !== undefined ? state.outlookPhotoHash : base;
  const crm = pair.crmPhotoHash === undefined ? base : pair.crmPhotoHash;
  const outlook = pair.outlookPhotoHash === undefined ? outlookBase : pair.outlookPhotoHash;
  if (state && crm === base && outlook === outlookBase)
    return { action: "none", hash: base, outlookHash: outlookBase, conflict: null };
  if (crm === outlook) return { action: "none", hash: crm, conflict: null };
  if (!state) {
    // First sync: the CRM's photo wins when it has one; otherwise keep Outlook's.
    return crm !== null
      ? { action: "to-outlook", hash: crm, conflict: null }
      : { action: "none", hash: outlook, conflict: null };
  }
  const crmNew = crm !== null && crm !== base;
  const outlookNew = outlook !== null && outlook !== outlookBase;
  if (crmNew && !outlookNew) return { action: "to-outlook", hash: crm, conflict: null };
  if (outlookNew && !crmNew) return { action: "to-crm", hash: outlook, conflict: null };
  if (crmNew && outlookNew) {
    const winner = winnerByRule(rule, person, pair.contact);
    return {
      action: winner === "crm" ? "to-outlook" : "to-crm",
      hash: winner === "crm" ? crm : outlook,
      conflict: { field: "photo", crmValue: crm, outlookValue: outlook, baseValue: base, winner, rule },
    };
  }
  // A removal on one side: not propagated (no photo delete in either API); keep the base.
  return { action: "none", hash: base, outlookHash: outlookBase, conflict: null };
}

function planPair(pair: SyncPair, input: SyncPlanInput, fields: MappedField[]): SyncStep | null {
  const { contact, person } = pair;
  const crmId = contact.link?.crmId ?? "";
  const outlook = recordFromOutlook(contact);
  if (!person || person.status !== "active") {
    const reason: DeleteReason = !person
      ? "missing-in-crm"
      : person.status === "deleted"
        ? "deleted-in-crm"
        : "inactive-in-crm";
    return { kind: "delete", contactId: contact.id, crmId, name: nameOf(outlook, crmId), reason };
  }
  const state = decodeSyncState(contact.link?.syncState);
  const known = new Set(state?.fields ?? []);
  // The base as the mapping normalises values (a state written by an older version may hold raw ones).
  const baseRecord = state ? normalisedRecord(state.record) : null;
  const crm = recordFromCrm(person, pair.partner);
  if (!pair.partner) {
    // The partner could not be read: its fields keep the agreed value (else Outlook's), never blanked.
    for (const field of partnerFields)
      crm[field] = baseRecord && known.has(field) ? baseRecord[field] : outlook[field];
  }
  const merged: MappedRecord = { ...crm };
  const conflicts: SyncConflict[] = [];
  const overwritten: OverwrittenEdit[] = [];

  for (const field of fields) {
    const crmValue = crm[field];
    const outlookValue = outlook[field];
    if (crmValue === outlookValue) continue;
    if (!baseRecord || !known.has(field)) {
      overwritten.push({ field, outlookValue, crmValue, reason: "first-sync" });
      continue; // merged already holds the CRM value
    }
    const base = baseRecord[field];
    const crmChanged = crmValue !== base;
    const outlookChanged = outlookValue !== base;
    const twoWay = directionOf(field, input.directions) === "two-way";
    // The CRM requires a last name: an Outlook edit that blanks it cannot travel.
    const outlookCanWrite = twoWay && !(field === "lastName" && outlookValue === null);
    if (crmChanged && !outlookChanged) continue; // CRM value goes to Outlook
    if (outlookChanged && !crmChanged) {
      if (outlookCanWrite) merged[field] = outlookValue;
      else overwritten.push({ field, outlookValue, crmValue, reason: "crm-leads" });
      continue;
    }
    // Both changed to different values.
    if (!outlookCanWrite) {
      overwritten.push({ field, outlookValue, crmValue, reason: "crm-leads" });
      continue;
    }
    const winner = winnerByRule(input.conflictRule, person, contact);
    if (winner === "outlook") merged[field] = outlookValue;
    conflicts.push({ field, crmValue, outlookValue, baseValue: base, winner, rule: input.conflictRule });
  }

  const photo = planPhoto(pair, state, input.conflictRule, person);
  if (photo.conflict) conflicts.push(photo.conflict);

  const outlookFields = diffRecords(outlook, merged, fields);
  const crmFields = diffRecords(crm, merged, fields);
  const stateRecord = pickFields(merged, fields);
  const stateCurrent =
    state !== null &&
    fields.every((field) => known.has(field)) &&
    diffRecords(state.record, stateRecord, fields).length === 0 &&
    state.photoHash === photo.hash &&
    (state.outlookPhotoHash ?? state.photoHash) === (photo.outlookHash ?? photo.hash);
  if (outlookFields.length === 0 && crmFields.length === 0 && photo.action === "none" && stateCurrent) {
    return null;
  }
  const crmPatch = crmFields.length > 0 ? crmPatchFromRecord(merged, crmFields) : null;
  return {
    kind: "update",
    contactId: contact.id,
    crmId,
    name: nameOf(merged, crmId),
    outlookFields,
    outlookWrite: outlookFields.length > 0 ? outlookWriteFromRecord(merged, outlookFields, contact) : {},
    crmPatch,
    crmFields,
    ifMatch: person.version,
    photo: photo.action,
    conflicts,
    overwritten,
    state: {
      v: 1,
      crmVersion: person.version,
      syncedAt: input.now,
      record: stateRecord,
      fields,
      photoHash: photo.hash,
      ...(photo.outlookHash !== undefined ? { outlookPhotoHash: photo.outlookHash } : {}),
    },
    firstSync: state === null,
  };
}

/**
 * Plans one sync run. Deterministic: the same input gives the same plan; applying it and planning
 * again (with the applied values) gives no steps.
 *
 * @example
 *   planSync({ pairs: [{ contact, person, partner }], removedInOutlook: [{ crmId: "cp-9" }],
 *     directions: { phones: "two-way" }, conflictRule: "crm-wins", now: "2026-11-25T12:00:00Z" })
 *   // -> { steps: [{ kind: "update", ... }, { kind: "unlink", crmId: "cp-9", ... }], needsConfirmation: false, ... }
 */
export function planSync(input: SyncPlanInput): SyncPlan {
  const fields = activeFields(input.directions);
  const steps: SyncStep[] = [];
  for (const pair of input.pairs) {
    if (!pair.contact.link) continue;
    const step = planPair(pair, input, fields);
    if (step) steps.push(step);
  }
  for (const removed of input.removedInOutlook) {
    steps.push({ kind: "unlink", crmId: removed.crmId, name: removed.name ?? removed.crmId });
  }
  const linkedCount = input.pairs.filter((pair) => pair.contact.link).length;
  const deleteCount = steps.filter((step) => step.kind === "delete").length;
  return {
    steps,
    linkedCount,
    deleteCount,
    needsConfirmation: exceedsMassDeleteGuard(deleteCount, linkedCount),
  };
}
