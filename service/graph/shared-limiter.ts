/**
 * The Outlook limits of one mailbox honoured across every worker process (Graph: at most 4
 * requests in flight and 10,000 per 10 minutes, per app and mailbox; FIDELITY 20):
 * - in flight: the adapter's local semaphore (4). Only one worker runs a mailbox at a time (the
 *   mailbox lock in mailbox-job.ts), so the local limit is the mailbox's limit.
 * - the quota: counted in PostgreSQL per mailbox and minute (table graph_quota), summed over the
 *   sliding window. Workers reserve permits in small chunks (one round trip per `chunk` requests);
 *   when the window is used up, requests wait until the oldest minute leaves the window.
 *
 * @example
 *   const limiter = createSharedLimiter({ pool, mailboxId, quota: 10_000, windowSeconds: 600 });
 *   createGraphContactStore({ ..., limiter });
 */
import type { Pool } from "pg";
import { createLimiter, type Limiter } from "../../src/adapters/graph/graph-client";

export interface SharedLimiterOptions {
  pool: Pool;
  mailboxId: string;
  quota: number;
  windowSeconds: number;
  maxInFlight?: number;
  /** Permits reserved per round trip (default 20). */
  chunk?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Reserves up to `want` permits of the mailbox's window; returns how many were granted (0 = the
 * window is full) and, when 0, how long until a bucket leaves the window.
 */
export async function reserveQuota(
  pool: Pool,
  mailboxId: string,
  want: number,
  quota: number,
  windowSeconds: number,
): Promise<{ granted: number; retryInMs: number }> {
  const bucketSeconds = Math.max(1, Math.min(60, Math.floor(windowSeconds / 10)));
  // One transaction: the lock first, then (READ COMMITTED) every later statement sees the
  // reservations committed by the workers that held the lock before.
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext('graph-quota:' || $1))", [mailboxId]);
    const { rows } = await client.query<{ n: number; oldest: Date | null; bucket: Date }>(
      `WITH bucket AS (SELECT to_timestamp(floor(extract(epoch FROM clock_timestamp()) / $2) * $2) AS b)
       SELECT COALESCE(SUM(q.used), 0)::int AS n, MIN(q.minute) AS oldest, (SELECT b FROM bucket) AS bucket
       FROM graph_quota q, bucket WHERE q.mailbox_id = $1 AND q.minute > bucket.b - make_interval(secs => $3)`,
      [mailboxId, bucketSeconds, windowSeconds],
    );
    const used = rows[0]?.n ?? 0;
    const granted = Math.max(0, Math.min(want, quota - used));
    if (granted > 0)
      await client.query(
        `INSERT INTO graph_quota (mailbox_id, minute, used) VALUES ($1, $2, $3)
         ON CONFLICT (mailbox_id, minute) DO UPDATE SET used = graph_quota.used + EXCLUDED.used`,
        [mailboxId, rows[0].bucket, granted],
      );
    await client.query("COMMIT");
    const oldest = rows[0]?.oldest?.getTime() ?? Date.now();
    const retryInMs = Math.max(100, oldest + (windowSeconds + bucketSeconds) * 1000 - Date.now());
    return { granted, retryInMs };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export function createSharedLimiter(options: SharedLimiterOptions): Limiter {
  const local = createLimiter(options.maxInFlight ?? 4);
  const chunk = Math.max(1, Math.min(options.chunk ?? 20, options.quota));
  let permits = 0;
  let refill: Promise<void> | null = null;

  async function take(weight: number): Promise<void> {
    for (;;) {
      if (permits >= weight) {
        permits -= weight;
        return;
      }
      if (!refill) {
        refill = (async () => {
          const want = Math.max(chunk, weight - permits);
          const r = await reserveQuota(
            options.pool,
            options.mailboxId,
            want,
            options.quota,
            options.windowSeconds,
          );
          if (r.granted > 0) permits += r.granted;
          else await sleep(Math.min(r.retryInMs, 60_000));
        })().finally(() => {
          refill = null;
        });
      }
      await refill;
    }
  }

  return {
    run<T>(weight: number, fn: () => Promise<T>): Promise<T> {
      return local.run(weight, async () => {
        // The quota counts every batch member, not only the in-flight permits.
        await take(Math.max(1, Math.min(options.quota, weight)));
        return fn();
      });
    },
  };
}
