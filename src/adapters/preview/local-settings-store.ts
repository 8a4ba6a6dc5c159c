/**
 * A `SettingsStore` on the browser's localStorage (preview host settings, and the device-local
 * store of both hosts). Keys are namespaced, values JSON-encoded. By default it goes through the
 * pane's guarded storage, so blocked storage never throws (memory carries on, see guarded-storage).
 *
 * @example
 *   const store = createLocalSettingsStore("crm-addin:settings:");
 *   await store.write("direction", "two-way"); // localStorage["crm-addin:settings:direction"] = '"two-way"'
 */
import { AppError } from "../../core/errors";
import type { SettingsStore } from "../../core/ports";
import { paneLocalStorage } from "../browser/guarded-storage";

type KeyValueStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function createLocalSettingsStore(
  namespace: string,
  storage: KeyValueStorage = paneLocalStorage(),
): SettingsStore {
  return {
    async read(key) {
      const raw = storage.getItem(namespace + key);
      if (raw === null) return undefined;
      try {
        return JSON.parse(raw) as unknown;
      } catch (error) {
        throw new AppError("bad-response", `Stored setting ${key} is not valid JSON`, { cause: error });
      }
    },
    async write(key, value) {
      try {
        if (value === undefined) storage.removeItem(namespace + key);
        else storage.setItem(namespace + key, JSON.stringify(value));
      } catch (error) {
        // Quota exceeded or storage disabled.
        throw new AppError("unknown", `Could not store setting ${key}`, { cause: error });
      }
    },
  };
}
