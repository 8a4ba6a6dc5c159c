/**
 * Enrolled mailboxes (table sync_mailbox): enrollment, the schedule (staggered per mailbox over
 * the interval), each run's result, parking after token/permission failures.
 *
 * @example
 *   await enrollMailboxes(pool, [{ mailboxId: oid, upn }], "self", intervalMs);
 *   await listMailboxes(pool); // the admin view's rows
 */
import { createHash } from "node:crypto";
import type { Pool, PoolClient } from "pg";
import type { SyncCounts } from "../../src/app/sync-log";

export interface MailboxRow {
  mailboxId: string;
  upn: string | null;
  enrolledBy: string;
  enrolledAt: string;
  active: boolean;
  nextRunAt: string;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastStatus: string | null;
  lastCounts: SyncCounts | null;
  lastError: { code: string; message: string } | null;
  consecutiveFailures: number;
  parkedReason: string | null;
  parkedAt: string | null;
  runs: number;
}

interface DbRow {
  mailbox_id: string;
  upn: string | null;
  enrolled_by: string;
  enrolled_at: Date;
  active: boolean;
  next_run_at: Date;
  last_started_at: Date | null;
  last_finished_at: Date | null;
  last_status: string | null;
  last_counts: SyncCounts | null;
  last_error: { code: string; message: string } | null;
  consecutive_failures: number;
  parked_reason: string | null;
  parked_at: Date | null;
  runs: number;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function toRow(r: DbRow): MailboxRow {
  return {
    mailboxId: r.mailbox_id,
    upn: r.upn,
    enrolledBy: r.enrolled_by,
    enrolledAt: r.enrolled_at.toISOString(),
    active: r.active,
    nextRunAt: r.next_run_at.toISOString(),
    lastStartedAt: iso(r.last_started_at),
    lastFinishedAt: iso(r.last_finished_at),
    lastStatus: r.last_status,
    lastCounts: r.last_counts,
    lastError: r.last_error,
    consecutiveFailures: r.consecutive_failures,
    parkedReason: r.parked_reason,
    parkedAt: iso(r.parked_at),
    runs: r.runs,
  };
}

/** The mailbox's fixed offset within the interval (so runs spread evenly, the same every round). */
export function staggerOffsetMs(mailboxId: string, intervalMs: number): number {
  const h = createHash("sha256").update(mailboxId).digest().readUInt32BE(0);
  return h % Math.max(1, Math.floor(intervalMs));
}

/** The first slot of this mailbox after `now` (its offset within the interval). */
export function nextSlot(mailboxId: string, intervalMs: number, now: number): number {
  const offset = staggerOffsetMs(mailboxId, intervalMs);
  let slot = Math.floor(now / intervalMs) * intervalMs + offset;
  while (slot <= now) slot += intervalMs;
  return slot;
}

export interface Enrollment {
  mailboxId: string;
  upn?: string | null;
}

/** Enrolls (or re-activates) mailboxes; an existing enrollment keeps its history. */
export async function enrollMailboxes(
  pool: Pool,
  items: Enrollment[],
  enrolledBy: string,
  intervalMs: number,
  now = Date.now(),
): Promise<number> {
  let count = 0;
  for (const item of items) {
    // The first run at the mailbox's own slot in the next interval (staggered, not all at once).
    const first = new Date(nextSlot(item.mailboxId, intervalMs, now));
    await pool.query(
      `INSERT INTO sync_mailbox (mailbox_id, upn, enrolled_by, next_run_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (mailbox_id) DO UPDATE SET active = true, upn = COALESCE(EXCLUDED.upn, sync_mailbox.upn)`,
      [item.mailboxId, item.upn ?? null, enrolledBy, first],
    );
    count++;
  }
  return count;
}

/** Stops background sync of a mailbox (its data is deleted after the retention period, docs/service.md). */
export async function unenrollMailbox(pool: Pool, mailboxId: string): Promise<boolean> {
  const r = await pool.query("UPDATE sync_mailbox SET active = false WHERE mailbox_id = $1", [mailboxId]);
  return (r.rowCount ?? 0) > 0;
}

export async function getMailbox(pool: Pool | PoolClient, mailboxId: string): Promise<MailboxRow | null> {
  const { rows } = await pool.query<DbRow>("SELECT * FROM sync_mailbox WHERE mailbox_id = $1", [mailboxId]);
  return rows[0] ? toRow(rows[0]) : null;
}

export async function listMailboxes(pool: Pool): Promise<MailboxRow[]> {
  const { rows } = await pool.query<DbRow>("SELECT * FROM sync_mailbox ORDER BY upn NULLS LAST, mailbox_id");
  return rows.map(toRow);
}

export interface RunResult {
  status: "done" | "failed" | "parked" | "needs-confirmation";
  counts?: SyncCounts;
  error?: { code: string; message: string };
  /** Set when parking: the reason shown in the admin view. */
  parkedReason?: string;
  /** Earliest next run (parked: slow retry; throttled: Retry-After). */
  notBefore?: Date;
}

/** Stores a run's result; a success un-parks the mailbox. */
export async function recordRunResult(pool: Pool, mailboxId: string, result: RunResult): Promise<void> {
  const parked = result.status === "parked";
  await pool.query(
    `UPDATE sync_mailbox SET
       last_finished_at = now(), last_status = $2, last_counts = COALESCE($3::jsonb, last_counts),
       last_error = $4::jsonb, runs = runs + 1,
       consecutive_failures = CASE WHEN $2 IN ('failed', 'parked') THEN consecutive_failures + 1 ELSE 0 END,
       parked_reason = CASE WHEN $5 THEN $6 ELSE NULL END,
       parked_at = CASE WHEN $5 THEN COALESCE(parked_at, now()) ELSE NULL END,
       next_run_at = CASE WHEN $7::timestamptz IS NOT NULL AND $7::timestamptz > next_run_at THEN $7::timestamptz ELSE next_run_at END
     WHERE mailbox_id = $1`,
    [
      mailboxId,
      result.status,
      result.counts ? JSON.stringify(result.counts) : null,
      result.error ? JSON.stringify(result.error) : null,
      parked,
      result.parkedReason ?? null,
      result.notBefore ?? null,
    ],
  );
}
