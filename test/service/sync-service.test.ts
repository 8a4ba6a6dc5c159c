/**
 * The sync service end to end: embedded PostgreSQL, the reference CRM, the Graph emulator with
 * 50 app-only mailboxes, and real worker processes of service/main.ts (interval 6 s). One world
 * for the whole file; the tests run in order and each states what it adds.
 */
import { saveUserSettings } from "../../src/app/user-settings-service";
import { defaultUserSettings } from "../../src/core/user-settings";
import type { ContactPerson } from "../../src/core/model";
import { enrollMailboxes } from "../../service/db/mailboxes";
import { createPgSettingsStore } from "../../service/db/pg-settings-store";
import { exportPersons, loadPersons } from "../app/sync-world";
import {
  APP_TOKEN,
  startServiceWorld,
  waitFor,
  type ServiceWorld,
  type WorkerProcess,
} from "./service-world";
import { insecureFetchOptions } from "../servers/graph/insecure-fetch";

jest.setTimeout(90_000);

const USERS = 50;
const INTERVAL_MS = 6_000;
/** Pick-up latency of a due job (scheduler tick + polling) and one run, on a busy 2-core CI box. */
const GRACE_MS = 4_000;
/** Waits without a time bound in the acceptance (a loaded CI box may need several intervals). */
const SLOW_MS = 40_000;

let w: ServiceWorld;
let shared: ContactPerson;
let own: ContactPerson[]; // own[i]: linked only in mailbox i
let spare: ContactPerson; // linked nowhere: the CRM-side switch test
const workers: WorkerProcess[] = [];

async function crmFetch(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${w.world.crmServer.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${w.world.crmServer.token}`,
      "content-type": "application/json",
      ...(init.headers as Record<string, string> | undefined),
    },
  });
}

async function patchPerson(id: string, body: Record<string, unknown>): Promise<void> {
  const current = (await (await crmFetch(`/contact-persons/${id}`)).json()) as ContactPerson;
  const res = await crmFetch(`/contact-persons/${id}`, {
    method: "PATCH",
    headers: { "if-match": `"${current.version}"` },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`PATCH ${id}: ${res.status} ${await res.text()}`);
}

async function duplicates(): Promise<number> {
  let dup = 0;
  for (const u of w.users) {
    const ids = (await u.contacts.listLinkedContacts()).map((c) => c.link?.crmId);
    dup += ids.length - new Set(ids).size;
  }
  return dup;
}

async function makeDue(ids: string[]): Promise<void> {
  await w.pool.query("UPDATE sync_mailbox SET next_run_at = now() WHERE mailbox_id = ANY($1)", [ids]);
}

beforeAll(async () => {
  w = await startServiceWorld({ users: USERS });
  const persons = await loadPersons(w.world.crm, USERS + 2);
  shared = persons[0];
  spare = persons[1];
  own = persons.slice(2);
  const defaults = defaultUserSettings(w.world.config);
  for (const [i, u] of w.users.entries()) {
    await exportPersons(w.world, u.mailbox, [shared, own[i]], { phones: "two-way" });
  }
  // Both workers up before anything is due, so the rounds below are shared by two running
  // workers whatever the machine's load (a worker's start-up under tsx can take seconds).
  workers.push(w.spawnWorker("w1"), w.spawnWorker("w2"));
  await Promise.all(workers.map((x) => x.ready()));
  // First slots from 1 s ahead: the settings below are in place before any mailbox is due.
  await enrollMailboxes(
    w.pool,
    w.users.map((u) => ({ mailboxId: u.id, upn: u.upn })),
    "admin:test",
    INTERVAL_MS,
    Date.now() + 1_000,
  );
  for (const u of w.users)
    await saveUserSettings(createPgSettingsStore(w.pool, u.id, "settings"), {
      ...defaults,
      fieldDirections: { ...defaults.fieldDirections, phones: "two-way" },
    });
  w.world.graph.appOnly.resetStats();
}, 120_000);

afterAll(async () => {
  await w?.close();
});

test("one round syncs each of the 50 mailboxes exactly once, shared by two workers", async () => {
  await waitFor(
    "every mailbox's first scheduled run",
    async () => {
      const { rows } = await w.pool.query<{ n: number }>(
        "SELECT count(DISTINCT mailbox_id)::int AS n FROM sync_run WHERE trigger = 'schedule' AND status = 'done'",
      );
      return rows[0].n === USERS;
    },
    INTERVAL_MS * 3 + GRACE_MS,
  );
  // Let a second round start, then: one run per mailbox and slot, never two.
  await new Promise((r) => setTimeout(r, INTERVAL_MS));
  const { rows } = await w.pool.query<{ mailbox_id: string; slot: Date; n: number }>(
    `SELECT mailbox_id, slot, count(*)::int AS n FROM sync_run
     WHERE trigger = 'schedule' AND status = 'done' GROUP BY mailbox_id, slot`,
  );
  expect(rows.filter((r) => r.n !== 1)).toEqual([]);
  const perMailbox = new Map<string, number>();
  for (const r of rows) perMailbox.set(r.mailbox_id, (perMailbox.get(r.mailbox_id) ?? 0) + 1);
  expect(perMailbox.size).toBe(USERS);
  // Staggered: the first slots spread over the interval instead of all at once.
  const firsts = [...new Set(rows.map((r) => r.mailbox_id))].map((id) =>
    Math.min(...rows.filter((r) => r.mailbox_id === id).map((r) => r.slot.getTime())),
  );
  expect(Math.max(...firsts) - Math.min(...firsts)).toBeGreaterThan(INTERVAL_MS / 2);
  const byWorker = await w.pool.query<{ worker: string }>("SELECT DISTINCT worker FROM sync_run");
  expect(byWorker.rows.map((r) => r.worker).sort()).toEqual(["w1", "w2"]);
  const mailboxes = await w.pool.query<{ last_status: string }>("SELECT last_status FROM sync_mailbox");
  expect(mailboxes.rows.every((r) => r.last_status === "done")).toBe(true);
});

test("a CRM change reaches every affected mailbox within one interval, with no pane open", async () => {
  const title = `Head of Sales ${Date.now()}`;
  const changedAt = Date.now();
  await patchPerson(shared.id, { jobTitle: title });
  const doneAt = await waitFor(
    "the new job title in all 50 mailboxes",
    async () => {
      for (const u of w.users) {
        const c = w.world.graph
          .inspect(u.id)
          .contacts.find((x) => x.displayName && x.props.jobTitle === title);
        if (!c) return false;
      }
      return Date.now();
    },
    INTERVAL_MS * 3,
  );
  expect(doneAt - changedAt).toBeLessThanOrEqual(INTERVAL_MS + GRACE_MS);
  expect(await duplicates()).toBe(0);
});

test("two workers never run one mailbox at once (run table and the emulator's per-mailbox counter)", async () => {
  const { rows } = await w.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM sync_run a JOIN sync_run b
       ON a.mailbox_id = b.mailbox_id AND a.id < b.id
      AND a.started_at < COALESCE(b.finished_at, now()) AND b.started_at < COALESCE(a.finished_at, now())
     WHERE a.finished_at IS NOT NULL AND b.finished_at IS NOT NULL`,
  );
  expect(rows[0].n).toBe(0);
  for (const u of w.users) {
    const stats = w.world.graph.appOnly.stats(u.id);
    expect(stats.requests).toBeGreaterThan(0);
    expect(stats.peakInFlight).toBeLessThanOrEqual(4);
    expect(stats.concurrencyRejections).toBe(0);
  }
});

test("a worker killed with SIGKILL mid-job: another finishes after expiry, 0 duplicates, 0 lost edits", async () => {
  const victim = w.users[4];
  const person = own[4];
  w.world.graph.setLatency(250); // runs take seconds now, so the kill lands mid-job
  try {
    // An edit on each side, then the run that is going to be killed.
    const crmTitle = `Buyer ${Date.now()}`;
    await patchPerson(person.id, { jobTitle: crmTitle });
    const contact = (await victim.contacts.findByCrmId(person.id))[0];
    const res = await fetch(`${w.world.graph.url}/users/${victim.id}/contacts/${contact.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${APP_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ mobilePhone: "+49 170 5550123" }),
      ...(insecureFetchOptions() as RequestInit),
    });
    expect(res.status).toBe(200);
    const before = await w.pool.query<{ id: string }>("SELECT max(id) AS id FROM sync_run");
    await makeDue([victim.id]);
    const running = await waitFor(
      "the victim's run to start",
      async () => {
        const { rows } = await w.pool.query<{ worker: string; id: string }>(
          "SELECT worker, id FROM sync_run WHERE mailbox_id = $1 AND id > $2 AND finished_at IS NULL",
          [victim.id, before.rows[0].id ?? 0],
        );
        return rows[0];
      },
      INTERVAL_MS * 2,
    );
    const killed = workers.find((x) => x.name === running.worker) as WorkerProcess;
    await killed.kill("SIGKILL");
    workers.splice(workers.indexOf(killed), 1);
    const replacement = w.spawnWorker(`${killed.name}-b`);
    workers.push(replacement);

    const finished = await waitFor(
      "another worker to finish the victim's mailbox",
      async () => {
        const { rows } = await w.pool.query<{ worker: string; status: string }>(
          "SELECT worker, status FROM sync_run WHERE mailbox_id = $1 AND id > $2 AND status = 'done' ORDER BY id LIMIT 1",
          [victim.id, running.id],
        );
        return rows[0];
      },
      30_000,
    );
    expect(finished.worker).not.toBe(killed.name);
    const stale = await w.pool.query("SELECT finished_at FROM sync_run WHERE id = $1", [running.id]);
    expect(stale.rows[0].finished_at).toBeNull(); // the killed run never finished: the retry did the work

    // 0 lost edits: the CRM edit is in Outlook and the Outlook edit in the CRM.
    await waitFor(
      "both edits on both sides",
      async () => {
        const inOutlook = (await victim.contacts.findByCrmId(person.id))[0];
        const inCrm = await w.world.crm.getContactPerson(person.id);
        return (
          inOutlook?.jobTitle === crmTitle && (inCrm.mobile ?? "").replace(/\D/g, "").endsWith("1705550123")
        );
      },
      INTERVAL_MS * 2,
    );
    expect(await duplicates()).toBe(0);
  } finally {
    w.world.graph.setLatency(0);
  }
});

test("a mailbox whose permission is revoked is parked with its reason; the others continue", async () => {
  const revoked = w.users[7];
  w.world.graph.appOnly.setAccess(APP_TOKEN, revoked.id, false);
  const since = new Date();
  await makeDue(w.users.map((u) => u.id));
  const parked = await waitFor(
    "the revoked mailbox to be parked",
    async () => {
      const { rows } = await w.pool.query<{ parked_reason: string | null; next_run_at: Date; runs: number }>(
        "SELECT parked_reason, next_run_at, runs FROM sync_mailbox WHERE mailbox_id = $1",
        [revoked.id],
      );
      return rows[0].parked_reason ? rows[0] : undefined;
    },
    SLOW_MS,
  );
  expect(parked.parked_reason).toMatch(/forbidden \(403\)/);
  // Retried slowly (PARK_RETRY_MINUTES=1), never in a hot loop.
  expect(parked.next_run_at.getTime() - Date.now()).toBeGreaterThan(40_000);
  await waitFor(
    "every other mailbox to run after the revocation",
    async () => {
      const { rows } = await w.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM sync_mailbox WHERE mailbox_id <> $1 AND last_status = 'done' AND last_finished_at > $2",
        [revoked.id, since],
      );
      return rows[0].n === USERS - 1;
    },
    SLOW_MS,
  );
  await new Promise((r) => setTimeout(r, INTERVAL_MS));
  const after = await w.pool.query<{ runs: number; parked_reason: string | null }>(
    "SELECT runs, parked_reason FROM sync_mailbox WHERE mailbox_id = $1",
    [revoked.id],
  );
  expect(after.rows[0].runs).toBe(parked.runs);
  const others = await w.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM sync_mailbox WHERE parked_reason IS NOT NULL",
  );
  expect(others.rows[0].n).toBe(1);
  w.world.graph.appOnly.setAccess(APP_TOKEN, revoked.id, true);
});

test("the CRM-side switch: on -> the contact appears; off -> it is in Deleted Items, the CRM person stays", async () => {
  const user = w.users[2];
  await patchPerson(spare.id, { outlookUsers: [user.upn] });
  await waitFor(
    "the wished contact in Outlook",
    async () => (await user.contacts.findByCrmId(spare.id)).length === 1,
    SLOW_MS,
  );
  // Nobody else got it.
  expect((await w.users[3].contacts.findByCrmId(spare.id)).length).toBe(0);

  await patchPerson(spare.id, { outlookUsers: [] });
  await waitFor(
    "the contact withdrawn",
    async () => (await user.contacts.findByCrmId(spare.id)).length === 0,
    SLOW_MS,
  );
  const mailbox = w.world.graph.inspect(user.id);
  const name = [spare.firstName, spare.lastName].filter(Boolean).join(" ");
  expect(mailbox.contacts.some((c) => c.folderId === mailbox.deletedItemsId && c.displayName === name)).toBe(
    true,
  );
  const inCrm = await w.world.crm.getContactPerson(spare.id);
  expect(inCrm.status).toBe("active");
  expect(await duplicates()).toBe(0);
});

test("no token or secret in any worker's log", () => {
  const text = w
    .workers()
    .map((x) => x.output())
    .join("\n");
  expect(text).toContain("mailbox run finished");
  expect(text).not.toContain(APP_TOKEN);
  expect(text).not.toContain(w.world.crmServer.token);
  expect(text).not.toContain(new URL(w.pg.url).password);
});
