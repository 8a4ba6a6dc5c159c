/**
 * The Outlook quota of a mailbox is shared by every worker: two limiters (as in two processes)
 * over one PostgreSQL never let more than the quota through in one window; a full window waits.
 */
import type pg from "pg";
import { migrate } from "../../service/db/migrations";
import { createSharedLimiter, reserveQuota } from "../../service/graph/shared-limiter";
import { startEmbeddedPostgres, testPool, type EmbeddedPostgresHandle } from "../support/embedded-pg";

jest.setTimeout(60_000);

let pgHandle: EmbeddedPostgresHandle;
let pools: pg.Pool[];

beforeAll(async () => {
  pgHandle = await startEmbeddedPostgres();
  pools = [testPool(pgHandle), testPool(pgHandle)];
  await migrate(pools[0]);
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await pgHandle.stop();
});

test("reservations across pools never exceed the quota of the window", async () => {
  const grants = await Promise.all(
    Array.from({ length: 20 }, (_, i) => reserveQuota(pools[i % 2], "mb-quota", 7, 100, 600)),
  );
  const total = grants.reduce((n, g) => n + g.granted, 0);
  expect(total).toBe(100);
  expect(grants.filter((g) => g.granted === 0).every((g) => g.retryInMs > 0)).toBe(true);
  const other = await reserveQuota(pools[0], "mb-other", 50, 100, 600); // per mailbox
  expect(other.granted).toBe(50);
});

test("two limiters (two workers) on one mailbox: at most the quota per window, the rest waits for the next", async () => {
  const windowSeconds = 2;
  const quota = 30;
  const started: number[] = [];
  const limiters = pools.map((pool) =>
    createSharedLimiter({ pool, mailboxId: "mb-window", quota, windowSeconds, chunk: 5 }),
  );
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: 45 }, (_, i) =>
      limiters[i % 2].run(1, async () => {
        started.push(Date.now() - t0);
      }),
    ),
  );
  expect(started).toHaveLength(45);
  started.sort((a, b) => a - b);
  // Any window of `windowSeconds` holds at most `quota` starts.
  for (let i = 0; i + quota < started.length; i++)
    expect(started[i + quota] - started[i]).toBeGreaterThanOrEqual(windowSeconds * 1000 - 1100);
  expect(started[started.length - 1]).toBeGreaterThan(900); // the last ones had to wait
});
