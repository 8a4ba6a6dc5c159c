/** Renders nothing; runs `useSyncOnOpen` (for shells that prefer an element to a hook call). */
import { useSyncOnOpen } from "./use-sync-on-open";

export function SyncOnOpen({ onNeedsConfirmation }: { onNeedsConfirmation?: () => void }) {
  useSyncOnOpen({ onNeedsConfirmation });
  return null;
}
