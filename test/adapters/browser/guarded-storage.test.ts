import { openGuardedStorage } from "../../../src/adapters/browser/guarded-storage";
import { createLocalSettingsStore } from "../../../src/adapters/preview/local-settings-store";

/** A Storage whose every call throws, as Chromium's partitioned storage does when blocked. */
function throwingStorage(): Storage {
  const fail = () => {
    throw new DOMException("The operation is insecure.", "SecurityError");
  };
  return { getItem: fail, setItem: fail, removeItem: fail, clear: fail, key: fail, length: 0 };
}

describe("guarded storage", () => {
  beforeEach(() => localStorage.clear());

  it.each([
    [
      "the property access throws",
      () => {
        throw new DOMException("denied", "SecurityError");
      },
    ],
    ["every call throws", () => throwingStorage()],
    ["storage is missing", () => null],
  ])("falls back to memory when %s", (_case, get) => {
    const storage = openGuardedStorage(get as () => Storage | null);
    expect(storage.persistent).toBe(false);
    storage.setItem("a", "1");
    expect(storage.getItem("a")).toBe("1");
    storage.removeItem("a");
    expect(storage.getItem("a")).toBeNull();
  });

  it("uses the browser storage while it works", () => {
    const storage = openGuardedStorage(() => window.localStorage);
    storage.setItem("a", "1");
    expect(storage.persistent).toBe(true);
    expect(localStorage.getItem("a")).toBe("1");
  });

  it("keeps the values written before storage failed mid-session", () => {
    let broken = false;
    const real = window.localStorage;
    const flaky: Storage = {
      ...throwingStorage(),
      getItem: (k) => (broken ? throwingStorage().getItem(k) : real.getItem(k)),
      setItem: (k, v) => (broken ? throwingStorage().setItem(k, v) : real.setItem(k, v)),
      removeItem: (k) => (broken ? throwingStorage().removeItem(k) : real.removeItem(k)),
    };
    const storage = openGuardedStorage(() => flaky);
    storage.setItem("log", "[1]");
    broken = true;
    expect(storage.getItem("log")).toBe("[1]");
    expect(storage.persistent).toBe(false);
    storage.setItem("log", "[1,2]");
    expect(storage.getItem("log")).toBe("[1,2]");
  });

  it("lets a settings store read and write with storage blocked", async () => {
    const store = createLocalSettingsStore(
      "ns:",
      openGuardedStorage(() => throwingStorage()),
    );
    await store.write("x", { n: 1 });
    await expect(store.read("x")).resolves.toEqual({ n: 1 });
  });
});
