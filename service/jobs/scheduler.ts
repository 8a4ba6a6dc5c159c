/**
 * The schedule: every worker ticks every few seconds; a tick queues the mailboxes that are due
 * and moves each one's `next_run_at` to its next staggered slot, in one transaction with
 * `FOR UPDATE SKIP LOCKED`, so however many workers tick, each due slot is queued once. A parked
 * mailbox's next slot is its slow retry (set when it was parked), not the interval.
 *
 * @example
 *   const queued = await scheduleDue(pool, boss, 5 * 60_000);
 */
import type { Pool } from "pg";
import { nextSlot } from "../db/mailboxes";
import { queueMailbox, type Boss } from "./queue";

/** Run rows are kept this long (docs/service.md, "Data kept"). */
export const RUN_RETENTION_DAYS = 14;

/** Deletes run rows past their retention and quota buckets that left the window. */
export async function pruneOldRows(pool: Pool, quotaWindowSeconds: number): Promise<void> {
  await pool.query("DELETE FROM sync_run WHERE started_at < now() - make_interval(days => $1)", [
    RUN_RETENTION_DAYS,
  ]);
  await pool.query("DELETE FROM graph_quota WHERE minute < now() - make_interval(secs => $1)", [
    quotaWindowSeconds * 2,
  ]);
}

export async function scheduleDue(pool: Pool, boss: Boss, intervalMs: number, limit = 500): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ mailbox_id: string; slot_ms: string; now_ms: string }>(
      `SELECT mailbox_id, (extract(epoch FROM next_run_at) * 1000)::bigint AS slot_ms,
              (extract(epoch FROM now()) * 1000)::bigint AS now_ms
       FROM sync_mailbox WHERE active AND next_run_at <= now()
       ORDER BY next_run_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    const db = {
      executeSql: async (text: string, values: unknown[]) => ({
        rows: (await client.query(text, values)).rows as unknown[],
      }),
    };
    for (const row of rows) {
      await queueMailbox(boss, row.mailbox_id, "schedule", { db, slot: Number(row.slot_ms) });
      const now = Number(row.now_ms);
      await client.query(
        "UPDATE sync_mailbox SET next_run_at = to_timestamp($2 / 1000.0) WHERE mailbox_id = $1",
        [row.mailbox_id, nextSlot(row.mailbox_id, intervalMs, now)],
      );
    }
    await client.query("COMMIT");
    return rows.length;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
