/**
 * Workers starting at the same moment on a fresh database: every one starts (pg-boss's schema and
 * queue set-up deadlocked without the set-up lock, and one worker died at start), and the queue
 * exists once with the configured policy.
 */
import { loadServiceConfig } from "../../service/config";
import { serviceTestEnv } from "./service-env";
import { createLogger } from "../../service/logger";
import { QUEUE } from "../../service/jobs/queue";
import { startSyncService, type SyncServiceHandle } from "../../service/sync-service";
import { startEmbeddedPostgres, testPool, type EmbeddedPostgresHandle } from "../support/embedded-pg";

jest.setTimeout(120_000);
let pgHandle: EmbeddedPostgresHandle;

beforeAll(async () => {
  pgHandle = await startEmbeddedPostgres();
});
afterAll(async () => {
  await pgHandle?.stop();
});

test("four workers started at once on a fresh database all start; one queue with the policy", async () => {
  const lines: string[] = [];
  const config = loadServiceConfig(serviceTestEnv(pgHandle.url, { JOB_EXPIRY_SECONDS: "120" }));
  const started = await Promise.allSettled(
    [1, 2, 3, 4].map((n) =>
      startSyncService(
        { ...config, workerName: `start-${n}` },
        {
          work: false,
          log: createLogger(`start-${n}`, { out: (l) => lines.push(l), err: (l) => lines.push(l) }),
        },
      ),
    ),
  );
  const services = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  try {
    expect(
      started.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)),
    ).toEqual([]);
    const pool = testPool(pgHandle);
    try {
      const { rows } = await pool.query<{ name: string; policy: string; expire_seconds: number }>(
        "SELECT name, policy, expire_seconds FROM pgboss.queue WHERE name = $1",
        [QUEUE],
      );
      expect(rows).toEqual([{ name: QUEUE, policy: "short", expire_seconds: 120 }]);
    } finally {
      await pool.end();
    }
  } finally {
    await Promise.all(services.map((s: SyncServiceHandle) => s.stop()));
  }
});
