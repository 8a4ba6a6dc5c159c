// Placeholder: replaced by the sync feature.
export function SyncLogView() {
  return null;
}
