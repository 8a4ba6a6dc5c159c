/** React access to the pane's SyncController (state via useSyncExternalStore). */
import { useSyncExternalStore } from "react";
import { useServices } from "../services";
import { syncControllerFor, type SyncController, type SyncViewState } from "./sync-controller";

export function useSyncController(): { controller: SyncController; state: SyncViewState } {
  const services = useServices();
  const controller = syncControllerFor(services);
  const state = useSyncExternalStore(controller.subscribe, controller.getState, controller.getState);
  return { controller, state };
}
