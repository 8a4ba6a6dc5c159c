/**
 * The add-in on Graph as it really behaves (../shared/reference/graph/FIDELITY.md), over real HTTPS
 * to the emulator and the reference CRM through the real adapters and runners: a mailbox with no
 * folders of its own, nested folders, birthdays shifted by a device's time zone, JPEG-only photos
 * that come back re-encoded, legacy batch throttling, cut list values and a 403 claims challenge.
 */
import { PNG } from "pngjs";
import { createGraphContactStore } from "../../src/adapters/graph/graph-contact-store";
import { toJpeg } from "../../src/adapters/graph/photo-jpeg";
import { runExport } from "../../src/app/export-runner";
import { ReplicationSwitch } from "../../src/app/replication-switch";
import { runSync, type SyncOutcome } from "../../src/app/sync-runner";
import type { ContactPerson } from "../../src/core/model";
import { planExport } from "../../src/core/plans/export-plan";
import type { TokenProvider } from "../../src/core/ports";
import { decodeSyncState } from "../../src/core/sync-state";
import { defaultUserSettings } from "../../src/core/user-settings";
import { birthdayStoredAt } from "../servers/graph/demo-seed";
import { insecureFetchOptions } from "../servers/graph/insecure-fetch";
import { exportPersons, loadPersons, newMailbox, startWorld, type Mailbox, type World } from "./sync-world";

jest.setTimeout(240_000);

/** Outlook write requests counted by the emulator (batch members under their own keys). */
function graphWrites(counts: Record<string, number>): number {
  return Object.entries(counts)
    .filter(([key]) => /^(POST|PATCH|PUT|DELETE) /.test(key) && key !== "POST /$batch")
    .reduce((sum, [, n]) => sum + n, 0);
}

function done(outcome: SyncOutcome) {
  if (outcome.status !== "done")
    throw new Error(`expected a finished run: ${JSON.stringify(outcome).slice(0, 300)}`);
  return outcome.entry;
}

/** Re-runs the export of `persons` (fresh versions) and returns its summary. */
async function reExport(
  world: World,
  mailbox: Mailbox,
  persons: ContactPerson[],
  folderName: string | null = null,
) {
  const fresh = (await world.crm.batchGet(persons.map((p) => p.id))).items;
  const partners = new Map(
    await Promise.all(
      [...new Set(fresh.map((p) => p.businessPartnerId))].map(
        async (id) => [id, await world.crm.getBusinessPartner(id)] as const,
      ),
    ),
  );
  const directions = defaultUserSettings(world.config).fieldDirections;
  const plan = planExport({
    selected: fresh.map((person) => ({ person, partner: partners.get(person.businessPartnerId) ?? null })),
    linked: await mailbox.contacts.listLinkedContacts(),
    deselectedExported: [],
    options: { withdrawDeselected: false, fieldDirections: directions },
    now: new Date().toISOString(),
  });
  return runExport(
    plan,
    { crm: world.crm, contacts: mailbox.contacts },
    { folderName, fieldDirections: directions },
  );
}

function pngOf(r: number, g: number, b: number): Uint8Array {
  const png = new PNG({ width: 8, height: 8 });
  for (let i = 0; i < 64; i++) png.data.set([r, g, b, 255], i * 4);
  return new Uint8Array(PNG.sync.write(png));
}

describe("on Graph as documented (default modes)", () => {
  let world: World;
  let persons: ContactPerson[];
  let used = 0;
  const take = (n: number): ContactPerson[] => persons.slice(used, (used += n));

  beforeAll(async () => {
    world = await startWorld();
    persons = await loadPersons(world.crm, 60);
  });
  afterAll(async () => {
    await world.close();
  });

  it("a mailbox with no folders of its own: export into the default folder, every link found, a re-run writes nothing, off/on makes one contact", async () => {
    const mailbox = await newMailbox(world);
    const chosen = take(5);
    await exportPersons(world, mailbox, chosen);
    const box = world.graph.inspect(mailbox.token);
    expect(box.contacts.map((c) => c.folderId)).toEqual(chosen.map(() => box.defaultFolderId));
    expect((await mailbox.contacts.listLinkedContacts()).map((c) => c.link?.crmId).sort()).toEqual(
      chosen.map((p) => p.id).sort(),
    );
    for (const p of chosen) expect(await mailbox.contacts.findByCrmId(p.id)).toHaveLength(1);

    world.graph.resetRequestCounts();
    const again = await reExport(world, mailbox, chosen);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 5, failed: [] });
    expect(graphWrites(world.graph.requestCounts())).toBe(0);

    const person = (await world.crm.batchGet([chosen[0]?.id ?? ""])).items[0] as ContactPerson;
    const partner = await world.crm.getBusinessPartner(person.businessPartnerId);
    const replication = new ReplicationSwitch({
      contacts: mailbox.contacts,
      crm: world.crm,
      loadSettings: async () => defaultUserSettings(world.config),
    });
    expect((await replication.switchOn(person, partner)).status).toBe("existing");
    expect(await replication.switchOff(person.id)).toEqual({ deleted: 1 });
    expect((await replication.switchOn(person, partner)).status).toBe("created");
    const after = world.graph.inspect(mailbox.token);
    const live = after.contacts.filter((c) => c.folderId !== after.deletedItemsId);
    expect(live.filter((c) => Object.values(c.extendedProperties).includes(person.id))).toHaveLength(1);
    expect(await mailbox.contacts.findByCrmId(person.id)).toHaveLength(1);
  });

  it("nested folders: a linked contact moved two levels down stays linked and synced, and is never exported again", async () => {
    const mailbox = await newMailbox(world);
    const chosen = take(3);
    await exportPersons(world, mailbox, chosen);
    done(await runSync(mailbox.deps, { force: true }));
    const person = chosen[1] as ContactPerson;
    const [contact] = await mailbox.contacts.findByCrmId(person.id);
    // The user creates "Kunden" > "Nord" in Outlook and drags the contact there (its REST id changes).
    const mb = world.graph.mailbox(mailbox.token);
    const nord = mb.createFolder("Nord", mb.createFolder("Kunden").id);
    world.graph.moveContact(contact?.id ?? "", nord.id, mailbox.token);
    const current = (await world.crm.batchGet([person.id])).items[0] as ContactPerson;
    await world.crm.updateContactPerson(person.id, { department: "Moved down" }, current.version);

    const entry = done(await runSync(mailbox.deps, { force: true }));
    expect(entry.counts).toMatchObject({ unlinked: 0, deleted: 0, updatedOutlook: 1, failed: 0 });
    const found = await mailbox.contacts.findByCrmId(person.id);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ id: contact?.id, parentFolderId: nord.id, department: "Moved down" });

    const again = await reExport(world, mailbox, chosen);
    expect(again.created).toBe(0);
    expect(again.failed).toEqual([]);
    expect(await mailbox.contacts.findByCrmId(person.id)).toHaveLength(1);
  });

  it("birthdays stored by devices at UTC+2 and at UTC-8 sync without any CRM write", async () => {
    const mailbox = await newMailbox(world, { fieldDirections: { birthday: "two-way" } });
    const chosen = take(2);
    const people: ContactPerson[] = [];
    for (const p of chosen)
      people.push(await world.crm.updateContactPerson(p.id, { birthday: "1984-03-01" }, p.version));
    // A folder of its own: this test is about birthdays, not about the default folder.
    await exportPersons(world, mailbox, people, { birthday: "two-way" }, "CRM");
    done(await runSync(mailbox.deps, { force: true }));
    // Outlook for Windows on each device rewrites the birthday as its local midnight.
    for (const [person, offset] of [
      [people[0], 2],
      [people[1], -8],
    ] as const) {
      const [contact] = await mailbox.contacts.findByCrmId(person?.id ?? "");
      const res = await fetch(`${world.graph.url}/me/contacts/${encodeURIComponent(contact?.id ?? "")}`, {
        ...insecureFetchOptions(),
        method: "PATCH",
        headers: { authorization: `Bearer ${mailbox.token}`, "content-type": "application/json" },
        body: JSON.stringify({ birthday: birthdayStoredAt("1984-03-01", offset) }),
      });
      expect(res.status).toBe(200);
      expect((await mailbox.contacts.getContact(contact?.id ?? "")).birthday).toBe("1984-03-01");
    }

    const entry = done(await runSync(mailbox.deps, { force: true }));
    expect(entry.counts).toMatchObject({ updatedCrm: 0, failed: 0 });
    const after = (await world.crm.batchGet(people.map((p) => p.id))).items;
    expect(after.map((p) => [p.birthday, p.version])).toEqual(people.map((p) => ["1984-03-01", p.version]));
  });

  it("a PNG CRM photo lands as JPEG, and the next sync (and export) uploads nothing", async () => {
    const mailbox = await newMailbox(world);
    const [chosen] = take(1) as [ContactPerson];
    await world.crm.putPhoto(chosen.id, { contentType: "image/png", data: pngOf(200, 40, 40) });
    await exportPersons(world, mailbox, [chosen], {}, "CRM");
    const held = world.graph.inspect(mailbox.token).contacts[0];
    expect(held?.photo?.contentType).toBe("image/jpeg");
    const state = decodeSyncState((await mailbox.contacts.findByCrmId(chosen.id))[0]?.link?.syncState);
    expect(state?.outlookPhotoHash).toBeTruthy();
    expect(state?.outlookPhotoHash).not.toBe(state?.photoHash);

    world.graph.resetRequestCounts();
    done(await runSync(mailbox.deps, { force: true }));
    done(await runSync(mailbox.deps, { force: true }));
    expect(world.graph.requestCounts()["PUT /me/contacts/{id}/photo/$value"]).toBeUndefined();
    expect(graphWrites(world.graph.requestCounts())).toBe(0);
    const again = await reExport(world, mailbox, [chosen], "CRM");
    expect(again).toMatchObject({ created: 0, updated: 0, failed: [] });
    expect(world.graph.requestCounts()["PUT /me/contacts/{id}/photo/$value"]).toBeUndefined();
  });

  it("a 403 claims challenge is answered like the 401 one: a new token for the claims, the request once more", async () => {
    const token = `claims-${Date.now()}`;
    world.graph.addMailbox(token);
    const asked: (string | undefined)[] = [];
    const tokens: TokenProvider = {
      getToken: async (_resource, options) => {
        asked.push(options?.claims);
        return token;
      },
    };
    const contacts = createGraphContactStore({
      toJpeg,
      baseUrl: world.graph.url,
      tokens,
      fetchOptions: insecureFetchOptions(),
    });
    world.graph.challengeNext(403, token);
    const folders = await contacts.listFolders();
    expect(folders[0]?.id).toBe(world.graph.inspect(token).defaultFolderId);
    expect(asked.some((claims) => claims?.includes("access_token"))).toBe(true);
  });
});

describe("on tenants with legacy batch throttling (members 5-20 of a batch answered 429)", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ graph: { batchThrottling: "legacy" } });
  });
  afterAll(async () => {
    await world.close();
  });

  it("an export of 1,000 ends with 1,000 created and 0 failed", async () => {
    const persons = await loadPersons(world.crm, 1000);
    expect(persons).toHaveLength(1000);
    const mailbox = await newMailbox(world);
    await exportPersons(world, mailbox, persons, {}, "CRM"); // throws unless all 1,000 are created, none failed
    const box = world.graph.inspect(mailbox.token);
    expect(box.contacts).toHaveLength(1000);
    // The adapter adapts its batches to the 4 members the mailbox runs: few members are throttled
    // (re-sending 16 of every 20 would be ~4,000 rejections in ~250 batches).
    const rejections = world.graph.concurrencyRejections();
    expect(rejections).toBeGreaterThan(0);
    expect(rejections).toBeLessThan(600);
    expect(world.graph.requestCounts()["POST /$batch"]).toBeLessThan(330);
  });
});

describe("on tenants whose list replies cut extended property values at 255 characters", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ graph: { truncateListProperties: 255 } });
  });
  afterAll(async () => {
    await world.close();
  });

  it("no link is lost and nothing is re-synced: long sync states are re-read by id", async () => {
    const persons = await loadPersons(world.crm, 5);
    const mailbox = await newMailbox(world);
    await exportPersons(world, mailbox, persons, {}, "CRM");
    const raw = world.graph.inspect(mailbox.token).contacts.map((c) => Object.values(c.extendedProperties));
    expect(raw.every((values) => values.some((v) => v.length > 255))).toBe(true);
    const linked = await mailbox.contacts.listLinkedContacts();
    expect(linked).toHaveLength(5);
    for (const c of linked) expect(decodeSyncState(c.link?.syncState)).not.toBeNull();

    world.graph.resetRequestCounts();
    expect(await reExport(world, mailbox, persons, "CRM")).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 5,
    });
    done(await runSync(mailbox.deps, { force: true }));
    done(await runSync(mailbox.deps, { force: true }));
    expect(graphWrites(world.graph.requestCounts())).toBe(0);
  });
});
