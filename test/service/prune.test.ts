/** Data kept: run rows after 14 days and quota buckets outside the window are deleted. */
import type pg from "pg";
import { migrate } from "../../service/db/migrations";
import { pruneOldRows } from "../../service/jobs/scheduler";
import { startEmbeddedPostgres, testPool, type EmbeddedPostgresHandle } from "../support/embedded-pg";

jest.setTimeout(60_000);
let pgHandle: EmbeddedPostgresHandle;
let pool: pg.Pool;

beforeAll(async () => {
  pgHandle = await startEmbeddedPostgres();
  pool = testPool(pgHandle);
  await migrate(pool);
  await migrate(pool); // idempotent: a second worker starting finds nothing to do
});
afterAll(async () => {
  await pool.end();
  await pgHandle.stop();
});

test("old runs and quota buckets go, recent ones stay", async () => {
  await pool.query(
    `INSERT INTO sync_run (mailbox_id, worker, trigger, started_at) VALUES
     ('m', 'w', 'schedule', now() - interval '15 days'), ('m', 'w', 'schedule', now() - interval '1 day')`,
  );
  await pool.query(
    `INSERT INTO graph_quota (mailbox_id, minute, used) VALUES
     ('m', now() - interval '30 minutes', 5), ('m', now() - interval '1 minute', 7)`,
  );
  await pruneOldRows(pool, 600);
  expect((await pool.query("SELECT count(*)::int AS n FROM sync_run")).rows[0].n).toBe(1);
  expect((await pool.query("SELECT used FROM graph_quota")).rows).toEqual([{ used: 7 }]);
});
