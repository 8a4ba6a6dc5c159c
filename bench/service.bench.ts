/**
 * Sync service benchmark: 200 enrolled mailboxes x 100 linked contacts (1,000 CRM persons, each
 * linked in 20 mailboxes), 1% of the linked contacts changed in the CRM before each round (10
 * persons = 200 contact changes),
 * emulator at 40 ms per request, real worker processes (service/main.ts, 4 mailbox jobs each)
 * on an embedded PostgreSQL:
 * - service-round-1w / -2w / -4w: wall time of one round (all 200 mailboxes due at once) with 1, 2
 *   and 4 worker processes; bound = the Graph bound: every mailbox in parallel (Graph's limits
 *   are per mailbox), each mailbox's requests 4 at a time at 40 ms: max over mailboxes of
 *   ceil(requests / 4) x 40 ms.
 * - service-round-Nw-cpu: CPU cores busy during that round, machine-wide (bound: the 2 cores);
 *   near 2 means CPU, not Graph, was the limit.
 * - service-graph-writes: Outlook writes of the 4-worker round; bound = the 200 changes.
 * - service-crm-requests-per-mailbox: CRM requests of that round / 200; bound 2.
 * The steady state is measured: one unmeasured round first (delta links, partner cache).
 */
import { readFileSync } from "node:fs";
import type { ContactPerson } from "../src/core/model";
import { enrollMailboxes } from "../service/db/mailboxes";
import { exportPersons, loadPersons } from "../test/app/sync-world";
import {
  startServiceWorld,
  waitFor,
  type ServiceWorld,
  type WorkerProcess,
} from "../test/service/service-world";
import { figure, type Figure } from "./figure";

const MAILBOXES = Number(process.env.BENCH_SERVICE_MAILBOXES ?? 200);
const PER_MAILBOX = 100;
const PERSONS = 1000;
/** 1% of the 20,000 linked contacts: 10 persons, each linked in 20 mailboxes. */
const CHANGED = 10;
const LATENCY_MS = 40;

function graphWrites(counts: Record<string, number>): number {
  return Object.entries(counts)
    .filter(([key]) => /^(POST|PATCH|PUT|DELETE) /.test(key) && key !== "POST /$batch")
    .reduce((sum, [, n]) => sum + n, 0);
}

function busyCpuMs(): number {
  const [cpu] = readFileSync("/proc/stat", "utf8").split("\n");
  const f = cpu.trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  return ((total - idle) * 1000) / 100; // USER_HZ = 100
}

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

async function round(
  w: ServiceWorld,
  persons: ContactPerson[],
  roundNo: number,
): Promise<{ ms: number; boundMs: number; cpuCores: number; writes: number; crm: number }> {
  // 1% changed: a new job title on 10 persons (each linked in 20 mailboxes).
  for (let i = 0; i < CHANGED; i++) {
    const p = persons[(roundNo * CHANGED + i) % PERSONS];
    const current = await w.world.crm.getContactPerson(p.id);
    await w.world.crm.updateContactPerson(p.id, { jobTitle: `Round ${roundNo} ${i}` }, current.version);
  }
  w.world.graph.resetRequestCounts();
  w.world.graph.appOnly.resetStats();
  w.world.crmServer.resetRequestCount();
  const cpu0 = busyCpuMs();
  const t0 = Date.now();
  const since = new Date(t0);
  await w.pool.query("UPDATE sync_mailbox SET next_run_at = now()");
  await waitFor(
    `round ${roundNo}`,
    async () => {
      const { rows } = await w.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM sync_mailbox WHERE last_finished_at > $1 AND last_status = 'done'",
        [since],
      );
      return rows[0].n === MAILBOXES;
    },
    600_000,
  );
  const ms = Date.now() - t0;
  const cpuCores = Math.round(((busyCpuMs() - cpu0) / ms) * 100) / 100;
  const perMailbox = w.users.map((u) => w.world.graph.appOnly.stats(u.id).requests);
  const boundMs = Math.max(...perMailbox.map((n) => Math.ceil(n / 4))) * LATENCY_MS;
  return {
    ms,
    boundMs,
    cpuCores,
    writes: graphWrites(w.world.graph.requestCounts()),
    crm: w.world.crmServer.requestCount(),
  };
}

export async function run(): Promise<Figure[]> {
  const w = await startServiceWorld({
    users: MAILBOXES,
    env: {
      SYNC_INTERVAL_MINUTES: "60",
      JOBS_PER_WORKER: "4",
      JOB_EXPIRY_SECONDS: "600",
      MAINTENANCE_SECONDS: "5",
    },
  });
  const figures: Figure[] = [];
  const workers: WorkerProcess[] = [];
  try {
    const persons = await loadPersons(w.world.crm, PERSONS);
    if (persons.length < PERSONS)
      throw new Error(`the demo CRM has only ${persons.length} persons without photo`);
    await pool(w.users, 8, async (u) => {
      const i = w.users.indexOf(u);
      const mine = Array.from({ length: PER_MAILBOX }, (_, k) => persons[(i * PER_MAILBOX + k) % PERSONS]);
      await exportPersons(w.world, u.mailbox, mine);
    });
    await enrollMailboxes(
      w.pool,
      w.users.map((u) => ({ mailboxId: u.id, upn: u.upn })),
      "admin:bench",
      3_600_000,
    );
    w.world.graph.setLatency(LATENCY_MS);
    let roundNo = 0;
    for (const count of [1, 2, 4]) {
      while (workers.length < count) workers.push(w.spawnWorker(`bench-w${workers.length + 1}`));
      if (roundNo === 0) await round(w, persons, roundNo++); // warm-up: first run per mailbox
      const r = await round(w, persons, roundNo++);
      process.stderr.write(
        `service round with ${count} worker(s): ${r.ms} ms, Graph bound ${r.boundMs} ms, CPU ${r.cpuCores} cores busy (of 2)${
          r.cpuCores > 1.7 ? " -> CPU-bound, not Graph-bound" : ""
        }\n`,
      );
      figures.push(figure(`service-round-${count}w`, r.ms, "ms", r.boundMs));
      figures.push(figure(`service-round-${count}w-cpu`, r.cpuCores, "cores", 2));
      if (count === 4) {
        figures.push(
          figure(
            "service-graph-writes",
            r.writes,
            "requests",
            (CHANGED * (PER_MAILBOX * MAILBOXES)) / PERSONS,
          ),
        );
        figures.push(
          figure(
            "service-crm-requests-per-mailbox",
            Math.round((r.crm / MAILBOXES) * 100) / 100,
            "requests",
            2,
          ),
        );
      }
    }
    return figures;
  } finally {
    await w.close();
  }
}
