/**
 * The `SettingsStore` port on PostgreSQL (table sync_store), one instance per mailbox and scope:
 * "settings" holds the user's sync settings (what the pane keeps in roaming settings), "local"
 * what the pane keeps on the device (the sync cache with delta links, the sync log, last run).
 * So the service runs the same runners (src/app) as the pane, only with other stores.
 *
 * @example
 *   const local = createPgSettingsStore(pool, "3f2c…", "local");
 *   await runSync({ ..., localStore: local, settings: createPgSettingsStore(pool, "3f2c…", "settings") });
 */
import type { Pool } from "pg";
import { AppError } from "../../src/core/errors";
import type { SettingsStore } from "../../src/core/ports";

export type StoreScope = "settings" | "local";

export function createPgSettingsStore(pool: Pool, mailboxId: string, scope: StoreScope): SettingsStore {
  return {
    async read(key) {
      try {
        const { rows } = await pool.query<{ value: unknown }>(
          "SELECT value FROM sync_store WHERE mailbox_id = $1 AND scope = $2 AND key = $3",
          [mailboxId, scope, key],
        );
        return rows[0]?.value;
      } catch (error) {
        throw new AppError("server", "The service database could not be read.", { cause: error });
      }
    },
    async write(key, value) {
      try {
        if (value === undefined) {
          await pool.query("DELETE FROM sync_store WHERE mailbox_id = $1 AND scope = $2 AND key = $3", [
            mailboxId,
            scope,
            key,
          ]);
          return;
        }
        await pool.query(
          `INSERT INTO sync_store (mailbox_id, scope, key, value) VALUES ($1, $2, $3, $4::jsonb)
           ON CONFLICT (mailbox_id, scope, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
          [mailboxId, scope, key, JSON.stringify(value)],
        );
      } catch (error) {
        throw new AppError("server", "The service database could not be written.", { cause: error });
      }
    },
  };
}
