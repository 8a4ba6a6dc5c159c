// The import runner over real HTTP: reference CRM server + Graph emulator + the real adapters.
// The emulator's certificate is self-signed: the Graph client's fetch gets an undici dispatcher
// that accepts it (Jest's per-file process.env copy would not pass NODE_TLS_REJECT_UNAUTHORIZED on).

import { createStaticTokenProvider } from "../../src/adapters/auth/static-token-provider";
import { createCrmClient } from "../../src/adapters/crm/crm-client";
import { CRM_ID_PROPERTY } from "../../src/adapters/graph/contact-mapping";
import { createGraphContactStore } from "../../src/adapters/graph/graph-contact-store";
import { toJpeg } from "../../src/adapters/graph/photo-jpeg";
import { computeDuplicates } from "../../src/app/duplicate-index";
import {
  loadImportCandidates,
  MAX_PARTNER_SEARCHES,
  PartnerSearchCache,
  preassignPartners,
  runImport,
} from "../../src/app/import-runner";
import type { OutlookContactWrite, Photo } from "../../src/core/model";
import { planImport } from "../../src/core/plans/import-plan";
import type { ContactStore, CrmClient } from "../../src/core/ports";
import { decodeSyncState } from "../../src/core/sync-state";
import { demoData } from "../servers/demo-data";
import { startCrmServer, type CrmServerHandle } from "../servers/crm/server";
import { startGraphEmulator, type GraphEmulatorHandle } from "../servers/graph/emulator";
import { insecureFetchOptions } from "../servers/graph/insecure-fetch";
import { startFaultProxy } from "../support/fault-proxy";

jest.setTimeout(180_000);

const TINY_PNG: Photo = {
  contentType: "image/png",
  data: Uint8Array.from(
    Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
      "base64",
    ),
  ),
};

let crmServer: CrmServerHandle;
let graph: GraphEmulatorHandle;
let crm: CrmClient;
let mailboxNo = 0;

function freshMailbox(): { contacts: ContactStore; token: string } {
  const token = `import-test-${++mailboxNo}`;
  graph.addMailbox(token);
  const contacts = createGraphContactStore({
    toJpeg,
    baseUrl: graph.url,
    tokens: createStaticTokenProvider({ crm: crmServer.token, graph: token }),
    fetchOptions: insecureFetchOptions(),
  });
  return { contacts, token };
}

async function seed(
  contacts: ContactStore,
  folderId: string | null,
  writes: OutlookContactWrite[],
): Promise<string[]> {
  const results = await contacts.createContacts(writes.map((contact) => ({ folderId, contact })));
  return results.map((r) => {
    if (!r.ok) throw r.error;
    return r.value.id;
  });
}

const person = (
  first: string,
  last: string,
  email: string,
  extra: OutlookContactWrite = {},
): OutlookContactWrite => ({
  givenName: first,
  surname: last,
  emailAddresses: [{ name: `${first} ${last}`, address: email }],
  ...extra,
});

beforeAll(async () => {
  crmServer = await startCrmServer({ seed: "demo" });
  graph = await startGraphEmulator({ seed: "none" });
  crm = createCrmClient({
    baseUrl: crmServer.url,
    tokens: createStaticTokenProvider({ crm: crmServer.token, graph: graph.token }),
  });
});

afterAll(async () => {
  await graph?.close();
  await crmServer?.close();
});

describe("import runner over the CRM server and the Graph emulator", () => {
  it("finds 200 candidates in all folders and their duplicate status with at most 5 CRM requests", async () => {
    const { contacts } = freshMailbox();
    const { businessPartners, contactPersons } = demoData();
    const active = contactPersons.filter((p) => p.status === "active");
    const withEmail = active.filter((p) => p.email).slice(0, 40);
    const named = active.filter((p) => p.firstName && !withEmail.includes(p)).slice(0, 20);
    const partners = businessPartners.slice(10, 30);
    const certain = withEmail.map((p) => person(p.firstName ?? "", p.lastName, p.email?.toUpperCase() ?? ""));
    const possible = named.map((p, i) =>
      person(p.firstName ?? "", p.lastName, `possible.${i}@home-mail.test`),
    );
    const fresh = Array.from({ length: 140 }, (_, i) =>
      person(`Max${i}`, "Neumann", `max.neumann.${i}@example.org`, {
        companyName: i % 2 === 0 ? (partners[i % partners.length]?.name ?? null) : null,
        mobilePhone: `+49 171 ${String(5000000 + i)}`,
      }),
    );
    const privat = await contacts.ensureFolder("Privat");
    await seed(contacts, null, [...certain, ...possible, ...fresh.slice(0, 90)]);
    await seed(contacts, privat.id, fresh.slice(90));
    await seed(contacts, null, [
      person("Linked", "Already", "linked@example.org", { link: { crmId: "cp-00001", syncState: null } }),
    ]);

    const candidates = await loadImportCandidates(contacts);
    expect(candidates).toHaveLength(200);
    expect(candidates.filter((c) => c.parentFolderId === privat.id)).toHaveLength(50);

    crmServer.resetRequestCount();
    const { results, index } = await computeDuplicates(crm, candidates, {}, "DE");
    const duplicateRequests = crmServer.requestCount();
    expect(duplicateRequests).toBeLessThanOrEqual(5);
    expect(index.requests).toBe(duplicateRequests);
    const statuses = candidates.map((c) => results[c.id]?.status);
    expect(statuses.filter((s) => s === "certain")).toHaveLength(40);
    expect(statuses.filter((s) => s === "possible")).toHaveLength(20);
    expect(statuses.filter((s) => s === "none")).toHaveLength(140);
    const anyCertain = candidates.find((c) => results[c.id]?.status === "certain");
    expect(index.person(results[anyCertain?.id ?? ""]?.matches[0]?.id ?? "")).toBeDefined();

    // Pre-assignment for the rows that can be imported, from a bounded number of searches.
    crmServer.resetRequestCount();
    const cache = new PartnerSearchCache(crm);
    const importable = candidates.filter((c) => results[c.id]?.status !== "certain");
    const assigned = await preassignPartners(cache, importable);
    expect(crmServer.requestCount()).toBeLessThanOrEqual(MAX_PARTNER_SEARCHES);
    expect(cache.requests).toBe(crmServer.requestCount());
    const byCompany = importable.filter((c) => c.companyName);
    expect(byCompany.length).toBe(70);
    for (const c of byCompany) expect(assigned[c.id]?.name).toBe(c.companyName);
    // Re-checking after a partner change is local, except one search per newly assigned partner.
    crmServer.resetRequestCount();
    const target = importable[0];
    if (!target) throw new Error("no importable row");
    await index.ensure([target]);
    await index.ensurePartner("bp-0001");
    await index.ensurePartner("bp-0001");
    index.classify(target, "bp-0001");
    expect(crmServer.requestCount()).toBe(1);
    // The figures for the report.
    console.info(
      `duplicate status of 200 candidates: ${duplicateRequests} CRM request(s); partner pre-assignment: ${cache.requests} search(es)`,
    );
  });

  it("an import interrupted half-way and re-run creates every person once and links every contact once", async () => {
    const { contacts, token } = freshMailbox();
    const COUNT = 60;
    const writes = Array.from({ length: COUNT }, (_, i) =>
      person(`Laura${i}`, "Bianchi", `laura.bianchi.${i}@import-rerun.test`, {
        businessPhones: [`+49 89 4711${String(100 + i)}`],
      }),
    );
    const ids = await seed(contacts, null, writes);
    for (const id of ids.slice(0, 3)) await contacts.putPhoto(id, TINY_PNG);

    const candidates = await loadImportCandidates(contacts);
    expect(candidates).toHaveLength(COUNT);
    const { results } = await computeDuplicates(crm, candidates, {}, "DE");
    expect(candidates.every((c) => results[c.id]?.status === "none")).toBe(true);
    const assignments = Object.fromEntries(candidates.map((c) => [c.id, "bp-0001"]));
    const plan = planImport({
      candidates,
      assignments,
      duplicates: results,
      selected: candidates.map((c) => c.id),
      links: {},
      defaultRegion: "DE",
    });
    expect(plan.counts.import).toBe(COUNT);

    // A crash after the CRM create but before the link was written, for the last five contacts.
    const crashed = plan.steps.slice(-5);
    for (const step of crashed)
      if (step.kind === "import") await crm.createContactPerson(step.input, step.idempotencyKey);

    const controller = new AbortController();
    const first = await runImport(
      plan,
      { crm, contacts },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.done >= COUNT / 2) controller.abort();
        },
      },
    );
    expect(first.cancelled).toBe(true);
    expect(first.imported).toBeGreaterThanOrEqual(COUNT / 2);
    expect(first.imported).toBeLessThan(COUNT);
    expect(first.failed).toEqual([]);

    // Re-run: the view lists only the contacts still unlinked and imports them again.
    const remaining = await loadImportCandidates(contacts);
    expect(remaining).toHaveLength(COUNT - first.imported);
    const again = planImport({
      candidates: remaining,
      assignments,
      duplicates: results,
      selected: remaining.map((c) => c.id),
      links: {},
      defaultRegion: "DE",
    });
    const second = await runImport(again, { crm, contacts });
    expect(second.failed).toEqual([]);
    expect(second.imported).toBe(COUNT - first.imported);
    expect(first.photosUploaded + second.photosUploaded).toBe(3);

    // No CRM duplicates: each e-mail exactly once.
    const emails = writes.map((w) => w.emailAddresses?.[0]?.address ?? "");
    const inCrm = await crm.lookup({ emails, phones: [], lastNames: [] });
    expect(inCrm).toHaveLength(COUNT);
    expect(new Set(inCrm.map((p) => p.email?.toLowerCase())).size).toBe(COUNT);
    expect(inCrm.every((p) => p.businessPartnerId === "bp-0001")).toBe(true);

    // Every Outlook contact linked once, to the person with its e-mail, with a sync state.
    const crmIdByEmail = new Map(inCrm.map((p) => [p.email?.toLowerCase(), p.id]));
    const box = graph.inspect(token);
    const linked = box.contacts.filter((c) => c.folderId !== box.deletedItemsId);
    expect(linked).toHaveLength(COUNT);
    for (const c of linked) {
      expect(c.extendedProperties[CRM_ID_PROPERTY]).toBe(
        crmIdByEmail.get(c.emailAddresses?.[0]?.address?.toLowerCase()),
      );
    }
    expect(new Set(linked.map((c) => c.extendedProperties[CRM_ID_PROPERTY])).size).toBe(COUNT);
    const all = await contacts.listContacts(null);
    for (const c of all) expect(decodeSyncState(c.link?.syncState ?? null)?.record.lastName).toBe("Bianchi");
    const withPhoto = inCrm.filter((p) => p.hasPhoto);
    expect(withPhoto).toHaveLength(3);

    // Nothing left to import; a third run creates nothing.
    expect(await loadImportCandidates(contacts)).toEqual([]);
  });
});

describe("import runner: link to existing", () => {
  it("links an unlinked contact to its CRM person, but refuses when the person already has a linked contact", async () => {
    const { contacts, token } = freshMailbox();
    const anna = demoData().contactPersons.find((p) => p.email === "anna.schmidt@mueller-bau.de");
    const jean = demoData().contactPersons.find((p) => p.email === "jean.dupont@lumiere.fr");
    if (!anna || !jean) throw new Error("demo anchors missing");
    // Jean was exported earlier (a linked contact); the user also has private contacts of both.
    await seed(contacts, null, [
      { ...person("Jean", "Dupont", "jean.dupont@lumiere.fr"), link: { crmId: jean.id, syncState: null } },
    ]);
    const [annaOwn, jeanOwn] = await seed(contacts, null, [
      person("Anna", "Schmidt", "anna.schmidt@mueller-bau.de"),
      person("Jean", "Dupont", "jean.dupont@lumiere.fr"),
    ]);
    const candidates = await loadImportCandidates(contacts);
    expect(candidates.map((c) => c.id).sort()).toEqual([annaOwn, jeanOwn].sort());
    const { results } = await computeDuplicates(crm, candidates, {}, "DE");
    const plan = planImport({
      candidates,
      assignments: {},
      duplicates: results,
      selected: [],
      links: { [annaOwn ?? ""]: anna.id, [jeanOwn ?? ""]: jean.id },
      defaultRegion: "DE",
    });
    expect(plan.counts.link).toBe(2);

    const summary = await runImport(plan, { crm, contacts });

    expect(summary.linked).toBe(1);
    expect(summary.failed).toEqual([
      expect.objectContaining({
        outlookId: jeanOwn,
        stage: "link",
        error: expect.objectContaining({ code: "already-linked" }),
      }),
    ]);
    const box = graph.inspect(token);
    const byId = new Map(box.contacts.map((c) => [c.id, c]));
    expect(byId.get(annaOwn ?? "")?.extendedProperties[CRM_ID_PROPERTY]).toBe(anna.id);
    expect(byId.get(jeanOwn ?? "")?.extendedProperties[CRM_ID_PROPERTY] ?? null).toBeNull();
    expect(box.contacts.filter((c) => c.extendedProperties[CRM_ID_PROPERTY] === jean.id)).toHaveLength(1);
  });
});

describe("import runner: Cancel while a CRM create is in flight", () => {
  it("lets the create finish and links the person back (no unlinked CRM person left behind)", async () => {
    const { contacts, token } = freshMailbox();
    const email = "cancel.inflight@import-cancel.test";
    const [id] = await seed(contacts, null, [person("Max", "Neumann", email)]);
    const candidates = await loadImportCandidates(contacts);
    const { results } = await computeDuplicates(crm, candidates, {}, "DE");
    const plan = planImport({
      candidates,
      assignments: { [id ?? ""]: "bp-0001" },
      duplicates: results,
      selected: [id ?? ""],
      links: {},
      defaultRegion: "DE",
    });
    expect(plan.counts.import).toBe(1);

    const proxy = await startFaultProxy(new URL(crmServer.url).origin);
    try {
      const slowCrm = createCrmClient({
        baseUrl: `${proxy.origin}${new URL(crmServer.url).pathname}`,
        tokens: createStaticTokenProvider({ crm: crmServer.token, graph: graph.token }),
      });
      // The CRM creates the person at once; its answer reaches the pane only after 400 ms.
      proxy.enqueue({ kind: "hold-response", ms: 400 }, { method: "POST" });
      const controller = new AbortController();
      const cancel = setTimeout(() => controller.abort(), 150);
      const summary = await runImport(plan, { crm: slowCrm, contacts }, { signal: controller.signal });
      clearTimeout(cancel);
      expect(controller.signal.aborted).toBe(true);

      const inCrm = await crm.lookup({ emails: [email], phones: [], lastNames: [] });
      expect(inCrm).toHaveLength(1);
      expect(summary.failed).toEqual([]);
      expect(summary.imported).toBe(1);
      const box = graph.inspect(token);
      const contact = box.contacts.find((c) => c.id === id);
      expect(contact?.extendedProperties[CRM_ID_PROPERTY]).toBe(inCrm[0]?.id);
    } finally {
      await proxy.close();
    }
  });
});
