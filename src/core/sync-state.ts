/**
 * The last synchronised state of a linked contact, stored on the Outlook contact (extended
 * property "CrmSyncState", see the Graph adapter) as compact JSON. It is the base of the three-way
 * comparison: what both sides looked like when they last agreed.
 *
 * @example
 *   const raw = encodeSyncState({ v: 1, crmVersion: "v7", syncedAt: "2026-11-25T10:00:00Z",
 *     record, fields: ["firstName", "lastName"], photoHash: null });
 *   decodeSyncState(raw)?.crmVersion // "v7"
 *   decodeSyncState("garbage")       // null (treated as never synced)
 */
import { z } from "zod";
import { mappedFields, type MappedField, type MappedRecord } from "./mapping";

export interface SyncState {
  v: 1;
  /** CRM version at the last sync. */
  crmVersion: string;
  /** ISO timestamp of the last sync. */
  syncedAt: string;
  /** The agreed values of the synchronised fields. */
  record: MappedRecord;
  /** Which fields were synchronised (others are not compared). */
  fields: MappedField[];
  /** Hash (core/hash `hashBytes`) of the CRM's photo both sides agreed on, or null for none. */
  photoHash: string | null;
  /**
   * Hash of the photo as Outlook holds it (read back after the upload: Outlook re-encodes photos,
   * so its bytes differ from the CRM's). Absent = the same as `photoHash` (older states, imports).
   */
  outlookPhotoHash?: string | null;
}

const fieldEnum = z.enum(mappedFields);
const compactSchema = z.object({
  v: z.literal(1),
  cv: z.string().min(1),
  at: z.string().min(1),
  r: z.record(z.string(), z.string()),
  f: z.array(fieldEnum),
  ph: z.string().nullable().optional(),
  oph: z.string().nullable().optional(),
});

/** Compact JSON: nulls are omitted, keys shortened (the property travels with every contact). */
export function encodeSyncState(state: SyncState): string {
  const r: Record<string, string> = {};
  for (const field of state.fields) {
    const value = state.record[field];
    if (value !== null && value !== undefined) r[field] = value;
  }
  return JSON.stringify({
    v: 1,
    cv: state.crmVersion,
    at: state.syncedAt,
    r,
    f: state.fields,
    ph: state.photoHash,
    ...(state.outlookPhotoHash !== undefined && state.outlookPhotoHash !== state.photoHash
      ? { oph: state.outlookPhotoHash }
      : {}),
  });
}

/** Null for missing, malformed or unknown-version input (the contact is then treated as never synced). */
export function decodeSyncState(raw: string | null | undefined): SyncState | null {
  if (!raw) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null; // malformed JSON on a contact = no usable base; the sync plan treats it as first sync
  }
  const parsed = compactSchema.safeParse(json);
  if (!parsed.success) return null;
  const record = {} as MappedRecord;
  for (const field of mappedFields) record[field] = parsed.data.r[field] ?? null;
  return {
    v: 1,
    crmVersion: parsed.data.cv,
    syncedAt: parsed.data.at,
    record,
    fields: parsed.data.f,
    photoHash: parsed.data.ph ?? null,
    ...(parsed.data.oph !== undefined ? { outlookPhotoHash: parsed.data.oph } : {}),
  };
}
