/**
 * The settings form's model: the editable values, validation with message keys (namespace
 * "settings"), and the conversion to UserSettings.
 *
 * @example
 *   validateSettingsForm({ ...form, folderMode: "dedicated", folderName: " " }).folderName
 *   // "validation.folderRequired"
 */
import { isSupportedCountry } from "libphonenumber-js";
import type { FieldDirections } from "../../core/mapping";
import type { ConflictRule } from "../../core/model";
import type { UserSettings } from "../../core/user-settings";

export interface SettingsForm {
  fieldDirections: FieldDirections;
  conflictRule: ConflictRule;
  folderMode: "default" | "dedicated";
  folderName: string;
  defaultPhoneRegion: string;
  syncOnOpen: boolean;
}

export interface SettingsErrors {
  folderName?: { key: string; values?: Record<string, string> };
  defaultPhoneRegion?: { key: string; values?: Record<string, string> };
}

export function formFromSettings(settings: UserSettings): SettingsForm {
  return {
    fieldDirections: { ...settings.fieldDirections },
    conflictRule: settings.conflictRule,
    folderMode: settings.folderName === null ? "default" : "dedicated",
    folderName: settings.folderName ?? "",
    defaultPhoneRegion: settings.defaultPhoneRegion,
    syncOnOpen: settings.syncOnOpen,
  };
}

export function validateSettingsForm(form: SettingsForm): SettingsErrors {
  const errors: SettingsErrors = {};
  if (form.folderMode === "dedicated") {
    const name = form.folderName.trim();
    if (name === "") errors.folderName = { key: "validation.folderRequired" };
    else if (name.length > 255) errors.folderName = { key: "validation.folderTooLong" };
    else if (/[\\/]/.test(name)) errors.folderName = { key: "validation.folderInvalid" };
  }
  const region = form.defaultPhoneRegion.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(region)) errors.defaultPhoneRegion = { key: "validation.regionFormat" };
  else if (!isSupportedCountry(region))
    errors.defaultPhoneRegion = { key: "validation.regionUnknown", values: { region } };
  return errors;
}

/** The settings to store (keeps the values the form does not edit, e.g. withdrawDeselected). */
export function settingsFromForm(form: SettingsForm, base: UserSettings): UserSettings {
  return {
    ...base,
    fieldDirections: { ...form.fieldDirections },
    conflictRule: form.conflictRule,
    folderName: form.folderMode === "dedicated" ? form.folderName.trim() : null,
    defaultPhoneRegion: form.defaultPhoneRegion.trim().toUpperCase(),
    syncOnOpen: form.syncOnOpen,
  };
}
