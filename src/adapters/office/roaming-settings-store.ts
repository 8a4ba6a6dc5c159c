/**
 * `SettingsStore` on Office roaming settings (per user, roams across devices; 32 KB in total).
 * Writes are saved at once (`saveAsync`, promisified; failures reject with `AppError`).
 *
 * @example
 *   const settings = createRoamingSettingsStore(Office.context.roamingSettings);
 *   await settings.write("conflictRule", "crm-wins");
 */
import { AppError } from "../../core/errors";
import type { SettingsStore } from "../../core/ports";

export function createRoamingSettingsStore(roaming: Office.RoamingSettings): SettingsStore {
  return {
    async read(key) {
      const value: unknown = roaming.get(key);
      return value === null ? undefined : value;
    },
    write(key, value) {
      if (value === undefined) roaming.remove(key);
      else roaming.set(key, value);
      return new Promise<void>((resolve, reject) => {
        roaming.saveAsync((result) => {
          if (result.status === Office.AsyncResultStatus.Succeeded) resolve();
          else
            reject(
              new AppError("unknown", result.error?.message ?? "roamingSettings.saveAsync failed", {
                cause: result.error,
                retryable: true,
              }),
            );
        });
      });
    },
  };
}
