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
  const { rows } = await pool.query<{ granted: number; retry_ms: number }>(
    `WITH lock AS (SELECT pg_advisory_xact_lock(hashtext('graph-quota:' || $1))),
     bucket AS (SELECT to_timestamp(floor(extract(epoch FROM clock_timestamp()) / $5) * $5) AS b FROM lock),
     used AS (
       SELECT COALESCE(SUM(used), 0)::int AS n, MIN(minute) AS oldest FROM graph_quota, bucket
       WHERE mailbox_id = $1 AND minute > bucket.b - make_interval(secs => $4)
     ),
     grant_n AS (SELECT GREATEST(0, LEAST($2::int, $3::int - used.n)) AS g, used.oldest FROM used),
     ins AS (
       INSERT INTO graph_quota (mailbox_id, minute, used)
       SELECT $1, bucket.b, grant_n.g FROM bucket, grant_n WHERE grant_n.g > 0
       ON CONFLICT (mailbox_id, minute) DO UPDATE SET used = graph_quota.used + EXCLUDED.used
     )
     SELECT grant_n.g AS granted,
       GREATEST(100, COALESCE(extract(epoch FROM (grant_n.oldest + make_interval(secs => $4 + $5) - clock_timestamp())) * 1000, 1000))::int AS retry_ms
     FROM grant_n`,
    [mailboxId, want, quota, windowSeconds, bucketSeconds],
  );
  return { granted: rows[0]?.granted ?? 0, retryInMs: rows[0]?.retry_ms ?? 1000 };
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
