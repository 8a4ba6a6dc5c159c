/**
 * The sync log: the last 50 runs, kept in the device-local store (key `sync.log`), newest first.
 * Each entry holds the counts and the details of every conflict (field, both values, winner),
 * overwritten Outlook edit, delete, unlink and failure, so no value is ever lost silently.
 *
 * @example
 *   await appendSyncLog(localStore, entry);
 *   (await readSyncLog(localStore))[0].counts.updatedOutlook; // 3
 */
import { z } from "zod";
import type { AppErrorCode } from "../core/errors";
import type { ConflictRule } from "../core/model";
import type { DeleteReason, OverwrittenEdit, SyncConflict } from "../core/plans/sync-plan";
import type { SettingsStore } from "../core/ports";

export const SYNC_LOG_KEY = "sync.log";
export const SYNC_LOG_MAX = 50;
/** Details kept per list and run (the counts stay exact), so 50 runs fit the device's storage. */
export const SYNC_LOG_MAX_DETAILS = 1000;

/** "service": a background run of the sync service (service/). */
export type SyncTrigger = "open" | "manual" | "after-export" | "after-import" | "service";

export interface SyncCounts {
  updatedOutlook: number;
  updatedCrm: number;
  conflicts: number;
  overwritten: number;
  unlinked: number;
  deleted: number;
  failed: number;
}

export interface SyncLogConflict extends SyncConflict {
  crmId: string;
  name: string;
}

export interface SyncLogOverwritten extends OverwrittenEdit {
  crmId: string;
  name: string;
}

export interface SyncLogFailure {
  crmId: string;
  name: string;
  action: "update-crm" | "update-outlook" | "delete-outlook" | "photo";
  code: AppErrorCode;
  message: string;
}

export interface SyncLogEntry {
  id: string;
  startedAt: string;
  finishedAt: string;
  trigger: SyncTrigger;
  counts: SyncCounts;
  conflicts: SyncLogConflict[];
  overwritten: SyncLogOverwritten[];
  failures: SyncLogFailure[];
  deleted: { crmId: string; name: string; reason: DeleteReason }[];
  unlinked: { crmId: string; name: string }[];
  /** The user cancelled: what was done is counted, the rest is left for the next run. */
  cancelled: boolean;
  /** The run failed as a whole (e.g. the CRM could not be reached). */
  error?: { code: AppErrorCode; message: string };
}

export function emptyCounts(): SyncCounts {
  return {
    updatedOutlook: 0,
    updatedCrm: 0,
    conflicts: 0,
    overwritten: 0,
    unlinked: 0,
    deleted: 0,
    failed: 0,
  };
}

const nullableText = z.string().nullable();
const rule = z.enum(["crm-wins", "outlook-wins", "newest-wins"]) satisfies z.ZodType<ConflictRule>;
const entrySchema = z.object({
  id: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  trigger: z.enum(["open", "manual", "after-export", "after-import", "service"]),
  counts: z.object({
    updatedOutlook: z.number(),
    updatedCrm: z.number(),
    conflicts: z.number(),
    overwritten: z.number(),
    unlinked: z.number(),
    deleted: z.number(),
    failed: z.number(),
  }),
  conflicts: z.array(
    z.object({
      crmId: z.string(),
      name: z.string(),
      field: z.string(),
      crmValue: nullableText,
      outlookValue: nullableText,
      baseValue: nullableText,
      winner: z.enum(["crm", "outlook"]),
      rule,
    }),
  ),
  overwritten: z.array(
    z.object({
      crmId: z.string(),
      name: z.string(),
      field: z.string(),
      crmValue: nullableText,
      outlookValue: nullableText,
      reason: z.enum(["crm-leads", "first-sync"]),
    }),
  ),
  failures: z.array(
    z.object({
      crmId: z.string(),
      name: z.string(),
      action: z.enum(["update-crm", "update-outlook", "delete-outlook", "photo"]),
      code: z.string(),
      message: z.string(),
    }),
  ),
  deleted: z.array(
    z.object({
      crmId: z.string(),
      name: z.string(),
      reason: z.enum(["deleted-in-crm", "inactive-in-crm", "missing-in-crm"]),
    }),
  ),
  unlinked: z.array(z.object({ crmId: z.string(), name: z.string() })),
  cancelled: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

/** The stored runs, newest first; entries that do not parse (older formats) are dropped. */
export async function readSyncLog(store: SettingsStore): Promise<SyncLogEntry[]> {
  // Unreadable (corrupt JSON) = an empty log; the next run's entry replaces it.
  const raw = await store.read(SYNC_LOG_KEY).catch(() => undefined);
  if (!Array.isArray(raw)) return [];
  const entries: SyncLogEntry[] = [];
  for (const item of raw) {
    const parsed = entrySchema.safeParse(item);
    // Field names and codes were written by this module; the schema checks the shape.
    if (parsed.success) entries.push(parsed.data as SyncLogEntry);
  }
  return entries;
}

/**
 * Prepends `entry` (details capped at 1,000 per list) and keeps the newest 50 runs. When the
 * device's storage is full, the oldest runs are dropped until the new one fits.
 */
export async function appendSyncLog(store: SettingsStore, entry: SyncLogEntry): Promise<void> {
  const entries = await readSyncLog(store);
  const cap = <T>(list: T[]): T[] => list.slice(0, SYNC_LOG_MAX_DETAILS);
  const stored: SyncLogEntry = {
    ...entry,
    conflicts: cap(entry.conflicts),
    overwritten: cap(entry.overwritten),
    failures: cap(entry.failures),
    deleted: cap(entry.deleted),
    unlinked: cap(entry.unlinked),
  };
  let keep = Math.min(entries.length, SYNC_LOG_MAX - 1);
  for (;;) {
    try {
      await store.write(SYNC_LOG_KEY, [stored, ...entries.slice(0, keep)]);
      return;
    } catch (error) {
      if (keep === 0) throw error;
      keep = Math.floor(keep / 2); // quota: make room by dropping the oldest runs
    }
  }
}
