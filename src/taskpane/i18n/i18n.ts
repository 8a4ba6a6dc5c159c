/**
 * i18next set-up: English and German, one namespace per feature. Each feature owns its JSON
 * files under `locales/<lang>/<namespace>.json`; every key must exist in both languages
 * (test/taskpane/i18n checks it). Error messages live in `errors` keyed by AppErrorCode.
 */
import i18next, { type i18n as I18n } from "i18next";
import { initReactI18next } from "react-i18next";
import enCommon from "./locales/en/common.json";
import enErrors from "./locales/en/errors.json";
import enExport from "./locales/en/export.json";
import enImport from "./locales/en/import.json";
import enContact from "./locales/en/contact.json";
import enSync from "./locales/en/sync.json";
import enSettings from "./locales/en/settings.json";
import deCommon from "./locales/de/common.json";
import deErrors from "./locales/de/errors.json";
import deExport from "./locales/de/export.json";
import deImport from "./locales/de/import.json";
import deContact from "./locales/de/contact.json";
import deSync from "./locales/de/sync.json";
import deSettings from "./locales/de/settings.json";

export const namespaces = ["common", "errors", "export", "import", "contact", "sync", "settings"] as const;
export type Namespace = (typeof namespaces)[number];
export const languages = ["en", "de"] as const;
export type Language = (typeof languages)[number];

export const resources = {
  en: {
    common: enCommon,
    errors: enErrors,
    export: enExport,
    import: enImport,
    contact: enContact,
    sync: enSync,
    settings: enSettings,
  },
  de: {
    common: deCommon,
    errors: deErrors,
    export: deExport,
    import: deImport,
    contact: deContact,
    sync: deSync,
    settings: deSettings,
  },
} as const;

/** Picks "de" for any German UI locale (de-DE, de-AT, de-CH), else English. */
export function pickLanguage(locale: string | undefined | null): Language {
  return locale?.toLowerCase().startsWith("de") ? "de" : "en";
}

/** Creates an initialised i18next instance (a fresh one per call, so tests do not share state). */
export async function createI18n(language: Language): Promise<I18n> {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: "en",
    ns: [...namespaces],
    defaultNS: "common",
    interpolation: { escapeValue: false }, // React escapes; we never render HTML from data.
    returnNull: false,
  });
  return instance;
}
