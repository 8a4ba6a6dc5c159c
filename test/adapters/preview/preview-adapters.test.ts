import { createLocalSettingsStore } from "../../../src/adapters/preview/local-settings-store";
import { createSampleMailbox, sampleEmails } from "../../../src/adapters/preview/sample-mailbox";

describe("sample mailbox", () => {
  it("starts with Anna Schmidt's e-mail (Jean Dupont in cc), without the user's own address", async () => {
    const people = await createSampleMailbox().getSelectedItemPeople();
    expect(people.map((p) => [p.role, p.emailAddress])).toEqual([
      ["from", "anna.schmidt@mueller-bau.de"],
      ["cc", "jean.dupont@lumiere.fr"],
    ]);
  });

  it("switches samples and notifies listeners until unsubscribed", async () => {
    const mailbox = createSampleMailbox();
    let changes = 0;
    const off = mailbox.onItemChanged(() => changes++);
    mailbox.select("weber-logistik");
    expect((await mailbox.getSelectedItemPeople()).map((p) => p.displayName)).toEqual([
      "Hans Weber",
      "Laura Bianchi",
    ]);
    mailbox.select("weber-logistik"); // same item: no event
    mailbox.select("does-not-exist"); // ignored
    off();
    mailbox.select("unknown-sender");
    expect(changes).toBe(1);
    expect((await mailbox.getSelectedItemPeople())[0].emailAddress).toBe("max.neumann@example.org");
  });

  it("has an empty sample (no item selected)", async () => {
    const mailbox = createSampleMailbox("none");
    expect(await mailbox.getSelectedItemPeople()).toEqual([]);
    expect(sampleEmails.length).toBeGreaterThanOrEqual(3);
  });
});

describe("local settings store", () => {
  beforeEach(() => localStorage.clear());

  it("round-trips JSON values under its namespace", async () => {
    const store = createLocalSettingsStore("ns:");
    expect(await store.read("x")).toBeUndefined();
    await store.write("x", { direction: "two-way", n: 2 });
    expect(await store.read("x")).toEqual({ direction: "two-way", n: 2 });
    expect(localStorage.getItem("ns:x")).toBe('{"direction":"two-way","n":2}');
    expect(await createLocalSettingsStore("other:").read("x")).toBeUndefined();
    await store.write("x", undefined);
    expect(localStorage.getItem("ns:x")).toBeNull();
  });

  it("rejects with an AppError when a stored value is corrupt", async () => {
    localStorage.setItem("ns:bad", "{");
    await expect(createLocalSettingsStore("ns:").read("bad")).rejects.toMatchObject({
      name: "AppError",
      code: "bad-response",
    });
  });
});
