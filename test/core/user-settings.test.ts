import { parseConfig, type AppConfig } from "../../src/core/config";
import { defaultFieldDirections } from "../../src/core/mapping";
import {
  defaultUserSettings,
  resolveUserSettings,
  storedUserSettingsSchema,
  type UserSettings,
} from "../../src/core/user-settings";

function config(overrides: Record<string, unknown> = {}): AppConfig {
  const r = parseConfig({
    crmBaseUrl: "https://crm.example.com/api/v1",
    auth: { mode: "static", crmToken: "t1", graphToken: "t2" },
    defaultPhoneRegion: "DE",
    ...overrides,
  });
  if (!r.ok) throw new Error(r.problems.join("; "));
  return r.config;
}

const defaults: UserSettings = {
  folderName: null,
  withdrawDeselected: true,
  conflictRule: "crm-wins",
  fieldDirections: { ...defaultFieldDirections },
  defaultPhoneRegion: "DE",
  syncOnOpen: true,
};

describe("defaultUserSettings", () => {
  it("takes the config's defaults", () => {
    expect(defaultUserSettings(config())).toEqual(defaults);
  });

  it("merges the config's field directions over the built-in ones", () => {
    const c = config({
      defaults: { fieldDirections: { phones: "two-way" }, folderName: "CRM", conflictRule: "newest-wins" },
    });
    expect(defaultUserSettings(c)).toEqual({
      ...defaults,
      folderName: "CRM",
      conflictRule: "newest-wins",
      fieldDirections: { ...defaultFieldDirections, phones: "two-way" },
    });
  });
});

describe("resolveUserSettings falls back to the defaults", () => {
  it.each<[string, unknown, Partial<UserSettings>]>([
    ["nothing stored", undefined, {}],
    ["null", null, {}],
    ["a string", "garbage", {}],
    ["a number", 42, {}],
    ["an array", [], {}],
    ["empty object", {}, {}],
    ["valid folder", { folderName: "CRM Kontakte" }, { folderName: "CRM Kontakte" }],
    ["folder trimmed", { folderName: "  CRM  " }, { folderName: "CRM" }],
    ["folder null = default Contacts", { folderName: null }, { folderName: null }],
    ["blank folder ignored", { folderName: "   " }, {}],
    ["too long folder ignored", { folderName: "x".repeat(256) }, {}],
    ["withdraw off", { withdrawDeselected: false }, { withdrawDeselected: false }],
    ["withdraw as string ignored", { withdrawDeselected: "no" }, {}],
    ["conflict rule", { conflictRule: "outlook-wins" }, { conflictRule: "outlook-wins" }],
    ["unknown conflict rule ignored", { conflictRule: "coin-flip" }, {}],
    ["region", { defaultPhoneRegion: "AT" }, { defaultPhoneRegion: "AT" }],
    ["lower-case region ignored", { defaultPhoneRegion: "at" }, {}],
    ["sync on open off", { syncOnOpen: false }, { syncOnOpen: false }],
    [
      "one direction",
      { fieldDirections: { notes: "two-way" } },
      { fieldDirections: { ...defaultFieldDirections, notes: "two-way" } },
    ],
    ["invalid direction ignored", { fieldDirections: { notes: "sideways" } }, {}],
    ["directions not an object ignored", { fieldDirections: "two-way" }, {}],
    [
      "good values kept, bad ones dropped",
      { folderName: "CRM", conflictRule: 7, syncOnOpen: false, unknownKey: true },
      { folderName: "CRM", syncOnOpen: false },
    ],
  ])("%s", (_name, stored, expected) => {
    expect(resolveUserSettings(stored, config())).toEqual({ ...defaults, ...expected });
  });

  it("does not share the defaults' objects", () => {
    const c = config();
    const settings = resolveUserSettings({ fieldDirections: { notes: "two-way" } }, c);
    expect(defaultUserSettings(c).fieldDirections.notes).toBe("crm-to-outlook");
    expect(settings.fieldDirections).not.toBe(defaultFieldDirections);
  });

  it("the stored schema accepts what resolve produces (round trip through storage)", () => {
    const settings = resolveUserSettings({ folderName: "CRM", conflictRule: "newest-wins" }, config());
    const parsed = storedUserSettingsSchema.safeParse(JSON.parse(JSON.stringify(settings)));
    expect(parsed.success).toBe(true);
    expect(resolveUserSettings(JSON.parse(JSON.stringify(settings)), config())).toEqual(settings);
  });
});

describe("parseConfig service URLs", () => {
  it.each<[string, boolean]>([
    ["https://crm.example.com/api/v1", true],
    ["http://localhost:3000/api/v1", true],
    ["http://127.0.0.1:3000/api/v1", true],
    ["http://[::1]:3000/api/v1", true],
    ["http://crm.example.com/api/v1", false],
    ["ftp://crm.example.com", false],
    ["/api/v1", false],
    ["not a url", false],
  ])("crmBaseUrl %j accepted: %j", (url, ok) => {
    const r = parseConfig({
      crmBaseUrl: url,
      auth: { mode: "static", crmToken: "t1", graphToken: "t2" },
      defaultPhoneRegion: "DE",
    });
    expect(r.ok).toBe(ok);
  });
});
