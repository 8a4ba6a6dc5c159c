/**
 * Browser storage that never throws. In Outlook on the web and new Outlook the pane is a
 * cross-origin iframe whose storage is partitioned and can be blocked: merely reading
 * `window.localStorage` may throw `SecurityError` (Microsoft: "persisting add-in state and
 * settings" - test for availability; office-js issue 2177). Every access goes through here: while
 * the browser's storage works it is used (and mirrored in memory); after the first failure, or
 * when it is missing from the start, the in-memory copy carries on for the pane's lifetime.
 *
 * @example
 *   const local = openGuardedStorage(() => window.localStorage);
 *   local.setItem("k", "v"); // never throws
 *   local.persistent;         // false when the data will not outlive the pane
 */
export interface GuardedStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /** True while values reach the browser's storage; false once only memory holds them. */
  readonly persistent: boolean;
}

const PROBE_KEY = "crm-addin:probe";

/** `getStorage` is called once, inside a try: the property access itself is what can throw. */
export function openGuardedStorage(getStorage: () => Storage | null | undefined): GuardedStorage {
  const memory = new Map<string, string>();
  let real: Storage | null = null;
  try {
    const candidate = getStorage() ?? null;
    if (candidate) {
      candidate.setItem(PROBE_KEY, "1");
      candidate.removeItem(PROBE_KEY);
      real = candidate;
    }
  } catch (error) {
    void error; // blocked storage is an expected state here; `persistent` tells the UI
    real = null;
  }
  /** Runs `op` on the browser storage; on failure drops to memory for good. */
  const attempt = <T>(op: (storage: Storage) => T, fallback: () => T): T => {
    if (!real) return fallback();
    try {
      return op(real);
    } catch (error) {
      void error; // quota, revoked permission, SecurityError: memory carries on (see persistent)
      real = null;
      return fallback();
    }
  };
  return {
    getItem(key) {
      return attempt(
        (s) => s.getItem(key),
        () => memory.get(key) ?? null,
      );
    },
    setItem(key, value) {
      memory.set(key, value);
      attempt(
        (s) => s.setItem(key, value),
        () => undefined,
      );
    },
    removeItem(key) {
      memory.delete(key);
      attempt(
        (s) => s.removeItem(key),
        () => undefined,
      );
    },
    get persistent() {
      return real !== null;
    },
  };
}

/** The pane's local storage (one per page, opened on first use). */
let paneLocal: GuardedStorage | undefined;
export function paneLocalStorage(): GuardedStorage {
  paneLocal ??= openGuardedStorage(() => window.localStorage);
  return paneLocal;
}
