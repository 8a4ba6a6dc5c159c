// The export runner over real HTTP: reference CRM server + Graph emulator + the real adapters.
// The emulator's certificate is self-signed: the Graph client gets fetch options that accept it.
import { createStaticTokenProvider } from "../../src/adapters/auth/static-token-provider";
import { createCrmClient } from "../../src/adapters/crm/crm-client";
import { CRM_ID_PROPERTY } from "../../src/adapters/graph/contact-mapping";
import { createGraphContactStore } from "../../src/adapters/graph/graph-contact-store";
import { toJpeg } from "../../src/adapters/graph/photo-jpeg";
import { runExport, type ExportSummary } from "../../src/app/export-runner";
import { defaultFieldDirections, recordFromCrm, recordFromOutlook } from "../../src/core/mapping";
import type { BusinessPartner, ContactPerson } from "../../src/core/model";
import { exportLink, planExport, type ExportSelection } from "../../src/core/plans/export-plan";
import type { ContactStore, CrmClient } from "../../src/core/ports";
import { decodeSyncState } from "../../src/core/sync-state";
import { startCrmServer, type CrmServerHandle } from "../servers/crm/server";
import { startGraphEmulator, type GraphEmulatorHandle } from "../servers/graph/emulator";
import { insecureFetchOptions } from "../servers/graph/insecure-fetch";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy";

jest.setTimeout(180_000);

const PERSONS = 300;
const options = { withdrawDeselected: true, fieldDirections: defaultFieldDirections };
const runOptions = { folderName: "CRM", fieldDirections: defaultFieldDirections };

let crmServer: CrmServerHandle;
let graph: GraphEmulatorHandle;
let crm: CrmClient;
let selected: ExportSelection[];
let mailboxNo = 0;

function freshMailbox(): { contacts: ContactStore; token: string } {
  const token = `export-test-${++mailboxNo}`;
  graph.addMailbox(token);
  const contacts = createGraphContactStore({
    toJpeg,
    baseUrl: graph.url,
    tokens: createStaticTokenProvider({ crm: crmServer.token, graph: token }),
    fetchOptions: insecureFetchOptions(),
  });
  return { contacts, token };
}

/** Outlook write requests the emulator counted (batch members under their own keys). */
function graphWrites(): number {
  return Object.entries(graph.requestCounts())
    .filter(([key]) => /^(POST|PATCH|PUT|DELETE) /.test(key) && key !== "POST /$batch")
    .reduce((sum, [, n]) => sum + n, 0);
}

async function exportOnce(contacts: ContactStore, signal?: AbortSignal, onCreated?: (done: number) => void) {
  const linked = await contacts.listLinkedContacts();
  const plan = planExport({
    selected,
    linked,
    deselectedExported: [],
    options,
    now: new Date().toISOString(),
  });
  const summary = await runExport(
    plan,
    { crm, contacts },
    {
      ...runOptions,
      signal,
      onProgress: (p) => {
        if (p.phase === "create") onCreated?.(p.done);
      },
    },
  );
  return { plan, summary };
}

/** The mailbox's contacts outside Deleted Items, per CRM id. */
function linkedInMailbox(token: string): Map<string, number> {
  const box = graph.inspect(token);
  const counts = new Map<string, number>();
  for (const contact of box.contacts) {
    if (contact.folderId === box.deletedItemsId) continue;
    const crmId = contact.extendedProperties[CRM_ID_PROPERTY];
    if (crmId) counts.set(crmId, (counts.get(crmId) ?? 0) + 1);
  }
  return counts;
}

/** Exactly one contact per selected person, with the CRM's values, a final sync state and the photo. */
async function expectConverged(contacts: ContactStore, token: string): Promise<void> {
  const counts = linkedInMailbox(token);
  expect(counts.size).toBe(PERSONS);
  expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
  const byId = new Map(selected.map((s) => [s.person.id, s]));
  const linked = await contacts.listLinkedContacts();
  expect(linked).toHaveLength(PERSONS);
  for (const contact of linked) {
    const entry = byId.get(contact.link?.crmId ?? "");
    expect(entry).toBeDefined();
    if (!entry) continue;
    expect(recordFromOutlook(contact)).toEqual(recordFromCrm(entry.person, entry.partner));
    expect(decodeSyncState(contact.link?.syncState)?.crmVersion).toBe(entry.person.version);
  }
  const box = graph.inspect(token);
  const withPhoto = new Set(selected.filter((s) => s.person.hasPhoto).map((s) => s.person.id));
  const photos = box.contacts.filter((c) => withPhoto.has(c.extendedProperties[CRM_ID_PROPERTY] ?? ""));
  expect(photos.length).toBe(withPhoto.size);
  for (const contact of photos) expect(contact.photo).not.toBeNull();
}

beforeAll(async () => {
  crmServer = await startCrmServer({ seed: "demo" });
  graph = await startGraphEmulator({ seed: "none" });
  crm = createCrmClient({
    baseUrl: crmServer.url,
    tokens: createStaticTokenProvider({ crm: crmServer.token, graph: graph.token }),
  });
  const persons: ContactPerson[] = [];
  let cursor: string | undefined;
  do {
    const page = await crm.searchContactPersons({ cursor, limit: 100 });
    persons.push(...page.items.filter((p) => p.status === "active")); // inactive ones are never exported
    cursor = page.nextCursor ?? undefined;
  } while (cursor && persons.length < PERSONS);
  const chosen = persons.slice(0, PERSONS);
  const partners = new Map<string, BusinessPartner>();
  for (const id of new Set(chosen.map((p) => p.businessPartnerId)))
    partners.set(id, await crm.getBusinessPartner(id));
  selected = chosen.map((person) => ({ person, partner: partners.get(person.businessPartnerId) ?? null }));
});

afterAll(async () => {
  await graph?.close();
  await crmServer?.close();
});

beforeEach(() => {
  graph.setFaults({ faultRate: 0 });
  graph.setLatency(0);
});

describe("runExport over the CRM server and the Graph emulator", () => {
  it("exports 300 persons under 10% faults, then converges without faults; a re-run writes nothing", async () => {
    expect(selected.some((s) => s.person.hasPhoto)).toBe(true);
    const { contacts, token } = freshMailbox();

    graph.setFaults({ faultRate: 0.1, faultSeed: 42 });
    const first = await exportOnce(contacts);
    expect(first.plan.counts.create).toBe(PERSONS);
    expect(first.summary.created + first.summary.failed.length).toBeLessThanOrEqual(PERSONS);

    graph.setFaults({ faultRate: 0 });
    const second = await exportOnce(contacts);
    expect(second.summary.failed).toEqual([]);
    await expectConverged(contacts, token);

    graph.resetRequestCounts();
    const third = await exportOnce(contacts);
    expect(third.plan.counts).toEqual({ create: 0, update: 0, unchanged: PERSONS, withdraw: 0 });
    expect(graphWrites()).toBe(0);
    expect(third.summary).toMatchObject<Partial<ExportSummary>>({
      unchanged: PERSONS,
      created: 0,
      updated: 0,
    });
  });

  it("an export cancelled mid-way, then re-run, converges with no duplicates", async () => {
    const { contacts, token } = freshMailbox();
    const controller = new AbortController();
    const first = await exportOnce(contacts, controller.signal, (done) => {
      if (done >= 100) controller.abort();
    });
    expect(first.summary.cancelled).toBe(true);
    expect(first.summary.created).toBeGreaterThanOrEqual(100);
    expect(first.summary.created).toBeLessThan(PERSONS);
    // What was done is consistent: every contact there is linked to a distinct person.
    const partial = linkedInMailbox(token);
    expect([...partial.values()].every((n) => n === 1)).toBe(true);
    expect(partial.size).toBeGreaterThanOrEqual(first.summary.created);

    const second = await exportOnce(contacts);
    expect(second.summary.failed).toEqual([]);
    expect(second.summary.cancelled).toBe(false);
    await expectConverged(contacts, token);
  });

  it("a stale plan (made before an earlier run) creates nothing twice", async () => {
    const { contacts, token } = freshMailbox();
    const stale = planExport({
      selected,
      linked: [],
      deselectedExported: [],
      options,
      now: new Date().toISOString(),
    });
    await runExport(stale, { crm, contacts }, runOptions);
    graph.resetRequestCounts();
    const summary = await runExport(stale, { crm, contacts }, runOptions);
    expect(summary.created).toBe(0);
    expect(summary.unchanged).toBe(PERSONS);
    expect(graphWrites()).toBe(0);
    await expectConverged(contacts, token);
  });

  it("reduces duplicate links to one and withdraws persons moved back", async () => {
    const { contacts, token } = freshMailbox();
    const few = selected.slice(0, 3);
    const plan = planExport({
      selected: few,
      linked: [],
      deselectedExported: [],
      options,
      now: new Date().toISOString(),
    });
    await runExport(plan, { crm, contacts }, runOptions);
    // A second contact for the first person (as an interrupted run on the real Graph may leave).
    const dupe = plan.steps[0];
    if (dupe?.kind !== "create") throw new Error("expected create");
    await contacts.createContacts([{ folderId: null, contact: dupe.write }]);
    expect(linkedInMailbox(token).get(dupe.crmId)).toBe(2);

    const linked = await contacts.listLinkedContacts();
    const next = planExport({
      selected: few.slice(0, 2),
      linked,
      deselectedExported: [few[2]?.person.id ?? ""],
      options,
      now: new Date().toISOString(),
    });
    expect(next.duplicates).toHaveLength(1);
    expect(
      next.steps
        .filter((s) => s.kind === "withdraw")
        .map((s) => s.reason)
        .sort(),
    ).toEqual(["deselected", "duplicate-link"]);
    const summary = await runExport(next, { crm, contacts }, runOptions);
    expect(summary.withdrawn).toBe(2);
    const after = linkedInMailbox(token);
    expect(after.get(dupe.crmId)).toBe(1);
    expect(after.has(few[2]?.person.id ?? "")).toBe(false);
    expect(
      graph.inspect(token).contacts.filter((c) => c.folderId === graph.inspect(token).deletedItemsId),
    ).toHaveLength(2);
  });
});

describe("runExport: failures reading a CRM photo", () => {
  let proxy: FaultProxy;
  let flakyCrm: CrmClient;

  beforeAll(async () => {
    proxy = await startFaultProxy(new URL(crmServer.url).origin);
    flakyCrm = createCrmClient({
      baseUrl: `${proxy.origin}${new URL(crmServer.url).pathname}`,
      tokens: createStaticTokenProvider({ crm: crmServer.token, graph: graph.token }),
      retries: 0,
    });
  });

  afterAll(async () => {
    await proxy?.close();
  });

  const withPhoto = (): ExportSelection[] => selected.filter((s) => s.person.hasPhoto).slice(0, 1);

  async function photoOf(token: string, crmId: string) {
    const box = graph.inspect(token);
    return box.contacts.find(
      (c) => c.folderId !== box.deletedItemsId && c.extendedProperties[CRM_ID_PROPERTY] === crmId,
    )?.photo;
  }

  async function run(contacts: ContactStore, client: CrmClient, few: ExportSelection[]) {
    const plan = planExport({
      selected: few,
      linked: await contacts.listLinkedContacts(),
      deselectedExported: [],
      options,
      now: new Date().toISOString(),
    });
    return { plan, summary: await runExport(plan, { crm: client, contacts }, runOptions) };
  }

  it("a create whose photo read failed (503) gets its photo on the next run", async () => {
    const { contacts, token } = freshMailbox();
    const few = withPhoto();
    expect(few).toHaveLength(1);
    const crmId = few[0]?.person.id ?? "";

    proxy.enqueue({ kind: "respond", status: 503 }, { method: "GET" });
    const first = await run(contacts, flakyCrm, few);
    expect(first.summary.created).toBe(1);
    expect(first.summary.photosSkipped.map((p) => p.code)).toEqual(["server"]);
    expect(await photoOf(token, crmId)).toBeNull();

    const second = await run(contacts, crm, few);
    expect(second.summary.failed).toEqual([]);
    expect(await photoOf(token, crmId)).not.toBeNull();
    const [contact] = await contacts.findByCrmId(crmId);
    const state = decodeSyncState(contact?.link?.syncState);
    expect(state?.crmVersion).toBe(few[0]?.person.version);
    expect(state?.photoHash).not.toBeNull();
  });

  it("a CRM photo that is not a JPEG/PNG image is skipped as photo-invalid; the contact is exported", async () => {
    const { contacts, token } = freshMailbox();
    const few = withPhoto();
    const crmId = few[0]?.person.id ?? "";
    proxy.enqueue(
      { kind: "respond", status: 200, headers: { "content-type": "image/gif" }, body: "GIF89a" },
      { method: "GET" },
    );
    const { summary } = await run(contacts, flakyCrm, few);
    expect(summary.created).toBe(1);
    expect(summary.failed).toEqual([]);
    expect(summary.photosSkipped).toEqual([{ crmId, label: expect.any(String), code: "photo-invalid" }]);
    expect(await photoOf(token, crmId)).toBeNull();
  });

  it("an update whose photo read failed (connection reset) gets its photo on the next run", async () => {
    const { contacts, token } = freshMailbox();
    const few = withPhoto();
    const crmId = few[0]?.person.id ?? "";
    // Linked without photo and with an outdated state (as an export before a CRM change leaves it).
    const stale = planExport({
      selected: few,
      linked: [],
      deselectedExported: [],
      options,
      now: new Date().toISOString(),
    }).steps[0];
    if (stale?.kind !== "create") throw new Error("expected create");
    const link = exportLink(crmId, { ...stale, crmVersion: "older-version" }, new Date().toISOString());
    await contacts.createContacts([{ folderId: null, contact: { ...stale.write, link } }]);

    proxy.enqueue({ kind: "reset" }, { method: "GET" });
    const first = await run(contacts, flakyCrm, few);
    expect(first.plan.counts.update).toBe(1);
    expect(first.summary.updated).toBe(1);
    expect(first.summary.photosSkipped.map((p) => p.code)).toEqual(["network"]);
    expect(await photoOf(token, crmId)).toBeNull();

    const second = await run(contacts, crm, few);
    expect(second.summary.failed).toEqual([]);
    expect(await photoOf(token, crmId)).not.toBeNull();
    const [contact] = await contacts.findByCrmId(crmId);
    expect(decodeSyncState(contact?.link?.syncState)?.photoHash).not.toBeNull();
  });
});
