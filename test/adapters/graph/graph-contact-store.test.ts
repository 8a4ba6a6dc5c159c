// The Graph contact store over real HTTPS to the Graph emulator. Its certificate is self-signed:
// the Graph client's fetch gets an undici dispatcher that accepts it (fetchOptions), because Jest's
// per-file process.env copy would not pass NODE_TLS_REJECT_UNAUTHORIZED on to Node's fetch.

import { startGraphEmulator, type GraphEmulatorHandle } from "../../servers/graph/emulator";
import { createGraphContactStore } from "../../../src/adapters/graph/graph-contact-store";
import { toJpeg } from "../../../src/adapters/graph/photo-jpeg";
import {
  BUSINESS_FAX_PROPERTY,
  CRM_ID_PROPERTY,
  SYNC_STATE_PROPERTY,
} from "../../../src/adapters/graph/contact-mapping";
import { createStaticTokenProvider } from "../../../src/adapters/auth/static-token-provider";
import { AppError } from "../../../src/core/errors";
import { insecureFetchOptions } from "../../servers/graph/insecure-fetch";
import type { ContactStore } from "../../../src/core/ports";
import type { OutlookContactWrite } from "../../../src/core/model";

jest.setTimeout(120_000);

let graph: GraphEmulatorHandle;
let mailboxNo = 0;

/** A fresh, empty mailbox per test and a store bound to it. */
function freshStore(overrides: { maxInFlight?: number } = {}): { store: ContactStore; token: string } {
  const token = `test-mailbox-${++mailboxNo}`;
  graph.addMailbox(token);
  const store = createGraphContactStore({
    toJpeg,
    baseUrl: graph.url,
    tokens: createStaticTokenProvider({ crm: "unused", graph: token }),
    fetchOptions: insecureFetchOptions(),
    ...overrides,
  });
  return { store, token };
}

function person(i: number, crm = true): OutlookContactWrite {
  return {
    givenName: `Vorname${i}`,
    surname: `Nachname${i}`,
    emailAddresses: [{ name: null, address: `person${i}@example.com` }],
    businessPhones: ["+49 89 1234567"],
    mobilePhone: "+49 171 2345678",
    businessFax: "+49 89 7654321",
    businessAddress: {
      street: "Hauptstr. 1",
      city: "München",
      postalCode: "80331",
      countryOrRegion: "Deutschland",
    },
    birthday: "1980-02-29",
    link: crm ? { crmId: `cp-${i}`, syncState: `state-${i}` } : undefined,
  };
}

beforeAll(async () => {
  graph = await startGraphEmulator({ seed: "none" });
});

afterAll(async () => {
  await graph.close();
});

beforeEach(() => {
  graph.setFaults({ faultRate: 0 });
  graph.setLatency(0);
});

describe("Graph contact store (no faults)", () => {
  it("creates, reads, finds by CRM id and lists with the link and fax expanded", async () => {
    const { store, token } = freshStore();
    const [created] = await store.createContacts([{ folderId: null, contact: person(1) }]);
    if (!created.ok) throw created.error;
    expect(created.value.displayName).toBe("Vorname1 Nachname1");
    expect(created.value.link).toEqual({ crmId: "cp-1", syncState: "state-1" });

    const got = await store.getContact(created.value.id);
    expect(got).toMatchObject({
      surname: "Nachname1",
      businessFax: "+49 89 7654321",
      birthday: "1980-02-29",
      businessAddress: {
        street: "Hauptstr. 1",
        city: "München",
        postalCode: "80331",
        countryOrRegion: "Deutschland",
      },
      link: { crmId: "cp-1", syncState: "state-1" },
      emailAddresses: [{ name: "person1@example.com", address: "person1@example.com" }],
    });
    expect(got.changeKey).toBe(created.value.changeKey);

    const found = await store.findByCrmId("cp-1");
    expect(found.map((c) => c.id)).toEqual([created.value.id]);
    expect(await store.findByCrmId("cp-unknown")).toEqual([]);

    const state = graph.inspect(token);
    expect(state.contacts[0].extendedProperties).toEqual({
      [BUSINESS_FAX_PROPERTY]: "+49 89 7654321",
      [CRM_ID_PROPERTY]: "cp-1",
      [SYNC_STATE_PROPERTY]: "state-1",
    });
  });

  it("pages through more than one page and returns results in input order", async () => {
    const { store } = freshStore();
    const items = Array.from({ length: 45 }, (_, i) => ({ folderId: null, contact: person(i) }));
    const progress: number[] = [];
    const results = await store.createContacts(items, { onProgress: (done) => progress.push(done) });
    expect(results.map((r) => (r.ok ? r.value.surname : "fail"))).toEqual(
      items.map((_, i) => `Nachname${i}`),
    );
    expect(progress[progress.length - 1]).toBe(45);
    graph.resetRequestCounts();
    const listed = await store.listContacts(null);
    expect(listed).toHaveLength(45);
    expect(graph.requestCounts()["GET /me/contacts"]).toBe(1);
    expect(graph.requestCounts()["POST /$batch"]).toBeUndefined();
  });

  it("updates keep the link unless the patch changes it; null removes it", async () => {
    const { store } = freshStore();
    const [c] = await store.createContacts([{ folderId: null, contact: person(2) }]);
    if (!c.ok) throw c.error;
    const [u1, missing] = await store.updateContacts([
      { id: c.value.id, patch: { jobTitle: "Einkauf" } },
      { id: "AAMkAGdoesnotexistAAA=", patch: { jobTitle: "x" } },
    ]);
    expect(u1.ok && u1.value.jobTitle).toBe("Einkauf");
    expect(u1.ok && u1.value.link).toEqual({ crmId: "cp-2", syncState: "state-2" });
    expect(u1.ok && u1.value.changeKey).not.toBe(c.value.changeKey);
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error.code).toBe("not-found");

    const [u2] = await store.updateContacts([{ id: c.value.id, patch: { link: null, businessFax: null } }]);
    expect(u2.ok && u2.value.link).toBeNull();
    expect((await store.getContact(c.value.id)).link).toBeNull();
    expect(await store.findByCrmId("cp-2")).toEqual([]);
  });

  it("completes an update's result from the caller's `current` instead of reading the contact again", async () => {
    const { store } = freshStore();
    const [c] = await store.createContacts([{ folderId: null, contact: person(3) }]);
    if (!c.ok) throw c.error;
    graph.resetRequestCounts();
    const [withCurrent] = await store.updateContacts([
      { id: c.value.id, patch: { jobTitle: "Vertrieb" }, current: c.value },
    ]);
    expect(withCurrent.ok && withCurrent.value.link).toEqual({ crmId: "cp-3", syncState: "state-3" });
    expect(withCurrent.ok && withCurrent.value.businessFax).toBe("+49 89 7654321");
    expect(graph.requestCounts()["GET /me/contacts/{id}"]).toBeUndefined();
    const [withoutCurrent] = await store.updateContacts([{ id: c.value.id, patch: { jobTitle: "Einkauf" } }]);
    expect(withoutCurrent.ok && withoutCurrent.value.businessFax).toBe("+49 89 7654321");
    expect(graph.requestCounts()["GET /me/contacts/{id}"]).toBe(1); // the read-back it replaces
  });

  it("deletes move contacts to Deleted Items; folders; linked contacts across folders", async () => {
    const { store, token } = freshStore();
    const def = await store.ensureFolder(null);
    expect(def.displayName).toBe("Contacts");
    const crm = await store.ensureFolder("CRM");
    expect((await store.ensureFolder("CRM")).id).toBe(crm.id);
    expect((await store.listFolders()).map((f) => f.displayName).sort()).toEqual(["CRM", "Contacts"]);

    const results = await store.createContacts([
      { folderId: crm.id, contact: person(3) },
      { folderId: null, contact: person(4) },
      { folderId: null, contact: person(5, false) },
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    const linked = await store.listLinkedContacts();
    expect(linked.map((c) => c.link?.crmId).sort()).toEqual(["cp-3", "cp-4"]);
    expect((await store.findByCrmId("cp-3"))[0].parentFolderId).toBe(crm.id);

    const ids = results.map((r) => (r.ok ? r.value.id : ""));
    const deleted = await store.deleteContacts([ids[0], "AAMkAGnopeAAA="]);
    expect(deleted[0].ok).toBe(true);
    expect(!deleted[1].ok && deleted[1].error.code).toBe("not-found");
    const state = graph.inspect(token);
    expect(state.contacts.filter((c) => c.folderId === state.deletedItemsId)).toHaveLength(1);
    // With immutable ids a deleted contact keeps its id in Deleted Items (FIDELITY 3).
    expect((await store.getContact(ids[0])).parentFolderId).toBe(state.deletedItemsId);
    expect(await store.listContacts(crm.id)).toEqual([]);
    expect((await store.findByCrmId("cp-3")).length).toBe(0);
  });

  it("puts and gets photos; none -> null; too large -> payload-too-large", async () => {
    const { store } = freshStore();
    const [c] = await store.createContacts([{ folderId: null, contact: person(6) }]);
    if (!c.ok) throw c.error;
    expect(await store.getPhoto(c.value.id)).toBeNull();
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
      "base64",
    );
    // Graph takes JPEG only: the PNG is converted, and Outlook's re-encoded bytes come back.
    const held = await store.putPhoto(c.value.id, { contentType: "image/png", data: new Uint8Array(png) });
    const photo = await store.getPhoto(c.value.id);
    expect(photo?.contentType).toBe("image/jpeg");
    expect(
      Buffer.from(photo?.data ?? [])
        .subarray(0, 2)
        .toString("hex"),
    ).toBe("ffd8");
    expect(Buffer.from(photo?.data ?? []).equals(Buffer.from(held.data))).toBe(true);
    const big = new Uint8Array(4 * 1024 * 1024 + 1);
    await expect(store.putPhoto(c.value.id, { contentType: "image/jpeg", data: big })).rejects.toMatchObject({
      code: "payload-too-large",
    });
  });

  it("delta: initial round, changes, removals, and resync-required for an expired token", async () => {
    const { store, token } = freshStore();
    const folder = await store.ensureFolder("Sync");
    const created = await store.createContacts(
      Array.from({ length: 12 }, (_, i) => ({ folderId: folder.id, contact: person(100 + i) })),
    );
    const ids = created.map((r) => (r.ok ? r.value.id : ""));
    const round1 = await store.delta(folder.id, null);
    expect(round1.changed).toHaveLength(12);
    expect(round1.changed.every((c) => c.link !== null)).toBe(true);
    expect(round1.removed).toEqual([]);

    await store.updateContacts([{ id: ids[0], patch: { jobTitle: "Neu" } }]);
    await store.deleteContacts([ids[1]]);
    const round2 = await store.delta(folder.id, round1.deltaLink);
    expect(round2.changed.map((c) => c.id)).toEqual([ids[0]]);
    expect(round2.changed[0].link?.crmId).toBe("cp-100");
    expect(round2.removed).toEqual([ids[1]]);

    const round3 = await store.delta(folder.id, round2.deltaLink);
    expect(round3).toMatchObject({ changed: [], removed: [] });

    graph.expireDeltaTokens(token);
    await expect(store.delta(folder.id, round3.deltaLink)).rejects.toMatchObject({ code: "resync-required" });
  });

  it("maps errors: unauthorized token, validation", async () => {
    const bad = createGraphContactStore({
      toJpeg,
      baseUrl: graph.url,
      tokens: createStaticTokenProvider({ crm: "x", graph: "not-a-known-token" }),
      fetchOptions: insecureFetchOptions(),
    });
    const err = await bad.listFolders().catch((e: unknown) => e);
    expect(AppError.is(err, "unauthorized")).toBe(true);
    const { store } = freshStore();
    const [r] = await store.createContacts([
      { folderId: null, contact: { surname: "X", birthday: "not-a-date" } as OutlookContactWrite },
    ]);
    expect(!r.ok && r.error.code).toBe("validation");
  });

  it("never exceeds 4 requests in flight per mailbox, even with parallel calls", async () => {
    graph.setLatency(20);
    const { store } = freshStore();
    const before = graph.concurrencyRejections();
    await Promise.all([
      store.createContacts(
        Array.from({ length: 60 }, (_, i) => ({ folderId: null, contact: person(300 + i) })),
      ),
      store.listFolders(),
      store.listContacts(null),
      store.findByCrmId("cp-1"),
      store.ensureFolder("Parallel"),
    ]);
    expect(graph.concurrencyRejections()).toBe(before);
    expect(await store.listContacts(null)).toHaveLength(60);
  });
});

describe("Graph contact store with injected faults", () => {
  it("writes 500 contacts with a 10% fault rate: exactly 500, each once, with the extended property", async () => {
    const { store, token } = freshStore();
    graph.setFaults({ faultRate: 0.1, faultSeed: 42 });
    graph.resetRequestCounts();
    const items = Array.from({ length: 500 }, (_, i) => ({ folderId: null, contact: person(1000 + i) }));
    const results = await store.createContacts(items);
    graph.setFaults({ faultRate: 0 });
    const failures = results.filter((r) => !r.ok);
    expect(failures).toEqual([]);
    const counts = graph.requestCounts();
    // Faults happened and forced extra requests beyond the 25 batches of 20.
    expect(counts["POST /$batch"]).toBeGreaterThan(25);
    expect(counts["POST /me/contacts"]).toBeGreaterThan(500);
    // Creates with an unknown outcome (504, reset) were looked up by CRM id before re-sending.
    expect(counts["GET /me/contacts"]).toBeGreaterThan(0);

    const state = graph.inspect(token);
    const crmIds = state.contacts.map((c) => c.extendedProperties[CRM_ID_PROPERTY]);
    expect(state.contacts).toHaveLength(500);
    expect(new Set(crmIds).size).toBe(500);
    expect(crmIds.every((id) => typeof id === "string" && id.startsWith("cp-"))).toBe(true);
    // Results name the contacts that exist, in input order.
    results.forEach((r, i) => {
      expect(r.ok && r.value.link?.crmId).toBe(`cp-${1000 + i}`);
    });
    const listed = await store.listContacts(null);
    expect(listed).toHaveLength(500);
  });

  it("reads and updates survive faults too", async () => {
    const { store } = freshStore();
    const created = await store.createContacts(
      Array.from({ length: 40 }, (_, i) => ({ folderId: null, contact: person(2000 + i) })),
    );
    graph.setFaults({ faultRate: 0.2, faultSeed: 7 });
    const updated = await store.updateContacts(
      created.map((r) => ({ id: r.ok ? r.value.id : "", patch: { department: "Vertrieb" } })),
    );
    const listed = await store.listContacts(null);
    graph.setFaults({ faultRate: 0 });
    expect(updated.every((r) => r.ok && r.value.department === "Vertrieb")).toBe(true);
    expect(listed).toHaveLength(40);
  });
});

describe("Graph contact store: Cancel during a bulk update", () => {
  it("reports every PATCH that was executed as done, even when the read-back after it is cancelled", async () => {
    const { store, token } = freshStore();
    const created = await store.createContacts(
      Array.from({ length: 40 }, (_, i) => ({ folderId: null, contact: person(i) })),
    );
    const ids = created.map((r) => {
      if (!r.ok) throw r.error;
      return r.value.id;
    });
    const controller = new AbortController();
    // No `current` and no link/fax in the patch: the store reads the contacts back after the PATCH.
    const results = await store.updateContacts(
      ids.map((id) => ({ id, patch: { jobTitle: "Neu" } })),
      {
        signal: controller.signal,
        onProgress: (done) => {
          if (done >= 20) controller.abort();
        },
      },
    );
    const patched = new Set(
      graph
        .inspect(token)
        .contacts.filter((c) => c.props.jobTitle === "Neu")
        .map((c) => c.id),
    );
    expect(patched.size).toBeGreaterThanOrEqual(20);
    expect(patched.size).toBeLessThan(40);
    results.forEach((result, i) => {
      const id = ids[i] ?? "";
      if (patched.has(id)) expect(result.ok).toBe(true);
      else expect(!result.ok && result.error.code).toBe("cancelled");
    });
  });
});
