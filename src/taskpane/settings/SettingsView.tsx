// Placeholder: replaced by the settings feature.
export function SettingsView() {
  return null;
}
