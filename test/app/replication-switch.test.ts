// The per-contact replication switch over real HTTP: the reference CRM server and the Graph
// emulator through the real adapters. The emulator's certificate is self-signed: the Graph
// client's fetch gets an undici dispatcher that accepts it (Jest's per-file process.env copy would
// not pass NODE_TLS_REJECT_UNAUTHORIZED on to Node's fetch).

import { createStaticTokenProvider } from "../../src/adapters/auth/static-token-provider";
import { createCrmClient } from "../../src/adapters/crm/crm-client";
import { CRM_ID_PROPERTY } from "../../src/adapters/graph/contact-mapping";
import { createGraphContactStore } from "../../src/adapters/graph/graph-contact-store";
import { toJpeg } from "../../src/adapters/graph/photo-jpeg";
import { runExport } from "../../src/app/export-runner";
import { getReplicationState, ReplicationSwitch } from "../../src/app/replication-switch";
import { AppError } from "../../src/core/errors";
import { parseConfig } from "../../src/core/config";
import type { BusinessPartner, ContactPerson } from "../../src/core/model";
import { planExport } from "../../src/core/plans/export-plan";
import type { ContactStore, CrmClient } from "../../src/core/ports";
import { decodeSyncState } from "../../src/core/sync-state";
import { defaultUserSettings, type UserSettings } from "../../src/core/user-settings";
import { startCrmServer, type CrmServerHandle } from "../servers/crm/server";
import { startGraphEmulator, type GraphEmulatorHandle } from "../servers/graph/emulator";
import { insecureFetchOptions } from "../servers/graph/insecure-fetch";
import { startFaultProxy } from "../support/fault-proxy";

jest.setTimeout(120_000);

let crmServer: CrmServerHandle;
let graph: GraphEmulatorHandle;
let crm: CrmClient;
let anna: ContactPerson;
let annaPartner: BusinessPartner;
let mailboxNo = 0;

function settings(overrides: Partial<UserSettings> = {}): UserSettings {
  const parsed = parseConfig({
    crmBaseUrl: crmServer.url,
    auth: { mode: "static", crmToken: crmServer.token, graphToken: graph.token },
    defaultPhoneRegion: "DE",
  });
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return { ...defaultUserSettings(parsed.config), ...overrides };
}

/** A fresh, empty mailbox per test, its store and a switch over it. */
function freshMailbox(overrides: Partial<UserSettings> = {}) {
  const token = `replication-switch-${++mailboxNo}`;
  graph.addMailbox(token);
  const contacts: ContactStore = createGraphContactStore({
    toJpeg,
    baseUrl: graph.url,
    tokens: createStaticTokenProvider({ crm: crmServer.token, graph: token }),
    fetchOptions: insecureFetchOptions(),
  });
  const replication = new ReplicationSwitch({ contacts, crm, loadSettings: async () => settings(overrides) });
  /** Contacts linked to `crmId` as the emulator holds them, split by Contacts vs Deleted Items. */
  const linked = (crmId: string) => {
    const box = graph.inspect(token);
    const all = box.contacts.filter((c) => c.extendedProperties[CRM_ID_PROPERTY] === crmId);
    return {
      live: all.filter((c) => c.folderId !== box.deletedItemsId),
      deleted: all.filter((c) => c.folderId === box.deletedItemsId),
      box,
    };
  };
  return { token, contacts, replication, linked };
}

beforeAll(async () => {
  [crmServer, graph] = await Promise.all([
    startCrmServer({ seed: "demo" }),
    startGraphEmulator({ seed: "none" }),
  ]);
  crm = createCrmClient({
    baseUrl: crmServer.url,
    tokens: createStaticTokenProvider({ crm: crmServer.token, graph: graph.token }),
  });
  const [found] = await crm.lookup({ emails: ["anna.schmidt@mueller-bau.de"], phones: [], lastNames: [] });
  if (!found) throw new Error("Anna Schmidt missing from the CRM demo data");
  anna = found;
  annaPartner = await crm.getBusinessPartner(anna.businessPartnerId);
});

afterAll(async () => {
  await Promise.allSettled([crmServer?.close(), graph?.close()]);
});

describe("ReplicationSwitch over HTTP", () => {
  it("on creates exactly one linked contact with sync state and photo; a second on changes nothing", async () => {
    const { contacts, replication, linked } = freshMailbox();
    expect((await getReplicationState(contacts, [anna.id])).get(anna.id)).toBe(false);

    const first = await replication.switchOn(anna, annaPartner);
    expect(first.status).toBe("created");
    expect(first.photo).toBe("written");
    const again = await replication.switchOn(anna, annaPartner);
    expect(again.status).toBe("existing");

    const { live, box } = linked(anna.id);
    expect(live).toHaveLength(1);
    expect(live[0]?.folderId).toBe(box.defaultFolderId);
    expect(live[0]?.photo).not.toBeNull();
    const [contact] = await contacts.findByCrmId(anna.id);
    expect(contact).toMatchObject({ givenName: "Anna", surname: "Schmidt", companyName: annaPartner.name });
    const state = decodeSyncState(contact?.link?.syncState);
    expect(state?.crmVersion).toBe(anna.version);
    expect(state?.photoHash).not.toBeNull();
    expect((await getReplicationState(contacts, [anna.id, "cp-unknown"])).get(anna.id)).toBe(true);
  });

  it("creates the contact in the configured folder (created if missing)", async () => {
    const { replication, linked } = freshMailbox({ folderName: "CRM contacts" });
    await replication.switchOn(anna, annaPartner);
    const { live, box } = linked(anna.id);
    const folder = box.folders.find((f) => f.displayName === "CRM contacts");
    expect(folder).toBeDefined();
    expect(live.map((c) => c.folderId)).toEqual([folder?.id]);
  });

  it("off deletes the linked contact: gone from Contacts, present in Deleted Items", async () => {
    const { contacts, replication, linked } = freshMailbox();
    await replication.switchOn(anna, annaPartner);
    expect(await replication.switchOff(anna.id)).toEqual({ deleted: 1 });
    const { live, deleted } = linked(anna.id);
    expect(live).toHaveLength(0);
    expect(deleted).toHaveLength(1);
    expect((await getReplicationState(contacts, [anna.id])).get(anna.id)).toBe(false);
    expect(await replication.switchOff(anna.id)).toEqual({ deleted: 0 });
  });

  it("the state comes from the mailbox: another switch (another device) sees it", async () => {
    const device1 = freshMailbox();
    await device1.replication.switchOn(anna, annaPartner);
    const device2 = new ReplicationSwitch({
      contacts: device1.contacts,
      crm,
      loadSettings: async () => settings(),
    });
    expect((await device2.state([anna.id])).get(anna.id)).toBe(true);
    expect((await device2.switchOn(anna, annaPartner)).status).toBe("existing");
    expect(device1.linked(anna.id).live).toHaveLength(1);
  });

  it("rapid on/off/on/off/on fired concurrently leaves exactly one linked contact", async () => {
    const { replication, linked } = freshMailbox();
    await Promise.all([
      replication.switchOn(anna, annaPartner),
      replication.switchOff(anna.id),
      replication.switchOn(anna, annaPartner),
      replication.switchOff(anna.id),
      replication.switchOn(anna, annaPartner),
    ]);
    expect(linked(anna.id).live).toHaveLength(1);
  });

  it("on/off/on/off fired concurrently leaves none", async () => {
    const { replication, linked } = freshMailbox();
    await Promise.all([
      replication.switchOn(anna, annaPartner),
      replication.switchOff(anna.id),
      replication.switchOn(anna, annaPartner),
      replication.switchOff(anna.id),
    ]);
    expect(linked(anna.id).live).toHaveLength(0);
  });

  it("repeated concurrent on never creates two", async () => {
    const { replication, linked } = freshMailbox();
    const results = await Promise.all([1, 2, 3].map(() => replication.switchOn(anna, annaPartner)));
    expect(results.map((r) => r.status).sort()).toEqual(["created", "existing", "existing"]);
    expect(linked(anna.id).live).toHaveLength(1);
  });

  it("reads the state of many ids with one listing instead of one lookup per id", async () => {
    const { contacts, replication } = freshMailbox();
    await replication.switchOn(anna, annaPartner);
    const ids = [anna.id, "cp-x1", "cp-x2", "cp-x3", "cp-x4", "cp-x5"];
    graph.resetRequestCounts();
    const state = await getReplicationState(contacts, ids);
    const listing = graph.requestCounts().total ?? 0;
    graph.resetRequestCounts();
    for (const id of ids) await contacts.findByCrmId(id);
    const perId = graph.requestCounts().total ?? 0;
    expect([...state.entries()].filter(([, on]) => on)).toEqual([[anna.id, true]]);
    expect(listing).toBeLessThan(perId);
  });

  describe.each([
    ["the photo upload failed (network)", false],
    ["the pane was closed after the create (nothing after it arrives)", true],
  ])("a switch-on where %s", (_label, stateWriteLost) => {
    it("leaves a state that a later export completes: the photo arrives, the state names it", async () => {
      const { contacts, linked } = freshMailbox();
      const lost = () => new AppError("network", "The connection was lost");
      const broken: ContactStore = {
        ...contacts,
        putPhoto: () => Promise.reject(lost()),
        updateContacts: (items, opts) =>
          stateWriteLost
            ? Promise.resolve(items.map(() => ({ ok: false as const, error: lost() })))
            : contacts.updateContacts(items, opts),
      };
      const replication = new ReplicationSwitch({
        contacts: broken,
        crm,
        loadSettings: async () => settings(),
      });
      const result = await replication.switchOn(anna, annaPartner);
      expect(result.status).toBe("created");
      expect(result.photo).toBe("skipped");
      expect(linked(anna.id).live[0]?.photo).toBeNull();
      // Whatever the switch left, its state must not claim a photo Outlook does not have.
      const [left] = await contacts.findByCrmId(anna.id);
      expect(decodeSyncState(left?.link?.syncState)?.photoHash ?? null).toBeNull();

      // The connection is back: exporting the person completes the contact.
      const { fieldDirections, folderName } = settings();
      const plan = planExport({
        selected: [{ person: anna, partner: annaPartner }],
        linked: await contacts.listLinkedContacts(),
        deselectedExported: [],
        options: { withdrawDeselected: false, fieldDirections },
        now: new Date().toISOString(),
      });
      const summary = await runExport(plan, { crm, contacts }, { folderName, fieldDirections });
      expect(summary.failed).toEqual([]);
      expect(summary.created).toBe(0);
      const { live } = linked(anna.id);
      expect(live).toHaveLength(1);
      expect(live[0]?.photo).not.toBeNull();
      const [contact] = await contacts.findByCrmId(anna.id);
      const state = decodeSyncState(contact?.link?.syncState);
      expect(state?.crmVersion).toBe(anna.version);
      expect(state?.photoHash).not.toBeNull();
    });
  });

  it("a CRM photo that is not a JPEG/PNG image is skipped as photo-invalid; the contact is created", async () => {
    const { contacts, linked } = freshMailbox();
    const proxy = await startFaultProxy(new URL(crmServer.url).origin);
    try {
      const gifCrm = createCrmClient({
        baseUrl: `${proxy.origin}${new URL(crmServer.url).pathname}`,
        tokens: createStaticTokenProvider({ crm: crmServer.token, graph: graph.token }),
      });
      proxy.enqueue(
        { kind: "respond", status: 200, headers: { "content-type": "image/gif" }, body: "GIF89a" },
        { method: "GET" },
      );
      const gifSwitch = new ReplicationSwitch({
        contacts,
        crm: gifCrm,
        loadSettings: async () => settings(),
      });
      const result = await gifSwitch.switchOn(anna, annaPartner);
      expect(result.status).toBe("created");
      expect(result.photo).toBe("skipped");
      expect(result.photoError?.code).toBe("photo-invalid");
      const { live } = linked(anna.id);
      expect(live).toHaveLength(1);
      expect(live[0]?.photo).toBeNull();
      const [contact] = await contacts.findByCrmId(anna.id);
      const state = decodeSyncState(contact?.link?.syncState);
      expect(state?.crmVersion).toBe(anna.version);
      expect(state?.photoHash).toBeNull();
    } finally {
      await proxy.close();
    }
  });
});
