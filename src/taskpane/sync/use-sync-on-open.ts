/**
 * Runs the sync when the pane opens, if the user's "sync on open" setting is on and no sync ran
 * in the last few minutes (the runner checks the time kept in the device-local store). Call it
 * once in the shell, inside <ServicesProvider>. When the run stops at the mass-delete guard,
 * `onNeedsConfirmation` is called (e.g. to switch to the Sync log view, which shows the dialog).
 *
 * @example
 *   useSyncOnOpen({ onNeedsConfirmation: () => setView("sync") });
 */
import { useEffect, useRef } from "react";
import { loadUserSettings } from "../../app/user-settings-service";
import { useServices } from "../services";
import { syncControllerFor } from "./sync-controller";

export function useSyncOnOpen(options: { onNeedsConfirmation?: () => void } = {}): void {
  const services = useServices();
  const started = useRef(false);
  const onNeedsConfirmation = useRef(options.onNeedsConfirmation);
  onNeedsConfirmation.current = options.onNeedsConfirmation;
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const controller = syncControllerFor(services);
    void (async () => {
      let syncOnOpen = true;
      try {
        syncOnOpen = (await loadUserSettings(services.settings, services.config)).syncOnOpen;
      } catch {
        syncOnOpen = services.config.defaults.syncOnOpen; // unreadable settings: the deployment default
      }
      if (!syncOnOpen) return;
      const outcome = await controller.run({ force: false, trigger: "open" });
      if (outcome?.status === "needs-confirmation") onNeedsConfirmation.current?.();
    })();
  }, [services]);
}
