/**
 * The in-memory fakes of test/support/fakes.ts follow the port contracts (UI and core tests rely on them).
 */
import { AppError } from "../../src/core/errors";
import {
  aPartner,
  aPerson,
  anOutlookContact,
  FakeContactStore,
  FakeCrm,
  FakeMailbox,
  MemorySettingsStore,
  StaticTokens,
} from "../support/fakes";

function seededCrm() {
  const partner = aPartner({ id: "bp-1", name: "Müller Bau GmbH", emailDomains: ["mueller-bau.de"] });
  const anna = aPerson({
    id: "cp-1",
    businessPartnerId: "bp-1",
    firstName: "Anna",
    lastName: "Schmidt",
    email: "Anna.Schmidt@mueller-bau.de",
    phone: "089 123456",
    mobile: "+49 171 2345678",
  });
  const gone = aPerson({ id: "cp-2", businessPartnerId: "bp-1", lastName: "Schmidt", status: "deleted" });
  return new FakeCrm({ businessPartners: [partner], contactPersons: [anna, gone] });
}

describe("FakeCrm", () => {
  it("creates once per idempotency key and rejects a reused key with another body", async () => {
    const crm = seededCrm();
    const input = { ...aPerson({ businessPartnerId: "bp-1" }) };
    const first = await crm.createContactPerson(input, "key-1");
    const again = await crm.createContactPerson(input, "key-1");
    expect(again.id).toBe(first.id);
    expect(crm.allPersons()).toHaveLength(3);
    await expect(crm.createContactPerson({ ...input, lastName: "Other" }, "key-1")).rejects.toMatchObject({
      code: "conflict",
    });
    expect(crm.calls.createContactPerson).toBe(3);
  });

  it("validates lastName and the business partner on create", async () => {
    const crm = seededCrm();
    await expect(
      crm.createContactPerson({ ...aPerson({ businessPartnerId: "bp-1" }), lastName: " " }, "k"),
    ).rejects.toMatchObject({ code: "validation", field: "lastName" });
    await expect(crm.createContactPerson(aPerson({ businessPartnerId: "bp-x" }), "k2")).rejects.toMatchObject(
      {
        code: "validation",
        field: "businessPartnerId",
      },
    );
  });

  it("checks If-Match and bumps the version on update and photo", async () => {
    const crm = seededCrm();
    const updated = await crm.updateContactPerson("cp-1", { jobTitle: "CEO" }, "1");
    expect(updated.version).toBe("2");
    await expect(crm.updateContactPerson("cp-1", { jobTitle: "CTO" }, "1")).rejects.toMatchObject({
      code: "precondition-failed",
      status: 412,
    });
    const version = await crm.putPhoto("cp-1", { contentType: "image/png", data: new Uint8Array([1, 2]) });
    expect(version).toBe("3");
    expect((await crm.getContactPerson("cp-1")).hasPhoto).toBe(true);
  });

  it("looks up active persons by e-mail (any case), E.164 phone or last name; batchGet sees deleted ones", async () => {
    const crm = seededCrm();
    const byEmail = await crm.lookup({ emails: ["ANNA.SCHMIDT@MUELLER-BAU.DE"], phones: [], lastNames: [] });
    expect(byEmail.map((p) => p.id)).toEqual(["cp-1"]);
    const byPhone = await crm.lookup({ emails: [], phones: ["+4989123456"], lastNames: [] });
    expect(byPhone.map((p) => p.id)).toEqual(["cp-1"]);
    const byName = await crm.lookup({ emails: [], phones: [], lastNames: ["schmidt"] });
    expect(byName.map((p) => p.id)).toEqual(["cp-1"]);
    const batch = await crm.batchGet(["cp-2", "cp-1", "cp-9"]);
    expect(batch.items.map((p) => [p.id, p.status])).toEqual([
      ["cp-2", "deleted"],
      ["cp-1", "active"],
    ]);
    expect(batch.missing).toEqual(["cp-9"]);
    await expect(crm.getContactPerson("cp-2")).rejects.toMatchObject({ code: "not-found" });
  });

  it("findCreated names the active persons created with the keys, like the contract's v1.1 lookup", async () => {
    const crm = seededCrm();
    const created = await crm.createContactPerson(
      { ...(await crm.getContactPerson("cp-1")), lastName: "Neu", email: null },
      "key-1",
    );
    const found = await crm.findCreated(["key-1", "key-unknown"]);
    expect(found.map((f) => [f.idempotencyKey, f.person.id])).toEqual([["key-1", created.id]]);
    crm.editPerson(created.id, { status: "inactive" });
    await expect(crm.findCreated(["key-1"])).resolves.toEqual([]);
  });

  it("pages searches with cursors and honours failNext and aborted signals", async () => {
    const crm = seededCrm();
    for (let i = 0; i < 5; i++) crm.addPerson(aPerson({ businessPartnerId: "bp-1" }));
    const first = await crm.searchContactPersons({ businessPartnerId: "bp-1", limit: 4 });
    expect(first.items).toHaveLength(4);
    const second = await crm.searchContactPersons({
      businessPartnerId: "bp-1",
      limit: 4,
      cursor: first.nextCursor ?? "",
    });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    crm.failNext("getBusinessPartner", new AppError("server", "boom"));
    await expect(crm.getBusinessPartner("bp-1")).rejects.toMatchObject({ code: "server" });
    await expect(crm.getBusinessPartner("bp-1")).resolves.toMatchObject({ id: "bp-1" });
    const controller = new AbortController();
    controller.abort();
    await expect(crm.getBusinessPartner("bp-1", { signal: controller.signal })).rejects.toMatchObject({
      code: "cancelled",
    });
  });

  it("searches word by word in names, e-mail and partner name, case- and accent-insensitively", async () => {
    const crm = seededCrm();
    const found = await crm.searchContactPersons({ search: "anna MULLER" });
    expect(found.items.map((p) => p.id)).toEqual(["cp-1"]);
    expect((await crm.searchContactPersons({ search: "anna nobody" })).items).toEqual([]);
    expect((await crm.searchBusinessPartners({ search: "mueller-bau.de" })).items.map((p) => p.id)).toEqual([
      "bp-1",
    ]);
  });

  it("returns copies: mutating a result does not change the fake", async () => {
    const crm = seededCrm();
    const person = await crm.getContactPerson("cp-1");
    person.lastName = "Changed";
    expect(crm.person("cp-1")?.lastName).toBe("Schmidt");
  });
});

describe("FakeContactStore", () => {
  it("creates, updates (keeping or removing the link) and deletes to Deleted Items", async () => {
    const store = new FakeContactStore();
    const folder = await store.ensureFolder("CRM");
    expect(await store.ensureFolder("CRM")).toEqual(folder);
    const [created] = await store.createContacts([
      {
        folderId: folder.id,
        contact: { givenName: "Anna", surname: "Schmidt", link: { crmId: "cp-1", syncState: null } },
      },
    ]);
    if (!created?.ok) throw new Error("create failed");
    expect(created.value.displayName).toBe("Anna Schmidt");
    expect(await store.findByCrmId("cp-1")).toHaveLength(1);
    const [kept] = await store.updateContacts([{ id: created.value.id, patch: { jobTitle: "CEO" } }]);
    expect(kept?.ok && kept.value.link?.crmId).toBe("cp-1");
    expect(kept?.ok && kept.value.changeKey).not.toBe(created.value.changeKey);
    const [unlinked] = await store.updateContacts([{ id: created.value.id, patch: { link: null } }]);
    expect(unlinked?.ok && unlinked.value.link).toBeNull();
    const results = await store.deleteContacts([created.value.id, "nope"]);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(results[1]).toMatchObject({ ok: false, error: { code: "not-found" } });
    expect(store.deleted.map((c) => c.id)).toEqual([created.value.id]);
    expect(await store.listContacts(folder.id)).toEqual([]);
  });

  it("reports progress per item and counts calls", async () => {
    const store = new FakeContactStore();
    const progress: number[] = [];
    await store.createContacts(
      [
        { folderId: null, contact: { surname: "A" } },
        { folderId: "missing", contact: { surname: "B" } },
      ],
      { onProgress: (done) => progress.push(done) },
    );
    expect(progress).toEqual([1, 2]);
    expect(store.calls.createContacts).toBe(1);
    expect(store.calls.listContacts).toBe(0);
  });

  it("delta: initial round, then changes and removals, and resync-required after expiry", async () => {
    const existing = anOutlookContact({ id: "c-1" });
    const store = new FakeContactStore({ contacts: [existing] });
    const folder = FakeContactStore.DEFAULT_FOLDER_ID;
    const initial = await store.delta(folder, null);
    expect(initial.changed.map((c) => c.id)).toEqual(["c-1"]);
    store.userEdit("c-1", { jobTitle: "Boss" });
    store.addContact(anOutlookContact({ id: "c-2" }));
    const next = await store.delta(folder, initial.deltaLink);
    expect(next.changed.map((c) => c.id).sort()).toEqual(["c-1", "c-2"]);
    store.userDelete("c-2");
    const after = await store.delta(folder, next.deltaLink);
    expect(after).toMatchObject({ changed: [], removed: ["c-2"] });
    const quiet = await store.delta(folder, after.deltaLink);
    expect(quiet).toMatchObject({ changed: [], removed: [] });
    store.expireDeltaLinks();
    await expect(store.delta(folder, quiet.deltaLink)).rejects.toMatchObject({ code: "resync-required" });
    const restart = await store.delta(folder, null);
    await expect(store.delta(folder, restart.deltaLink)).resolves.toMatchObject({ changed: [], removed: [] });
  });

  it("refuses photos over 4 MB", async () => {
    const store = new FakeContactStore({ contacts: [anOutlookContact({ id: "c-1" })] });
    const big = { contentType: "image/jpeg" as const, data: new Uint8Array(4 * 1024 * 1024 + 1) };
    await expect(store.putPhoto("c-1", big)).rejects.toMatchObject({ code: "photo-too-large" });
    expect(await store.getPhoto("c-1")).toBeNull();
  });
});

describe("settings, mailbox and tokens", () => {
  it("MemorySettingsStore stores JSON copies", async () => {
    const settings = new MemorySettingsStore();
    const value = { folderName: "CRM" };
    await settings.write("userSettings", value);
    value.folderName = "changed";
    expect(await settings.read("userSettings")).toEqual({ folderName: "CRM" });
    expect(await settings.read("missing")).toBeUndefined();
    expect(settings.calls).toEqual({ read: 2, write: 1 });
  });

  it("FakeMailbox fires onItemChanged until unsubscribed", async () => {
    const mailbox = new FakeMailbox();
    const listener = jest.fn();
    const off = mailbox.onItemChanged(listener);
    mailbox.select([{ displayName: "Anna", emailAddress: "anna@example.com", role: "from" }]);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(await mailbox.getSelectedItemPeople()).toHaveLength(1);
    off();
    mailbox.select([]);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(mailbox.listenerCount).toBe(0);
  });

  it("StaticTokens hands out tokens and can fail", async () => {
    const tokens = new StaticTokens();
    expect(await tokens.getToken("crm")).toBe("crm-token");
    tokens.failNext(new AppError("interaction-required", "sign in"));
    await expect(tokens.getToken("graph")).rejects.toMatchObject({ code: "interaction-required" });
    expect(tokens.calls).toEqual({ crm: 1, graph: 1 });
  });
});
