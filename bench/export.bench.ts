/**
 * Export benchmarks against the Graph emulator with 40 ms latency per Outlook request:
 * - export-1000: 1,000 new contacts through the real export runner and adapters (CRM server +
 *   Graph emulator over HTTP). Bound: 1,000 requests x 40 ms / 4 in flight = 10,000 ms. The
 *   emulator applies the latency to every batch member while it holds one of the mailbox's 4
 *   slots, so a $batch of 20 takes 5 x 40 ms; the bound is the mailbox's throughput limit.
 *   Persons without a photo are used (a photo costs two more requests, outside the bound).
 * - export-1000-batches: $batch envelopes of that export (bound 1,000 / 20 = 50).
 * - export-rerun-writes: Graph write requests (batch members included) of a re-run (bound 0).
 * - export-naive-1000: the same 1,000 contacts, one plain POST at a time, no batching (bound as
 *   export-1000, for comparison).
 * Wall times include the runner's re-read of the links and the folder check (a few reads).
 */
import { createStaticTokenProvider } from "../src/adapters/auth/static-token-provider";
import { createCrmClient } from "../src/adapters/crm/crm-client";
import { toGraphBody } from "../src/adapters/graph/contact-mapping";
import { createGraphContactStore } from "../src/adapters/graph/graph-contact-store";
import { toJpeg } from "../src/adapters/graph/photo-jpeg";
import { runExport } from "../src/app/export-runner";
import { defaultFieldDirections } from "../src/core/mapping";
import type { BusinessPartner, ContactPerson } from "../src/core/model";
import { planExport, type CreateStep } from "../src/core/plans/export-plan";
import type { CrmClient } from "../src/core/ports";
import { startCrmServer } from "../test/servers/crm/server";
import { startGraphEmulator, type GraphEmulatorHandle } from "../test/servers/graph/emulator";
import { insecureFetchOptions } from "../test/servers/graph/insecure-fetch";
import { figure, type Figure } from "./figure";

const COUNT = 1000;
const LATENCY_MS = 40;
const IN_FLIGHT = 4;
const BATCH = 20;

/** Outlook write requests counted by the emulator (batch members under their own keys). */
export function graphWrites(counts: Record<string, number>): number {
  return Object.entries(counts)
    .filter(([key]) => /^(POST|PATCH|PUT|DELETE) /.test(key) && key !== "POST /$batch")
    .reduce((sum, [, n]) => sum + n, 0);
}

async function loadPersons(
  crm: CrmClient,
  count: number,
): Promise<{ person: ContactPerson; partner: BusinessPartner | null }[]> {
  const persons: ContactPerson[] = [];
  let cursor: string | undefined;
  do {
    const page = await crm.searchContactPersons({ cursor, limit: 200 });
    persons.push(...page.items.filter((p) => !p.hasPhoto && p.status === "active")); // inactive: never exported
    cursor = page.nextCursor ?? undefined;
  } while (cursor && persons.length < count);
  const chosen = persons.slice(0, count);
  const partners = new Map<string, BusinessPartner>();
  for (const id of new Set(chosen.map((p) => p.businessPartnerId)))
    partners.set(id, await crm.getBusinessPartner(id));
  return chosen.map((person) => ({ person, partner: partners.get(person.businessPartnerId) ?? null }));
}

async function naiveExport(graph: GraphEmulatorHandle, token: string, steps: CreateStep[]): Promise<number> {
  const started = performance.now();
  for (const step of steps) {
    const res = await fetch(`${graph.url}/me/contacts`, {
      ...insecureFetchOptions(), // the emulator's certificate is self-signed
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(toGraphBody(step.write)),
    });
    if (!res.ok) throw new Error(`naive POST failed: ${res.status}`);
    await res.arrayBuffer();
  }
  return performance.now() - started;
}

export async function run(): Promise<Figure[]> {
  const crmServer = await startCrmServer({ seed: "demo" });
  const graph = await startGraphEmulator({ seed: "none", latencyMs: 0 });
  try {
    const crm = createCrmClient({
      baseUrl: crmServer.url,
      tokens: createStaticTokenProvider({ crm: crmServer.token, graph: graph.token }),
    });
    const contacts = createGraphContactStore({
      baseUrl: graph.url,
      tokens: createStaticTokenProvider({ crm: crmServer.token, graph: graph.token }),
      fetchOptions: insecureFetchOptions(), // the emulator's certificate is self-signed
      toJpeg,
    });
    const selected = await loadPersons(crm, COUNT);
    if (selected.length < COUNT)
      throw new Error(`only ${selected.length} persons without a photo in the demo CRM`);
    const options = { withdrawDeselected: true, fieldDirections: defaultFieldDirections };
    const runOptions = { folderName: null, fieldDirections: defaultFieldDirections };
    const bound = (COUNT * LATENCY_MS) / IN_FLIGHT;

    // export-1000
    graph.setLatency(LATENCY_MS);
    const plan = planExport({
      selected,
      linked: [],
      deselectedExported: [],
      options,
      now: new Date().toISOString(),
    });
    graph.resetRequestCounts();
    const started = performance.now();
    const summary = await runExport(plan, { crm, contacts }, runOptions);
    const wall = Math.round(performance.now() - started);
    if (summary.created !== COUNT)
      throw new Error(
        `export-1000 created ${summary.created}: ${JSON.stringify(summary.failed.slice(0, 3))}`,
      );
    const batches = graph.requestCounts()["POST /$batch"] ?? 0;

    // export-rerun-writes
    const linked = await contacts.listLinkedContacts();
    const again = planExport({
      selected,
      linked,
      deselectedExported: [],
      options,
      now: new Date().toISOString(),
    });
    graph.resetRequestCounts();
    const rerun = await runExport(again, { crm, contacts }, runOptions);
    const rerunWrites = graphWrites(graph.requestCounts());
    if (rerun.unchanged !== COUNT)
      throw new Error(`re-run: ${JSON.stringify({ ...rerun, failed: rerun.failed.length })}`);

    // export-naive-1000 (a fresh mailbox, same contacts)
    const naiveToken = "bench-naive-mailbox";
    graph.addMailbox(naiveToken);
    const naive = Math.round(
      await naiveExport(
        graph,
        naiveToken,
        plan.steps.filter((s): s is CreateStep => s.kind === "create"),
      ),
    );

    return [
      figure("export-1000", wall, "ms", bound),
      figure("export-1000-batches", batches, "requests", COUNT / BATCH),
      figure("export-rerun-writes", rerunWrites, "requests", 0),
      figure("export-naive-1000", naive, "ms", bound),
    ];
  } finally {
    await graph.close();
    await crmServer.close();
  }
}
