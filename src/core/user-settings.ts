/**
 * Per-user choices (stored in Office roaming settings; preview: browser storage) on top of the
 * deployment config's defaults. Unknown or invalid stored values fall back to the defaults.
 *
 * @example
 *   const settings = resolveUserSettings(storedJson, config); // always a complete UserSettings
 */
import { z } from "zod";
import { fieldGroups, type AppConfig } from "./config";
import { defaultFieldDirections, type FieldDirections } from "./mapping";
import type { ConflictRule } from "./model";

export const USER_SETTINGS_KEY = "userSettings";

const direction = z.enum(["crm-to-outlook", "two-way", "none"]);

export const storedUserSettingsSchema = z
  .object({
    folderName: z.string().trim().min(1).max(255).nullable(),
    withdrawDeselected: z.boolean(),
    conflictRule: z.enum(["crm-wins", "outlook-wins", "newest-wins"]),
    fieldDirections: z.partialRecord(z.enum(fieldGroups), direction),
    defaultPhoneRegion: z.string().regex(/^[A-Z]{2}$/),
    syncOnOpen: z.boolean(),
  })
  .partial();

export type StoredUserSettings = z.infer<typeof storedUserSettingsSchema>;

export interface UserSettings {
  /** Target contact folder name; null = the default Contacts folder. */
  folderName: string | null;
  /** Export: withdraw previously exported persons the user moved back to the left list. */
  withdrawDeselected: boolean;
  conflictRule: ConflictRule;
  fieldDirections: FieldDirections;
  defaultPhoneRegion: string;
  syncOnOpen: boolean;
}

export function defaultUserSettings(config: AppConfig): UserSettings {
  return {
    folderName: config.defaults.folderName,
    withdrawDeselected: config.defaults.withdrawDeselected,
    conflictRule: config.defaults.conflictRule,
    fieldDirections: { ...defaultFieldDirections, ...config.defaults.fieldDirections },
    defaultPhoneRegion: config.defaultPhoneRegion,
    syncOnOpen: config.defaults.syncOnOpen,
  };
}

/** Stored values (validated field by field) over the config's defaults. */
export function resolveUserSettings(stored: unknown, config: AppConfig): UserSettings {
  const defaults = defaultUserSettings(config);
  if (typeof stored !== "object" || stored === null) return defaults;
  const result: UserSettings = { ...defaults };
  const source = stored as Record<string, unknown>;
  const shape = storedUserSettingsSchema.shape;
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    if (!(key in source)) continue;
    const parsed = shape[key].safeParse(source[key]);
    if (!parsed.success || parsed.data === undefined) continue;
    if (key === "fieldDirections") {
      result.fieldDirections = {
        ...defaults.fieldDirections,
        ...(parsed.data as StoredUserSettings["fieldDirections"]),
      };
    } else {
      (result as unknown as Record<string, unknown>)[key] = parsed.data;
    }
  }
  return result;
}
