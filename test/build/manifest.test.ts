/**
 * Offline checks of the built manifest (dist/manifest.xml, after `webpack --env e2e` or a
 * production build): it parses, every resid resolves, every URL is https and names a file the
 * build emitted, icons have their declared pixel sizes, and every label exists in en and de.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { imageSize } from "image-size";

const dist = process.env.PANE_DIST ?? path.resolve(__dirname, "..", "..", "dist");
const xml = readFileSync(path.join(dist, "manifest.xml"), "utf8");

type Node = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", removeNSPrefix: true });
const doc = parser.parse(xml) as Node;

/** Every element named `name` anywhere below `node`. */
function all(node: unknown, name: string): Node[] {
  if (Array.isArray(node)) return node.flatMap((n) => all(n, name));
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node as Node).flatMap(([key, value]) => [
    ...(key === name ? ((Array.isArray(value) ? value : [value]) as Node[]) : []),
    ...all(value, name),
  ]);
}

const office = all(doc, "OfficeApp")[0];
/** Children names, in document order, of every element named `name` (an order-preserving parse). */
const ordered = new XMLParser({ ignoreAttributes: true, preserveOrder: true, removeNSPrefix: true }).parse(
  xml,
) as unknown[];
function childOrder(name: string): string[][] {
  const found: string[][] = [];
  const visit = (nodes: unknown) => {
    if (!Array.isArray(nodes)) return;
    for (const node of nodes as Record<string, unknown>[]) {
      for (const [key, children] of Object.entries(node)) {
        if (key === ":@" || key === "#text") continue;
        if (key === name && Array.isArray(children))
          found.push(
            (children as Record<string, unknown>[])
              .flatMap((c) => Object.keys(c))
              .filter((k) => k !== ":@" && k !== "#text" && k !== "#comment"),
          );
        visit(children);
      }
    }
  };
  visit(ordered);
  return found;
}
const overrides = all(office, "VersionOverrides");
const resources = all(office, "Resources");
const resourceIds = new Map<string, Node>();
for (const kind of ["Image", "Url", "String"]) {
  for (const res of all(resources, kind)) resourceIds.set(String(res["@id"]), res);
}
const addinBase = new URL(String((all(office, "SourceLocation")[0] as Node)["@DefaultValue"])).origin;

/** dist path of a URL served by the add-in's own host. */
function distFile(url: string): string {
  const u = new URL(url);
  const sourceLocation = new URL(String((all(office, "SourceLocation")[0] as Node)["@DefaultValue"]));
  const basePath = sourceLocation.pathname.replace(/[^/]*$/, "");
  expect(u.pathname.startsWith(basePath)).toBe(true);
  return path.join(dist, u.pathname.slice(basePath.length));
}

describe("dist/manifest.xml", () => {
  it("is well-formed XML", () => {
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it("is a MailApp with VersionOverrides 1.0 wrapping 1.1 and least permissions", () => {
    expect(office["@type"]).toBe("MailApp");
    expect(overrides.map((o) => o["@type"])).toEqual(["VersionOverridesV1_0", "VersionOverridesV1_1"]);
    expect(all(office, "Permissions")).toEqual(["ReadItem"]);
    expect(xml).toMatch(/<Set Name="Mailbox" MinVersion="1.5"/);
  });

  it("resolves every resid", () => {
    const used = [...xml.matchAll(/resid="([^"]+)"/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((id) => !resourceIds.has(id))).toEqual([]);
  });

  it("uses only https URLs that name files the build emitted", () => {
    const urls = [...xml.matchAll(/(?:DefaultValue|Value)="(https?:[^"]+)"/g)].map((m) => m[1]);
    const own = urls.filter((u) => new URL(u).origin === addinBase);
    expect(own.length).toBeGreaterThanOrEqual(9);
    for (const url of urls) expect(url).toMatch(/^https:\/\//);
    for (const url of own) expect({ url, exists: existsSync(distFile(url)) }).toEqual({ url, exists: true });
    for (const domain of all(office, "AppDomain")) expect(String(domain)).toMatch(/^https:\/\//);
  });

  it("opens each ribbon button's own view in a pinnable task pane", () => {
    const inner = overrides[1];
    const buttons = all(all(inner, "DesktopFormFactor"), "Control");
    expect(buttons).toHaveLength(3);
    const views = buttons.map((b) => {
      const action = all(b, "Action")[0];
      expect(action["@type"]).toBe("ShowTaskpane");
      expect(all(action, "SupportsPinning")[0]).toBe(true);
      const resid = String(all(action, "SourceLocation")[0]["@resid"]);
      return new URL(String(resourceIds.get(resid)?.["@DefaultValue"])).searchParams.get("view");
    });
    expect(views).toEqual(["export", "import", "contact"]);
  });

  it("declares icons that exist at their declared pixel sizes (mobile: size x scale)", () => {
    const declared: [string, number][] = [
      [String(all(office, "IconUrl")[0]["@DefaultValue"]), 64],
      [String(all(office, "HighResolutionIconUrl")[0]["@DefaultValue"]), 128],
    ];
    for (const inner of overrides) {
      for (const img of all(all(inner, "Icon"), "Image")) {
        declared.push([
          String(resourceIds.get(String(img["@resid"]))?.["@DefaultValue"]),
          Number(img["@size"]) * Number(img["@scale"] ?? 1),
        ]);
      }
    }
    expect(new Set(declared.map(([, size]) => size))).toEqual(
      new Set([16, 32, 64, 80, 128, 25, 50, 75, 96, 48, 144]),
    );
    for (const [url, size] of declared) {
      const { width, height } = imageSize(readFileSync(distFile(url)));
      expect({ url, width, height }).toEqual({ url, width: size, height: size });
    }
  });

  it("offers the add-in on Outlook mobile: a MobileButton on MobileMessageReadCommandSurface with 9 icons", () => {
    const host = all(overrides[1], "Host")[0];
    // MS-OWEMXML: DesktopFormFactor, then MobileFormFactor.
    expect(childOrder("Host").at(-1)).toEqual(["DesktopFormFactor", "MobileFormFactor"]);
    const mobile = all(host, "MobileFormFactor")[0];
    const point = all(mobile, "ExtensionPoint")[0];
    expect(point["@type"]).toBe("MobileMessageReadCommandSurface");
    const controls = all(point, "Control");
    expect(controls.map((c) => c["@type"])).toEqual(["MobileButton"]);
    // A MobileButton has Label, Icon, Action in this order (no Supertip on mobile).
    expect(childOrder("Control").at(-1)).toEqual(["Label", "Icon", "Action"]);
    const icon = all(controls[0], "Icon")[0];
    expect(icon["@type"]).toBe("bt:MobileIconList");
    const images = all(icon, "Image").map((i) => `${String(i["@size"])}@${String(i["@scale"])}`);
    expect(images.sort()).toEqual(
      ["25@1", "25@2", "25@3", "32@1", "32@2", "32@3", "48@1", "48@2", "48@3"].sort(),
    );
    const action = all(controls[0], "Action")[0];
    const resid = String(all(action, "SourceLocation")[0]["@resid"]);
    expect(new URL(String(resourceIds.get(resid)?.["@DefaultValue"])).searchParams.get("view")).toBe(
      "contact",
    );
  });

  it("keeps the schema's lengths: resid/id <= 32, ShortString <= 125, LongString <= 250, URL <= 2048", () => {
    const tooLong: string[] = [];
    const check = (what: string, value: unknown, max: number) => {
      if (String(value).length > max)
        tooLong.push(`${what} ${String(value).length} > ${max}: ${String(value)}`);
    };
    for (const m of xml.matchAll(/resid="([^"]+)"/g)) check("resid", m[1], 32);
    for (const res of all(resources, "Image").concat(all(resources, "Url"), all(resources, "String")))
      check("resource id", res["@id"], 32);
    for (const s of all(all(resources, "ShortStrings"), "String")) {
      check("ShortString", s["@DefaultValue"], 125);
      for (const o of all(s, "Override")) check("ShortString override", o["@Value"], 125);
    }
    for (const s of all(all(resources, "LongStrings"), "String")) {
      check("LongString", s["@DefaultValue"], 250);
      for (const o of all(s, "Override")) check("LongString override", o["@Value"], 250);
    }
    check("DisplayName", (office.DisplayName as Node)["@DefaultValue"], 125);
    check("Description", (office.Description as Node)["@DefaultValue"], 250);
    for (const m of xml.matchAll(/(?:DefaultValue|Value)="(https?:[^"]+)"/g)) check("URL", m[1], 2048);
    expect(tooLong).toEqual([]);
  });

  it("has every label, tooltip and description in English and German", () => {
    const strings = all(resources, "String");
    expect(strings.length).toBeGreaterThanOrEqual(7);
    // Top-level DisplayName/Description only (Supertips have Description elements with a resid).
    const localized = [...strings, office.DisplayName as Node, office.Description as Node];
    for (const s of localized) {
      expect(typeof s["@DefaultValue"] === "string" && s["@DefaultValue"].trim() !== "").toBe(true);
      // Overrides are per locale: de-DE does not cover Austria or Switzerland.
      const locales = ["de-DE", "de-AT", "de-CH"].filter((locale) => {
        const o = all(s, "Override").find((x) => x["@Locale"] === locale);
        return Boolean(o && String(o["@Value"]).trim());
      });
      expect({ id: s["@id"], locales }).toEqual({ id: s["@id"], locales: ["de-DE", "de-AT", "de-CH"] });
      const swiss = all(s, "Override").find((x) => x["@Locale"] === "de-CH");
      expect(String(swiss?.["@Value"])).not.toContain("ß"); // Swiss German writes "ss"
    }
    const labels = all(all(office, "Control"), "Label").map((l) => String(l["@resid"]));
    const en = labels.map((id) => String(resourceIds.get(id)?.["@DefaultValue"]));
    expect(new Set(en)).toEqual(
      new Set(["Export contact persons", "Import contact persons", "Contact replication"]),
    );
  });
});

describe("dist/config.json", () => {
  it("is the production template: entra placeholders, no static token", () => {
    const config = JSON.parse(readFileSync(path.join(dist, "config.json"), "utf8")) as {
      auth: { mode: string };
    };
    expect(config.auth.mode).toBe("entra");
    expect(JSON.stringify(config)).not.toMatch(/token/i);
  });
});
