/** Reads and writes the user's settings through the SettingsStore port. */
import type { AppConfig } from "../core/config";
import type { SettingsStore } from "../core/ports";
import { resolveUserSettings, USER_SETTINGS_KEY, type UserSettings } from "../core/user-settings";

export async function loadUserSettings(store: SettingsStore, config: AppConfig): Promise<UserSettings> {
  return resolveUserSettings(await store.read(USER_SETTINGS_KEY), config);
}

export async function saveUserSettings(store: SettingsStore, settings: UserSettings): Promise<void> {
  await store.write(USER_SETTINGS_KEY, settings);
}
