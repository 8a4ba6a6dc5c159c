/**
 * Sync benchmark: 5,000 linked contacts, 1% (50) changed in the CRM, one steady-state sync run
 * (the delta links and the business-partner cache of an earlier run on this device are in place,
 * as on every run after the first one):
 * - sync-5000-graph-writes: Outlook write requests (batch members counted one by one); bound 50 =
 *   one write per changed contact (fields + sync state in one PATCH), none for the 4,950 others.
 * - sync-5000-crm-requests: CRM requests; bound 15 (10 batch-gets of 500 ids + a few).
 * - sync-5000-first-run-graph-writes: the first sync after the export, nothing changed (bound 0).
 * Seeding: the CRM's SQLite file is filled directly; the contacts are linked by the real export
 * runner (batched creates).
 */
import { runSync } from "../src/app/sync-runner";
import type { BusinessPartner, ContactPerson } from "../src/core/model";
import { exportPersons, newMailbox, startWorld } from "../test/app/sync-world";
import type { DemoData } from "../test/servers/demo-data";
import { figure, type Figure } from "./figure";

const COUNT = 5000;
const CHANGED = 50;
const PARTNERS = 100;

/** Outlook write requests counted by the emulator (batch members under their own keys). */
function graphWrites(counts: Record<string, number>): number {
  return Object.entries(counts)
    .filter(([key]) => /^(POST|PATCH|PUT|DELETE) /.test(key) && key !== "POST /$batch")
    .reduce((sum, [, n]) => sum + n, 0);
}

function benchData(): DemoData {
  const businessPartners: BusinessPartner[] = Array.from({ length: PARTNERS }, (_, i) => ({
    id: `bp-bench-${i}`,
    name: `Bench Partner ${i} GmbH`,
    address: {
      street: `Hauptstraße ${i + 1}`,
      city: "München",
      postalCode: "80331",
      state: null,
      countryOrRegion: "DE",
    },
    phone: "+49 89 1234567",
    website: `https://partner-${i}.example.com`,
    emailDomains: [`partner-${i}.example.com`],
  }));
  const contactPersons: ContactPerson[] = Array.from({ length: COUNT }, (_, i) => ({
    id: `cp-bench-${String(i + 1).padStart(5, "0")}`,
    businessPartnerId: `bp-bench-${i % PARTNERS}`,
    salutation: null,
    title: null,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    jobTitle: "Sales",
    department: "Purchasing",
    email: `person${i}@partner-${i % PARTNERS}.example.com`,
    phone: `+49 89 ${String(1000000 + i)}`,
    mobile: `+49 171 ${String(2000000 + i)}`,
    fax: null,
    birthday: null,
    notes: null,
    responsibleEmployee: "demo.user",
    hasPhoto: false,
    version: "v1",
    updatedAt: "2026-11-01T00:00:00.000Z",
    status: "active",
  }));
  return { businessPartners, contactPersons };
}

export async function run(): Promise<Figure[]> {
  const data = benchData();
  const world = await startWorld({ seed: data, graph: { latencyMs: 0, quota: 1_000_000 } });
  try {
    const mailbox = await newMailbox(world);
    await exportPersons(world, mailbox, data.contactPersons);

    // First sync on this device: reads everything once (delta rounds, partners), writes nothing.
    world.graph.resetRequestCounts();
    const first = await runSync(mailbox.deps, { force: true });
    if (first.status !== "done" || first.entry.counts.failed > 0)
      throw new Error(`first sync: ${JSON.stringify(first).slice(0, 300)}`);
    const firstWrites = graphWrites(world.graph.requestCounts());

    // 1% changed in the CRM (through its API, with If-Match).
    const changed = data.contactPersons.filter((_, i) => i % (COUNT / CHANGED) === 0);
    const current = (await world.crm.batchGet(changed.map((p) => p.id))).items;
    for (const person of current)
      await world.crm.updateContactPerson(person.id, { jobTitle: `Changed ${person.id}` }, person.version);

    world.graph.resetRequestCounts();
    world.crmServer.resetRequestCount();
    const outcome = await runSync(mailbox.deps, { force: true });
    const writes = graphWrites(world.graph.requestCounts());
    const crmRequests = world.crmServer.requestCount();
    if (
      outcome.status !== "done" ||
      outcome.entry.counts.updatedOutlook !== CHANGED ||
      outcome.entry.counts.failed > 0
    )
      throw new Error(`sync: ${JSON.stringify(outcome).slice(0, 300)}`);
    return [
      figure("sync-5000-graph-writes", writes, "requests", CHANGED),
      figure("sync-5000-crm-requests", crmRequests, "requests", 15),
      figure("sync-5000-first-run-graph-writes", firstWrites, "requests", 0),
    ];
  } finally {
    await world.close();
  }
}
