import { createOfficeMailbox } from "../../../src/adapters/office/office-mailbox";
import { themeFromOffice } from "../../../src/adapters/office/office-theme";
import { createRoamingSettingsStore } from "../../../src/adapters/office/roaming-settings-store";

type Callback = (result: { status: string; value?: unknown; error?: { message: string } }) => void;

beforeAll(() => {
  // The slice of the Office.js namespace the adapters use (enums only; objects are passed in).
  (globalThis as unknown as { Office: unknown }).Office = {
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    EventType: { ItemChanged: "olkItemSelectedChanged" },
  };
});

function fakeMailbox(item: unknown) {
  const handlers: (() => void)[] = [];
  let removed = 0;
  const mailbox = {
    item,
    addHandlerAsync: (_type: string, handler: () => void, cb: Callback) => {
      handlers.push(handler);
      cb({ status: "succeeded" });
    },
    removeHandlerAsync: (_type: string, cb: Callback) => {
      handlers.length = 0;
      removed++;
      cb({ status: "succeeded" });
    },
  };
  return { mailbox: mailbox as unknown as Office.Mailbox, handlers, removed: () => removed };
}

describe("office mailbox", () => {
  it("lists sender, To and Cc of a read item", async () => {
    const { mailbox } = fakeMailbox({
      from: { displayName: "Anna Schmidt", emailAddress: "anna.schmidt@mueller-bau.de" },
      to: [{ displayName: "", emailAddress: "me@example.com" }],
      cc: [{ displayName: "Jean Dupont", emailAddress: "jean.dupont@lumiere.fr" }],
    });
    expect(await createOfficeMailbox(mailbox).getSelectedItemPeople()).toEqual([
      { displayName: "Anna Schmidt", emailAddress: "anna.schmidt@mueller-bau.de", role: "from" },
      { displayName: "me@example.com", emailAddress: "me@example.com", role: "to" },
      { displayName: "Jean Dupont", emailAddress: "jean.dupont@lumiere.fr", role: "cc" },
    ]);
  });

  it("is empty without a selected item and rejects with an AppError when Office fails", async () => {
    expect(await createOfficeMailbox(fakeMailbox(null).mailbox).getSelectedItemPeople()).toEqual([]);
    const failing = fakeMailbox({
      to: { getAsync: (cb: Callback) => cb({ status: "failed", error: { message: "denied" } }) },
    });
    await expect(createOfficeMailbox(failing.mailbox).getSelectedItemPeople()).rejects.toMatchObject({
      name: "AppError",
      message: "denied",
    });
  });

  it("registers one ItemChanged handler for all listeners and removes it after the last", () => {
    const fake = fakeMailbox(null);
    const mailbox = createOfficeMailbox(fake.mailbox);
    const seen: string[] = [];
    const offA = mailbox.onItemChanged(() => seen.push("a"));
    const offB = mailbox.onItemChanged(() => seen.push("b"));
    expect(fake.handlers).toHaveLength(1);
    fake.handlers[0]();
    offA();
    fake.handlers[0]();
    expect(fake.removed()).toBe(0);
    offB();
    expect(fake.removed()).toBe(1);
    expect(seen).toEqual(["a", "b", "b"]);
  });
});

describe("roaming settings store", () => {
  it("saves each write and rejects with an AppError when saving fails", async () => {
    const values = new Map<string, unknown>();
    let fail = false;
    const roaming = {
      get: (k: string) => (values.has(k) ? values.get(k) : null),
      set: (k: string, v: unknown) => values.set(k, v),
      remove: (k: string) => values.delete(k),
      saveAsync: (cb: Callback) =>
        cb(fail ? { status: "failed", error: { message: "quota" } } : { status: "succeeded" }),
    } as unknown as Office.RoamingSettings;
    const store = createRoamingSettingsStore(roaming);
    await store.write("rule", "crm-wins");
    expect(await store.read("rule")).toBe("crm-wins");
    expect(await store.read("missing")).toBeUndefined();
    fail = true;
    await expect(store.write("rule", "two-way")).rejects.toMatchObject({ name: "AppError", retryable: true });
  });
});

describe("office theme", () => {
  it.each([
    [{ bodyBackgroundColor: "#ffffff" }, false, "light"],
    [{ bodyBackgroundColor: "#1f1f1f" }, false, "dark"],
    [{ bodyBackgroundColor: "#1f1f1f" }, true, "high-contrast"],
    [undefined, false, "light"],
  ] as const)("%j forced=%s -> %s", (theme, forced, expected) => {
    expect(themeFromOffice(theme, forced)).toBe(expected);
  });
});
