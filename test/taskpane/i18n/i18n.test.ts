import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { AppErrorCode } from "../../../src/core/errors";
import {
  createI18n,
  createPaneI18n,
  loadStrings,
  namespaces,
  pickLanguage,
} from "../../../src/taskpane/i18n/i18n";

const localesDir = path.resolve(__dirname, "../../../src/taskpane/i18n/locales");

/** Every key path of a nested JSON object, e.g. "nav.export". */
function keys(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    keys(v, prefix ? `${prefix}.${k}` : k),
  );
}

const read = (lang: string, file: string): unknown =>
  JSON.parse(readFileSync(path.join(localesDir, lang, file), "utf8"));

describe("locale files", () => {
  const enFiles = readdirSync(path.join(localesDir, "en")).sort();
  const deFiles = readdirSync(path.join(localesDir, "de")).sort();

  it("have the same namespace files in en and de, all registered in i18n.ts", () => {
    expect(deFiles).toEqual(enFiles);
    expect(enFiles.map((f) => f.replace(/\.json$/, ""))).toEqual([...namespaces].sort());
  });

  it.each(enFiles)("%s has the same keys in en and de, none empty", (file) => {
    const en = keys(read("en", file)).filter(Boolean).sort();
    const de = keys(read("de", file)).filter(Boolean).sort();
    expect({
      file,
      missingInDe: en.filter((k) => !de.includes(k)),
      missingInEn: de.filter((k) => !en.includes(k)),
    }).toEqual({
      file,
      missingInDe: [],
      missingInEn: [],
    });
    for (const lang of ["en", "de"]) {
      const flat = keys(read(lang, file));
      const obj = read(lang, file);
      for (const k of flat.filter(Boolean)) {
        const v = k.split(".").reduce<unknown>((o, part) => (o as Record<string, unknown>)[part], obj);
        expect(typeof v === "string" && v.trim().length > 0 ? "ok" : `${lang}/${file}: ${k} is empty`).toBe(
          "ok",
        );
      }
    }
  });

  it("German uses the agreed terms and the formal address throughout", () => {
    const strings = deFiles.flatMap((file) => {
      const obj = read("de", file);
      return keys(obj)
        .filter(Boolean)
        .map((k) => ({
          at: `${file}: ${k}`,
          text: String(k.split(".").reduce<unknown>((o, part) => (o as Record<string, unknown>)[part], obj)),
        }));
    });
    const offending = (pattern: RegExp) => strings.filter((s) => pattern.test(s.text)).map((s) => s.at);
    // "Ansprechpartner" for the CRM person (never "Kontaktperson"), "Dublette" (never "Duplikat"),
    // "Synchronisierung" (never "Synchronisation" or the jargon "Sync"), "Sie" (never "du").
    expect(offending(/Kontaktperson/)).toEqual([]);
    expect(offending(/Duplikat/)).toEqual([]);
    expect(offending(/Synchronisation|\bSync\b|Sync-/)).toEqual([]);
    expect(offending(/\b(du|dich|dir|dein\w*)\b/i)).toEqual([]);
  });

  it("have a message for every AppErrorCode in both languages", async () => {
    // A Record over the union: tsc fails here when a code is added without listing it.
    const codes: Record<AppErrorCode, true> = {
      network: true,
      timeout: true,
      cancelled: true,
      unauthorized: true,
      forbidden: true,
      "not-found": true,
      conflict: true,
      "precondition-failed": true,
      validation: true,
      "payload-too-large": true,
      throttled: true,
      server: true,
      "bad-response": true,
      "resync-required": true,
      "config-invalid": true,
      "office-unsupported": true,
      "interaction-required": true,
      "popup-blocked": true,
      "sign-in-failed": true,
      "sign-in-cancelled": true,
      "photo-too-large": true,
      "photo-invalid": true,
      "certain-duplicate": true,
      "already-linked": true,
      "mass-delete-guard": true,
      unknown: true,
    };
    for (const lang of ["en", "de"] as const) {
      const errors = (await loadStrings(lang)).errors as Record<string, string>;
      expect(Object.keys(codes).filter((code) => !errors[code])).toEqual([]);
    }
  });
});

describe("createI18n", () => {
  it("translates in both languages and switches", async () => {
    const i18n = await createI18n("en");
    expect(i18n.t("common:nav.settings")).toBe("Settings");
    await i18n.changeLanguage("de");
    expect(i18n.t("common:nav.settings")).toBe("Einstellungen");
  });

  it("has the shell's strings of both languages at once, the others when loaded", async () => {
    const { i18n, loaded } = createPaneI18n("de");
    // Synchronously: the title and navigation (the entry carries `common`), nothing else yet.
    expect(i18n.t("common:nav.settings")).toBe("Einstellungen");
    expect(i18n.hasResourceBundle("de", "export")).toBe(false);
    await loaded;
    expect(i18n.hasResourceBundle("de", "export")).toBe(true);
    expect(i18n.hasResourceBundle("en", "export")).toBe(false); // the other language: on demand
    await i18n.changeLanguage("en");
    expect(i18n.t("common:nav.settings")).toBe("Settings");
    expect(i18n.hasResourceBundle("en", "export")).toBe(true);
  });

  it.each([
    ["de-DE", "de"],
    ["de-AT", "de"],
    ["en-US", "en"],
    ["fr-FR", "en"],
    [undefined, "en"],
  ] as const)("pickLanguage(%s) = %s", (locale, expected) => {
    expect(pickLanguage(locale)).toBe(expected);
  });
});
