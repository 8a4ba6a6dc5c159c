/**
 * The sync runner's device-local memory (key `sync.cache`): the Graph delta link per contact
 * folder, the linked Outlook contacts as last read (so a run reads only what changed), and the
 * business partners with the time they were read. Losing it is harmless: the next run reads
 * everything again (first-run cost). A cache that cannot be stored (quota) is dropped.
 *
 * @example
 *   const cache = await readSyncCache(localStore); // null on the first run on this device
 */
import { z } from "zod";
import type { BusinessPartner, OutlookContact } from "../core/model";
import type { SettingsStore } from "../core/ports";

export const SYNC_CACHE_KEY = "sync.cache";

export interface CachedContact extends OutlookContact {
  /** The change key at which this contact was last reconciled (null = not yet on this device). */
  reconciledChangeKey: string | null;
}

export interface SyncCache {
  v: 1;
  deltaLinks: Record<string, string>;
  contacts: Record<string, CachedContact>;
  partners: Record<string, { partner: BusinessPartner; fetchedAt: string }>;
}

const cacheSchema = z.object({
  v: z.literal(1),
  deltaLinks: z.record(z.string(), z.string()),
  contacts: z.record(
    z.string(),
    z
      .object({
        id: z.string(),
        changeKey: z.string(),
        parentFolderId: z.string(),
        link: z.object({ crmId: z.string(), syncState: z.string().nullable() }).nullable(),
        emailAddresses: z.array(z.object({ address: z.string() }).loose()),
        businessPhones: z.array(z.string()),
        homePhones: z.array(z.string()),
        businessAddress: z.object({}).loose(),
        reconciledChangeKey: z.string().nullable(),
      })
      .loose(),
  ),
  partners: z.record(
    z.string(),
    z.object({
      partner: z.object({ id: z.string(), name: z.string(), address: z.object({}).loose() }).loose(),
      fetchedAt: z.string(),
    }),
  ),
});

export async function readSyncCache(store: SettingsStore): Promise<SyncCache | null> {
  // Unreadable (corrupt JSON) = no cache: a full round, and the next write replaces it.
  const raw = await store.read(SYNC_CACHE_KEY).catch(() => undefined);
  const parsed = cacheSchema.safeParse(raw);
  // The shape is checked above; the rest of each contact was written by this module from the port.
  return parsed.success ? (parsed.data as unknown as SyncCache) : null;
}

export async function writeSyncCache(store: SettingsStore, cache: SyncCache): Promise<void> {
  try {
    await store.write(SYNC_CACHE_KEY, cache);
  } catch (error) {
    // Too big for this device's storage: forget it; the next run reads everything again.
    await store.write(SYNC_CACHE_KEY, undefined).catch(() => {
      throw error;
    });
  }
}
