/**
 * The service's schema, as numbered migrations applied in order at start-up by whichever worker
 * gets there first (a transaction-scoped advisory lock serialises concurrent starts). pg-boss
 * keeps its own schema (`pgboss`) and migrates it itself.
 *
 * Tables (docs/service.md, "Data kept"):
 * - sync_mailbox: every enrolled mailbox, its schedule, last result and parked reason.
 * - sync_store: the shared runners' key-value stores per mailbox: scope "settings" (the user's
 *   sync settings) and "local" (the sync cache with delta links, the sync log, last run).
 * - graph_quota: Outlook requests per mailbox and minute, summed over all workers.
 * - sync_run: one row per job run (worker, start, end, outcome), kept 14 days.
 */
import type { Pool } from "pg";

export const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sync_mailbox (
        mailbox_id text PRIMARY KEY,
        upn text,
        enrolled_by text NOT NULL,
        enrolled_at timestamptz NOT NULL DEFAULT now(),
        active boolean NOT NULL DEFAULT true,
        next_run_at timestamptz NOT NULL DEFAULT now(),
        last_started_at timestamptz,
        last_finished_at timestamptz,
        last_status text,
        last_counts jsonb,
        last_error jsonb,
        consecutive_failures integer NOT NULL DEFAULT 0,
        parked_reason text,
        parked_at timestamptz,
        runs integer NOT NULL DEFAULT 0
      );
      CREATE INDEX sync_mailbox_due ON sync_mailbox (next_run_at) WHERE active;
      CREATE TABLE sync_store (
        mailbox_id text NOT NULL REFERENCES sync_mailbox ON DELETE CASCADE,
        scope text NOT NULL CHECK (scope IN ('settings', 'local')),
        key text NOT NULL,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (mailbox_id, scope, key)
      );
      CREATE TABLE graph_quota (
        mailbox_id text NOT NULL,
        minute timestamptz NOT NULL,
        used integer NOT NULL,
        PRIMARY KEY (mailbox_id, minute)
      );
      CREATE TABLE sync_run (
        id bigserial PRIMARY KEY,
        mailbox_id text NOT NULL,
        job_id text,
        worker text NOT NULL,
        trigger text NOT NULL,
        slot timestamptz,
        started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz,
        status text
      );
      CREATE INDEX sync_run_mailbox ON sync_run (mailbox_id, started_at);
    `,
  },
  {
    // Group enrollment: the admin names an Entra group; its members are enrolled and kept in step
    // with the group (members enrolled by it carry enrolled_by = 'group:<id>').
    version: 2,
    sql: `
      CREATE TABLE sync_group (
        group_id text PRIMARY KEY,
        enrolled_by text NOT NULL,
        enrolled_at timestamptz NOT NULL DEFAULT now(),
        active boolean NOT NULL DEFAULT true,
        refresh_claimed_at timestamptz,
        last_resolved_at timestamptz,
        member_count integer,
        last_error text
      );
    `,
  },
];

/** Applies the migrations not yet applied; safe to call from many processes at once. */
export async function migrate(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext('crm-sync-migrations'))");
    await client.query(
      "CREATE TABLE IF NOT EXISTS sync_schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const { rows } = await client.query<{ version: number }>("SELECT version FROM sync_schema_version");
    const applied = new Set(rows.map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await client.query(m.sql);
      await client.query("INSERT INTO sync_schema_version (version) VALUES ($1)", [m.version]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
