/**
 * Sync over real HTTP: the reference CRM server, the Graph emulator and the real adapters.
 * Linked contacts are seeded by exporting through the real export runner.
 */
import { appendSyncLog, readSyncLog } from "../../src/app/sync-log";
import { createLocalSettingsStore } from "../../src/adapters/preview/local-settings-store";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { AppError } from "../../src/core/errors";
import { runSync, syncDue, type SyncOutcome } from "../../src/app/sync-runner";
import { recordFromOutlook, type FieldDirections } from "../../src/core/mapping";
import type { ContactPerson, OutlookContact } from "../../src/core/model";
import {
  exportPersons,
  loadPersons,
  MemoryStorage,
  newMailbox,
  startWorld,
  type Mailbox,
  type World,
} from "./sync-world";

jest.setTimeout(180_000);

const twoWay: Partial<FieldDirections> = {
  name: "two-way",
  organisation: "two-way",
  email: "two-way",
  phones: "two-way",
  birthday: "two-way",
  notes: "two-way",
};

let world: World;
let persons: ContactPerson[];

beforeAll(async () => {
  world = await startWorld();
  persons = await loadPersons(world.crm, 450);
});

afterAll(async () => {
  await world.close();
});

/** Persons reserved for one test (tests share the CRM but never the same persons). */
let used = 0;
function take(count: number): ContactPerson[] {
  const chosen = persons.slice(used, used + count);
  used += count;
  if (chosen.length < count) throw new Error("not enough demo persons");
  return chosen;
}

function done(outcome: SyncOutcome) {
  if (outcome.status !== "done")
    throw new Error(`expected a finished run, got ${JSON.stringify(outcome).slice(0, 400)}`);
  return outcome.entry;
}

/**
 * Takes `count` persons, exports them into a new mailbox (with `fieldDirections`, if given) and
 * runs a first forced sync, so that every one is linked and in step.
 */
async function syncedMailbox(
  count: number,
  fieldDirections?: Partial<FieldDirections>,
): Promise<{ chosen: ContactPerson[]; mailbox: Mailbox }> {
  const chosen = take(count);
  const mailbox = await newMailbox(world, fieldDirections ? { fieldDirections } : {});
  await exportPersons(world, mailbox, chosen, fieldDirections);
  done(await runSync(mailbox.deps, { force: true }));
  return { chosen, mailbox };
}

async function linkedByCrmId(mailbox: Mailbox): Promise<Map<string, OutlookContact>> {
  const linked = await mailbox.contacts.listLinkedContacts();
  return new Map(linked.map((c) => [c.link?.crmId ?? "", c]));
}

test("(a) 100 contacts edited on both sides, two-way: 100 conflicts, each resolved by the rule, no value lost", async () => {
  const chosen = take(100);
  const mailbox = await newMailbox(world, { fieldDirections: twoWay, conflictRule: "outlook-wins" });
  await exportPersons(world, mailbox, chosen, twoWay);
  expect(done(await runSync(mailbox.deps, { force: true })).counts).toMatchObject({
    updatedOutlook: 0,
    updatedCrm: 0,
  });

  const current = new Map((await world.crm.batchGet(chosen.map((p) => p.id))).items.map((p) => [p.id, p]));
  for (const person of chosen) {
    const now = current.get(person.id) as ContactPerson;
    await world.crm.updateContactPerson(person.id, { jobTitle: `CRM job ${person.id}` }, now.version);
  }
  const linked = await linkedByCrmId(mailbox);
  const results = await mailbox.contacts.updateContacts(
    chosen.map((person) => ({
      id: (linked.get(person.id) as OutlookContact).id,
      patch: { jobTitle: `Outlook job ${person.id}` },
    })),
  );
  expect(results.every((r) => r.ok)).toBe(true);

  world.crmServer.resetRequestCount();
  const entry = done(await runSync(mailbox.deps, { force: true }));
  expect(entry.counts).toMatchObject({ conflicts: 100, updatedCrm: 100, failed: 0 });
  expect(entry.conflicts).toHaveLength(100);
  for (const person of chosen) {
    const conflict = entry.conflicts.find((c) => c.crmId === person.id);
    expect(conflict).toMatchObject({
      field: "jobTitle",
      crmValue: `CRM job ${person.id}`, // the loser's value is kept in the log
      outlookValue: `Outlook job ${person.id}`,
      winner: "outlook",
      rule: "outlook-wins",
    });
  }
  // Both sides now hold the winner's value; the log survives in the local store.
  const after = new Map((await world.crm.batchGet(chosen.map((p) => p.id))).items.map((p) => [p.id, p]));
  const contactsAfter = await linkedByCrmId(mailbox);
  for (const person of chosen) {
    expect(after.get(person.id)?.jobTitle).toBe(`Outlook job ${person.id}`);
    expect(contactsAfter.get(person.id)?.jobTitle).toBe(`Outlook job ${person.id}`);
  }
  expect((await readSyncLog(mailbox.localStore))[0]?.conflicts).toHaveLength(100);
  // Few CRM requests: batch-get + partners + one PATCH per changed person.
  expect(world.crmServer.requestCount()).toBeLessThanOrEqual(1 + 100 + 100);

  // A second run finds nothing to do.
  world.graph.resetRequestCounts();
  const again = done(await runSync(mailbox.deps, { force: true }));
  expect(again.counts).toMatchObject({ updatedOutlook: 0, updatedCrm: 0, conflicts: 0, failed: 0 });
  expect(graphWrites(world.graph.requestCounts())).toBe(0);
});

test("(a') the same conflicts under crm-wins keep the CRM value and list the Outlook value", async () => {
  const chosen = take(20);
  const mailbox = await newMailbox(world, { fieldDirections: twoWay, conflictRule: "crm-wins" });
  await exportPersons(world, mailbox, chosen, twoWay);
  const current = new Map((await world.crm.batchGet(chosen.map((p) => p.id))).items.map((p) => [p.id, p]));
  for (const person of chosen)
    await world.crm.updateContactPerson(
      person.id,
      { mobile: "+49 170 1111111" },
      (current.get(person.id) as ContactPerson).version,
    );
  const linked = await linkedByCrmId(mailbox);
  await mailbox.contacts.updateContacts(
    chosen.map((p) => ({
      id: (linked.get(p.id) as OutlookContact).id,
      patch: { mobilePhone: "+49 170 2222222" },
    })),
  );
  const entry = done(await runSync(mailbox.deps, { force: true }));
  expect(entry.counts).toMatchObject({ conflicts: 20, updatedOutlook: 20, updatedCrm: 0 });
  expect(entry.conflicts.every((c) => c.winner === "crm" && c.outlookValue === "+49 170 2222222")).toBe(true);
  const after = await linkedByCrmId(mailbox);
  expect(chosen.every((p) => after.get(p.id)?.mobilePhone === "+49 170 1111111")).toBe(true);
});

test("(b) CRM-leading mode overwrites Outlook edits and lists them", async () => {
  const chosen = take(20);
  const mailbox = await newMailbox(world);
  await exportPersons(world, mailbox, chosen);
  const before = new Map((await world.crm.batchGet(chosen.map((p) => p.id))).items.map((p) => [p.id, p]));
  const linked = await linkedByCrmId(mailbox);
  await mailbox.contacts.updateContacts(
    chosen.map((p) => ({
      id: (linked.get(p.id) as OutlookContact).id,
      patch: { jobTitle: `My own title ${p.id}`, department: "Outlook dept" },
    })),
  );
  const entry = done(await runSync(mailbox.deps, { force: true }));
  expect(entry.counts).toMatchObject({
    updatedOutlook: 20,
    updatedCrm: 0,
    conflicts: 0,
    overwritten: 40,
    failed: 0,
  });
  for (const person of chosen) {
    const edits = entry.overwritten.filter((o) => o.crmId === person.id);
    expect(edits.map((o) => [o.field, o.outlookValue, o.reason]).sort()).toEqual([
      ["department", "Outlook dept", "crm-leads"],
      ["jobTitle", `My own title ${person.id}`, "crm-leads"],
    ]);
  }
  const after = await linkedByCrmId(mailbox);
  const crmAfter = new Map((await world.crm.batchGet(chosen.map((p) => p.id))).items.map((p) => [p.id, p]));
  for (const person of chosen) {
    const crmPerson = before.get(person.id) as ContactPerson;
    expect(after.get(person.id)?.jobTitle ?? null).toBe(crmPerson.jobTitle);
    expect(crmAfter.get(person.id)?.version).toBe(crmPerson.version); // the CRM was not written
  }
});

test("(c) deleting 30 of 100 linked persons in the CRM stops at the guard and applies after confirmation", async () => {
  const { chosen, mailbox } = await syncedMailbox(100);
  const gone = chosen.slice(0, 30).map((p) => p.id);
  world.setStatus(gone.slice(0, 15), "deleted");
  world.setStatus(gone.slice(15), "inactive");

  world.graph.resetRequestCounts();
  const stopped = await runSync(mailbox.deps, { force: true });
  expect(stopped.status).toBe("needs-confirmation");
  if (stopped.status !== "needs-confirmation") return;
  expect(stopped.deletes.map((d) => d.crmId).sort()).toEqual([...gone].sort());
  expect(stopped.linkedCount).toBe(100);
  expect(graphWrites(world.graph.requestCounts())).toBe(0);
  expect((await mailbox.contacts.listLinkedContacts()).length).toBe(100);

  const confirmed = stopped.deletes.map((d) => d.contactId);
  const entry = done(
    await runSync(mailbox.deps, { force: true, confirmDeletes: true, confirmedContactIds: confirmed }),
  );
  expect(entry.counts).toMatchObject({ deleted: 30, failed: 0 });
  const remaining = await linkedByCrmId(mailbox);
  expect(remaining.size).toBe(70);
  expect(gone.some((id) => remaining.has(id))).toBe(false);
  // Deleted = moved to Deleted Items, never purged; the CRM persons still exist.
  const state = world.graph.inspect(mailbox.token);
  expect(state.contacts.filter((c) => c.folderId === state.deletedItemsId)).toHaveLength(30);
  const crmAfter = await world.crm.batchGet(gone);
  expect(crmAfter.missing).toEqual([]);
  expect(crmAfter.items).toHaveLength(30);
  // Nothing left to do, and the deleted contacts are not reported as "unlinked" later.
  expect(done(await runSync(mailbox.deps, { force: true })).counts).toMatchObject({
    deleted: 0,
    unlinked: 0,
  });
});

test("(c') a confirmation covers only the deletes the user saw: more deletes meanwhile ask again", async () => {
  const { chosen, mailbox } = await syncedMailbox(60);
  world.setStatus(
    chosen.slice(0, 15).map((p) => p.id),
    "deleted",
  );
  const first = await runSync(mailbox.deps, { force: true });
  if (first.status !== "needs-confirmation") throw new Error(`expected the guard, got ${first.status}`);
  world.setStatus(
    chosen.slice(15, 20).map((p) => p.id),
    "deleted",
  ); // more, before the user answers
  const seen = first.deletes.map((d) => d.contactId);
  const second = await runSync(mailbox.deps, {
    force: true,
    confirmDeletes: true,
    confirmedContactIds: seen,
  });
  expect(second.status).toBe("needs-confirmation");
  if (second.status !== "needs-confirmation") return;
  expect(second.deletes).toHaveLength(20);
  expect((await mailbox.contacts.listLinkedContacts()).length).toBe(60);
  const entry = done(
    await runSync(mailbox.deps, {
      force: true,
      confirmDeletes: true,
      confirmedContactIds: second.deletes.map((d) => d.contactId),
    }),
  );
  expect(entry.counts.deleted).toBe(20);
});

test("(d) a contact deleted in Outlook is never re-created and its CRM person is untouched", async () => {
  const { chosen, mailbox } = await syncedMailbox(5, twoWay);
  const victim = chosen[0] as ContactPerson;
  const before = (await world.crm.batchGet([victim.id])).items[0] as ContactPerson;
  const contact = (await linkedByCrmId(mailbox)).get(victim.id) as OutlookContact;
  expect((await mailbox.contacts.deleteContacts([contact.id]))[0]?.ok).toBe(true); // the user deletes it

  const entry = done(await runSync(mailbox.deps, { force: true }));
  expect(entry.counts).toMatchObject({ unlinked: 1, deleted: 0, failed: 0 });
  expect(entry.unlinked[0]?.crmId).toBe(victim.id);
  // The CRM person changes afterwards: still no re-creation.
  await world.crm.updateContactPerson(victim.id, { jobTitle: "Changed later" }, before.version);
  for (let i = 0; i < 2; i++) {
    const next = done(await runSync(mailbox.deps, { force: true }));
    expect(next.counts).toMatchObject({ unlinked: 0, updatedOutlook: 0 });
  }
  expect(await mailbox.contacts.findByCrmId(victim.id)).toEqual([]);
  const after = await world.crm.batchGet([victim.id]);
  expect(after.items[0]).toMatchObject({ id: victim.id, status: "active", jobTitle: "Changed later" });
});

test("(d') a contact moved to another folder stays linked and keeps syncing", async () => {
  const { chosen, mailbox } = await syncedMailbox(3);
  const person = chosen[1] as ContactPerson;
  const contact = (await linkedByCrmId(mailbox)).get(person.id) as OutlookContact;
  // "Move": Graph moves by copy+delete; the copy keeps the extended properties (the link).
  const folder = await mailbox.contacts.ensureFolder("Moved here");
  const {
    id: _id,
    changeKey: _ck,
    parentFolderId: _pf,
    displayName: _dn,
    lastModifiedDateTime: _lm,
    ...fields
  } = contact;
  const [copy] = await mailbox.contacts.createContacts([{ folderId: folder.id, contact: fields }]);
  expect(copy?.ok).toBe(true);
  await mailbox.contacts.deleteContacts([contact.id]);
  const current = (await world.crm.batchGet([person.id])).items[0] as ContactPerson;
  await world.crm.updateContactPerson(person.id, { department: "After the move" }, current.version);
  const entry = done(await runSync(mailbox.deps, { force: true }));
  expect(entry.counts).toMatchObject({ unlinked: 0, deleted: 0, updatedOutlook: 1 });
  const moved = (await mailbox.contacts.findByCrmId(person.id))[0];
  expect(moved).toMatchObject({ parentFolderId: folder.id, department: "After the move" });
});

test("(e) sync under a 10% fault rate converges to the same state as without faults", async () => {
  const chosen = take(40);
  const clean = await newMailbox(world);
  const faulty = await newMailbox(world);
  await exportPersons(world, clean, chosen);
  await exportPersons(world, faulty, chosen);
  done(await runSync(clean.deps, { force: true }));
  done(await runSync(faulty.deps, { force: true }));
  // Changes on both sides: CRM edits and deactivations, the same Outlook edits in both mailboxes.
  const current = new Map((await world.crm.batchGet(chosen.map((p) => p.id))).items.map((p) => [p.id, p]));
  for (const person of chosen.slice(0, 15))
    await world.crm.updateContactPerson(
      person.id,
      { jobTitle: `Fault test ${person.id}` },
      (current.get(person.id) as ContactPerson).version,
    );
  world.setStatus(
    chosen.slice(15, 18).map((p) => p.id),
    "inactive",
  );
  for (const mailbox of [clean, faulty]) {
    const linked = await linkedByCrmId(mailbox);
    await mailbox.contacts.updateContacts(
      chosen.slice(18, 28).map((p) => ({
        id: (linked.get(p.id) as OutlookContact).id,
        patch: { department: "Edited in Outlook" },
      })),
    );
  }
  done(await runSync(clean.deps, { force: true }));

  world.graph.setFaults({ faultRate: 0.1, faultSeed: 7 });
  let runs = 0;
  let settled = false;
  try {
    while (runs < 10 && !settled) {
      runs += 1;
      const outcome = await runSync(faulty.deps, { force: true });
      if (outcome.status === "done") {
        const c = outcome.entry.counts;
        settled = c.failed === 0 && c.updatedOutlook + c.updatedCrm + c.deleted + c.overwritten === 0;
      }
    }
  } finally {
    world.graph.setFaults({ faultRate: 0 });
  }
  expect(settled).toBe(true);
  const snapshot = async (mailbox: Mailbox) =>
    [...(await linkedByCrmId(mailbox)).entries()]
      .map(([crmId, contact]) => [crmId, recordFromOutlook(contact)] as const)
      .sort(([a], [b]) => a.localeCompare(b));
  expect(await snapshot(faulty)).toEqual(await snapshot(clean));
  expect((await snapshot(clean)).length).toBe(37);
});

// A valid 1x1 PNG, and a second one with other bytes (another colour).
const PNG_A = new Uint8Array(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  ),
);
const PNG_B = new Uint8Array(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  ),
);

/** The colour of a 1x1 PNG's pixel on white (JPEG has no transparency). */
const pngPixel = (png: Uint8Array): number[] => {
  const { data } = PNG.sync.read(Buffer.from(png));
  const alpha = data[3] ?? 255;
  return [0, 1, 2].map((i) => ((data[i] ?? 0) * alpha + 255 * (255 - alpha)) / 255);
};

/**
 * Outlook holds photos as re-encoded JPEGs (FIDELITY 17): this one shows the PNG's colour (JPEG is
 * lossy: within a small tolerance) and is a JPEG.
 */
function expectOutlookHolds(photo: { contentType: string; data: Uint8Array } | null, png: Uint8Array): void {
  expect(photo?.contentType).toBe("image/jpeg");
  const { data } = jpeg.decode(Buffer.from(photo?.data ?? []), { useTArray: true });
  const want = pngPixel(png);
  for (let i = 0; i < 3; i++) expect(Math.abs((data[i] ?? 0) - (want[i] ?? 0))).toBeLessThan(12);
}

/** The CRM got what Outlook holds for `png` (the bytes Outlook returns, not the PNG uploaded to it). */
function expectCrmGotOutlooks(
  photo: { contentType: string; data: Uint8Array } | null,
  png: Uint8Array,
): void {
  expectOutlookHolds(photo, png);
}

/**
 * Gives `toOutlook` a new photo (PNG_A) in the CRM and `toCrm`'s linked contact one (PNG_B) in
 * Outlook; returns the mailbox's linked contacts by CRM id as read before the photo upload.
 */
async function putPhotos(
  mailbox: Mailbox,
  toOutlook: ContactPerson,
  toCrm: ContactPerson,
): Promise<Map<string, OutlookContact>> {
  await world.crm.putPhoto(toOutlook.id, { contentType: "image/png", data: PNG_A });
  const linked = await linkedByCrmId(mailbox);
  await mailbox.contacts.putPhoto((linked.get(toCrm.id) as OutlookContact).id, {
    contentType: "image/png",
    data: PNG_B,
  });
  return linked;
}

test("photos travel both ways by content hash and are never re-uploaded when unchanged", async () => {
  const { chosen, mailbox } = await syncedMailbox(4);
  const [toOutlook, toCrm] = chosen as [ContactPerson, ContactPerson];
  const linked = await putPhotos(mailbox, toOutlook, toCrm);

  const entry = done(await runSync(mailbox.deps, { force: true }));
  expect(entry.counts).toMatchObject({ updatedOutlook: 1, updatedCrm: 1, failed: 0 });
  const outlookPhoto = await mailbox.contacts.getPhoto((linked.get(toOutlook.id) as OutlookContact).id);
  expectOutlookHolds(outlookPhoto, PNG_A);
  const crmPhoto = await world.crm.getPhoto(toCrm.id);
  expectCrmGotOutlooks(crmPhoto, PNG_B);

  // Nothing changed since: no photo upload, no write on either side.
  world.graph.resetRequestCounts();
  world.crmServer.resetRequestCount();
  const again = done(await runSync(mailbox.deps, { force: true }));
  expect(again.counts).toMatchObject({ updatedOutlook: 0, updatedCrm: 0, failed: 0 });
  expect(graphWrites(world.graph.requestCounts())).toBe(0);
  expect(world.crmServer.requestCount()).toBe(1); // one batch-get
});

test("a person changed in the CRM during the run (412) is re-read and planned again", async () => {
  const { chosen, mailbox: base } = await syncedMailbox(2, twoWay);
  const person = chosen[0] as ContactPerson;
  const contact = (await linkedByCrmId(base)).get(person.id) as OutlookContact;
  await base.contacts.updateContacts([{ id: contact.id, patch: { mobilePhone: "+49 170 3333333" } }]);
  // Someone edits another field in the CRM just before our PATCH arrives.
  let raced = false;
  const crm = {
    ...world.crm,
    updateContactPerson: async (...args: Parameters<typeof world.crm.updateContactPerson>) => {
      if (!raced) {
        raced = true;
        const now = await world.crm.getContactPerson(person.id);
        await world.crm.updateContactPerson(person.id, { department: "Raced in" }, now.version);
      }
      return world.crm.updateContactPerson(...args);
    },
  };
  const entry = done(await runSync({ ...base.deps, crm }, { force: true }));
  expect(raced).toBe(true);
  expect(entry.counts).toMatchObject({ updatedCrm: 1, updatedOutlook: 1, failed: 0 });
  const after = (await world.crm.batchGet([person.id])).items[0];
  expect(after).toMatchObject({ mobile: "+49 170 3333333", department: "Raced in" });
  expect((await linkedByCrmId(base)).get(person.id)).toMatchObject({
    department: "Raced in",
    mobilePhone: "+49 170 3333333",
  });
  expect(done(await runSync(base.deps, { force: true })).counts).toMatchObject({
    updatedCrm: 0,
    updatedOutlook: 0,
  });
});

test("an expired delta token (410) falls back to a full round without losing links", async () => {
  const { chosen, mailbox } = await syncedMailbox(6);
  world.graph.expireDeltaTokens(mailbox.token);
  const person = chosen[2] as ContactPerson;
  const current = (await world.crm.batchGet([person.id])).items[0] as ContactPerson;
  await world.crm.updateContactPerson(person.id, { jobTitle: "After 410" }, current.version);
  const entry = done(await runSync(mailbox.deps, { force: true }));
  expect(entry.counts).toMatchObject({ updatedOutlook: 1, unlinked: 0, deleted: 0, failed: 0 });
  expect((await linkedByCrmId(mailbox)).get(person.id)?.jobTitle).toBe("After 410");
});

/** Outlook write requests counted by the emulator (batch members under their own keys). */
function graphWrites(counts: Record<string, number>): number {
  return Object.entries(counts)
    .filter(([key]) => /^(POST|PATCH|PUT|DELETE) /.test(key) && key !== "POST /$batch")
    .reduce((sum, [, n]) => sum + n, 0);
}

test("an Outlook photo whose read failed once still reaches the CRM on the next run", async () => {
  const { chosen, mailbox } = await syncedMailbox(1);
  const person = chosen[0] as ContactPerson;
  const contact = (await linkedByCrmId(mailbox)).get(person.id) as OutlookContact;
  await mailbox.contacts.putPhoto(contact.id, { contentType: "image/png", data: PNG_B });
  // The photo read fails once (e.g. a throttled or failed Graph request).
  const contacts = {
    ...mailbox.contacts,
    getPhoto: async () => {
      throw new AppError("server", "Graph failed");
    },
  };
  done(await runSync({ ...mailbox.deps, contacts }, { force: true }));
  const entry = done(await runSync(mailbox.deps, { force: true }));
  expect(entry.counts).toMatchObject({ updatedCrm: 1, failed: 0 });
  const crmPhoto = await world.crm.getPhoto(person.id);
  expectCrmGotOutlooks(crmPhoto, PNG_B);
});

test("a CRM photo whose read failed once still reaches Outlook, even when a field changed with it", async () => {
  const { chosen, mailbox } = await syncedMailbox(1);
  const person = chosen[0] as ContactPerson;
  await world.crm.putPhoto(person.id, { contentType: "image/png", data: PNG_A });
  const current = (await world.crm.batchGet([person.id])).items[0] as ContactPerson;
  await world.crm.updateContactPerson(person.id, { jobTitle: "With a new photo" }, current.version);
  const crm = {
    ...world.crm,
    getPhoto: async () => {
      throw new AppError("server", "CRM failed");
    },
  };
  const first = done(await runSync({ ...mailbox.deps, crm }, { force: true }));
  expect(first.counts.updatedOutlook).toBe(1); // the job title
  const entry = done(await runSync(mailbox.deps, { force: true }));
  expect(entry.counts).toMatchObject({ updatedOutlook: 1, failed: 0 });
  const contact = (await linkedByCrmId(mailbox)).get(person.id) as OutlookContact;
  const photo = await mailbox.contacts.getPhoto(contact.id);
  expectOutlookHolds(photo, PNG_A);
});

test("a photo upload that failed is tried again on the next run", async () => {
  const { chosen, mailbox } = await syncedMailbox(2);
  const [toOutlook, toCrm] = chosen as [ContactPerson, ContactPerson];
  const linked = await putPhotos(mailbox, toOutlook, toCrm);
  const failing = {
    contacts: {
      ...mailbox.contacts,
      putPhoto: async () => {
        throw new AppError("server", "Graph failed");
      },
    },
    crm: {
      ...world.crm,
      putPhoto: async () => {
        throw new AppError("server", "CRM failed");
      },
    },
  };
  const first = done(await runSync({ ...mailbox.deps, ...failing }, { force: true }));
  expect(first.failures.map((f) => f.action)).toEqual(["photo", "photo"]);
  const entry = done(await runSync(mailbox.deps, { force: true }));
  expect(entry.counts).toMatchObject({ updatedOutlook: 1, updatedCrm: 1, failed: 0 });
  const outlookPhoto = await mailbox.contacts.getPhoto((linked.get(toOutlook.id) as OutlookContact).id);
  expectOutlookHolds(outlookPhoto, PNG_A);
  const crmPhoto = await world.crm.getPhoto(toCrm.id);
  expectCrmGotOutlooks(crmPhoto, PNG_B);
});

test("a business partner that cannot be read never blanks the company fields (state lost)", async () => {
  const chosen = take(1);
  const mailbox = await newMailbox(world);
  await exportPersons(world, mailbox, chosen);
  const person = chosen[0] as ContactPerson;
  const contact = (await linkedByCrmId(mailbox)).get(person.id) as OutlookContact;
  expect(contact.companyName).toBeTruthy();
  // The sync state on the contact is garbage, and the CRM fails to return the partner.
  await mailbox.contacts.updateContacts([
    { id: contact.id, patch: { link: { crmId: person.id, syncState: "{garbage" } }, current: contact },
  ]);
  const crm = {
    ...world.crm,
    getBusinessPartner: async () => {
      throw new AppError("server", "CRM failed");
    },
  };
  done(await runSync({ ...mailbox.deps, crm }, { force: true }));
  const after = (await linkedByCrmId(mailbox)).get(person.id) as OutlookContact;
  expect(after.companyName).toBe(contact.companyName);
  expect(after.businessAddress).toEqual(contact.businessAddress);
});

/** A Web Storage with a size limit, like a browser's localStorage quota. */
class CappedStorage extends MemoryStorage {
  constructor(private readonly capChars: number) {
    super();
  }
  override setItem(key: string, value: string): void {
    let used = 0;
    for (let i = 0; i < this.length; i++) {
      const k = this.key(i) as string;
      if (k !== key) used += k.length + (this.getItem(k)?.length ?? 0);
    }
    if (used + key.length + value.length > this.capChars) throw new Error("QuotaExceededError");
    super.setItem(key, value);
  }
}

test("a device-local store that is corrupt or full never stops the sync", async () => {
  const chosen = take(2);
  const mailbox = await newMailbox(world);
  await exportPersons(world, mailbox, chosen);
  const storage = new CappedStorage(200_000);
  storage.setItem("local:sync.cache", "{truncated");
  storage.setItem("local:sync.log", "[{truncated");
  const localStore = createLocalSettingsStore("local:", storage);
  const deps = { ...mailbox.deps, localStore };
  expect(done(await runSync(deps, { force: true })).counts.failed).toBe(0);
  // Runs with many listed details fill the store: old runs make room for the newest one.
  const person = chosen[0] as ContactPerson;
  for (let i = 0; i < 8; i++) {
    const current = (await world.crm.batchGet([person.id])).items[0] as ContactPerson;
    await world.crm.updateContactPerson(person.id, { jobTitle: `Run ${i}` }, current.version);
    const outcome = await runSync(deps, { force: true });
    const entry = done(outcome);
    const big = {
      ...entry,
      id: `big-${i}`,
      unlinked: Array.from({ length: 1000 }, (_, n) => ({ crmId: `x-${n}`, name: "y".repeat(20) })),
    };
    await appendSyncLog(localStore, big);
  }
  const log = await readSyncLog(localStore);
  expect(log[0]?.id).toBe("big-7");
  expect(await syncDue(localStore)).toBe(false);
});

test("an Outlook edit the CRM rejects as invalid does not block the contact forever", async () => {
  const { chosen, mailbox } = await syncedMailbox(1, twoWay);
  const person = chosen[0] as ContactPerson;
  const contact = (await linkedByCrmId(mailbox)).get(person.id) as OutlookContact;
  const before = (await world.crm.batchGet([person.id])).items[0] as ContactPerson;
  // A typo in Outlook the CRM refuses, a valid Outlook edit, and a change in the CRM meanwhile.
  await mailbox.contacts.updateContacts([
    {
      id: contact.id,
      patch: { emailAddresses: [{ name: null, address: "not an e-mail" }], department: "Outlook dept" },
      current: contact,
    },
  ]);
  await world.crm.updateContactPerson(person.id, { jobTitle: "Changed in the CRM" }, before.version);

  const first = done(await runSync(mailbox.deps, { force: true }));
  expect(first.failures).toMatchObject([{ crmId: person.id, action: "update-crm", code: "validation" }]);
  expect(first.overwritten).toMatchObject([{ field: "email", outlookValue: "not an e-mail" }]);
  const after = (await linkedByCrmId(mailbox)).get(person.id) as OutlookContact;
  expect(after).toMatchObject({ jobTitle: "Changed in the CRM", department: "Outlook dept" });
  expect(recordFromOutlook(after).email).toBe(before.email); // the CRM's (possibly none)
  const crmAfter = (await world.crm.batchGet([person.id])).items[0] as ContactPerson;
  expect(crmAfter).toMatchObject({ email: before.email, department: "Outlook dept" });
  // Converged: the next run has nothing to do and nothing fails.
  expect(done(await runSync(mailbox.deps, { force: true })).counts).toMatchObject({
    failed: 0,
    updatedCrm: 0,
    updatedOutlook: 0,
  });
});

test("a photo the other side refuses for good is not uploaded again on every run", async () => {
  const { chosen, mailbox } = await syncedMailbox(1);
  const person = chosen[0] as ContactPerson;
  const contact = (await linkedByCrmId(mailbox)).get(person.id) as OutlookContact;
  await mailbox.contacts.putPhoto(contact.id, { contentType: "image/png", data: PNG_B });
  let uploads = 0;
  const crm = {
    ...world.crm,
    putPhoto: async () => {
      uploads += 1;
      throw new AppError("photo-invalid", "The CRM refuses this photo");
    },
  };
  for (let i = 0; i < 3; i++) done(await runSync({ ...mailbox.deps, crm }, { force: true }));
  expect(uploads).toBe(1);
});
