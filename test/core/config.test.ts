import { parseConfig } from "../../src/core/config";

const valid = {
  crmBaseUrl: "https://crm.example.com/api/v1",
  auth: { mode: "static", crmToken: "t1", graphToken: "t2" },
  defaultPhoneRegion: "DE",
};

const entra = {
  mode: "entra",
  clientId: "0b5e8c1e-2f4d-4a3b-9c7e-1d2f3a4b5c6d",
  crmScope: "api://crm.example.com/Contacts.ReadWrite",
};

describe("parseConfig", () => {
  it("accepts a minimal static config and fills the defaults", () => {
    const r = parseConfig(valid);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.graphBaseUrl).toBe("https://graph.microsoft.com/v1.0");
    expect(r.config.defaults).toEqual({
      folderName: null,
      withdrawDeselected: true,
      conflictRule: "crm-wins",
      fieldDirections: {},
      syncOnOpen: true,
    });
  });

  it("fills the entra authority default", () => {
    const r = parseConfig({ ...valid, auth: entra });
    expect(r.ok && r.config.auth.mode === "entra" && r.config.auth.authority).toBe(
      "https://login.microsoftonline.com/organizations",
    );
  });

  const accepted: [string, Record<string, unknown>][] = [
    ["http on localhost", { crmBaseUrl: "http://localhost:4000/api/v1" }],
    ["http on 127.0.0.1", { crmBaseUrl: "http://127.0.0.1:4000/api/v1" }],
    ["a https Graph emulator", { graphBaseUrl: "https://localhost:3000/graph/v1.0" }],
    ["a named folder", { defaults: { folderName: "CRM" } }],
    ["two-way names", { defaults: { fieldDirections: { name: "two-way", notes: "none" } } }],
    ["newest-wins", { defaults: { conflictRule: "newest-wins" } }],
    ["a support URL", { supportUrl: "https://help.example.com" }],
    ["entra auth", { auth: entra }],
  ];
  it.each(accepted)("accepts %s", (_name, patch) => {
    expect(parseConfig({ ...valid, ...patch })).toMatchObject({ ok: true });
  });

  const rejected: [string, unknown, string][] = [
    ["not an object", "hello", "(root)"],
    ["a missing crmBaseUrl", { ...valid, crmBaseUrl: undefined }, "crmBaseUrl"],
    ["http to a remote CRM", { ...valid, crmBaseUrl: "http://crm.example.com/api/v1" }, "crmBaseUrl"],
    ["a relative URL", { ...valid, graphBaseUrl: "/graph/v1.0" }, "graphBaseUrl"],
    ["an unknown auth mode", { ...valid, auth: { mode: "basic" } }, "auth"],
    [
      "an entra client id that is no GUID",
      { ...valid, auth: { ...entra, clientId: "abc" } },
      "auth.clientId",
    ],
    [
      "a static token left empty",
      { ...valid, auth: { mode: "static", crmToken: "", graphToken: "x" } },
      "auth.crmToken",
    ],
    ["a lower-case region", { ...valid, defaultPhoneRegion: "de" }, "defaultPhoneRegion"],
    ["an unknown top-level field", { ...valid, crmUrl: "https://x" }, "(root)"],
    ["an unknown conflict rule", { ...valid, defaults: { conflictRule: "random" } }, "defaults.conflictRule"],
    [
      "an unknown field group",
      { ...valid, defaults: { fieldDirections: { fax: "two-way" } } },
      "defaults.fieldDirections",
    ],
    ["an empty folder name", { ...valid, defaults: { folderName: "" } }, "defaults.folderName"],
  ];
  it.each(rejected)("rejects %s, naming the field", (_name, raw, path) => {
    const r = parseConfig(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.some((p) => p.startsWith(`${path}`))).toBe(true);
  });

  it("lists every problem, not only the first", () => {
    const r = parseConfig({ crmBaseUrl: "ftp://x", defaultPhoneRegion: "Germany" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.split(":")[0]).sort()).toEqual([
      "auth",
      "crmBaseUrl",
      "defaultPhoneRegion",
    ]);
  });
});
