/**
 * i18next set-up: English and German, one namespace per feature. Each feature owns its JSON
 * files under `locales/<lang>/<namespace>.json`; every key must exist in both languages
 * (test/taskpane/i18n checks it). Error messages live in `errors` keyed by AppErrorCode.
 * Each language's strings are their own chunk (strings-en.ts, strings-de.ts), loaded on demand
 * through i18next's backend: only the UI language is fetched at start; switching loads the other.
 */
import i18next, { type i18n as I18n } from "i18next";
import resourcesToBackend from "i18next-resources-to-backend";
import { initReactI18next } from "react-i18next";

export const namespaces = ["common", "errors", "export", "import", "contact", "sync", "settings"] as const;
export type Namespace = (typeof namespaces)[number];
export const languages = ["en", "de"] as const;
export type Language = (typeof languages)[number];

type Strings = Record<Namespace, Record<string, unknown>>;

/** One chunk per language (webpack); the other language is prefetched when the pane is idle. */
const loaders: Record<Language, () => Promise<Strings>> = {
  en: () => import(/* webpackChunkName: "strings-en" */ "./strings-en").then((m) => m.strings),
  de: () => import(/* webpackChunkName: "strings-de" */ "./strings-de").then((m) => m.strings),
};

/** Every namespace of one language (the chunk is loaded once). */
export function loadStrings(language: Language): Promise<Strings> {
  return loaders[language]();
}

/** Picks "de" for any German UI locale (de-DE, de-AT, de-CH), else English. */
export function pickLanguage(locale: string | undefined | null): Language {
  return locale?.toLowerCase().startsWith("de") ? "de" : "en";
}

/**
 * Creates an initialised i18next instance (a fresh one per call, so tests do not share state)
 * with `language`'s strings loaded. No fallback language: both languages have every key, and a
 * fallback would load the other language's chunk too.
 */
export async function createI18n(language: Language): Promise<I18n> {
  const instance = i18next.createInstance();
  await instance
    .use(
      resourcesToBackend((lng: string, ns: string) =>
        loadStrings(pickLanguage(lng)).then((strings) => strings[ns as Namespace]),
      ),
    )
    .use(initReactI18next)
    .init({
      lng: language,
      supportedLngs: [...languages],
      fallbackLng: false,
      ns: [...namespaces],
      defaultNS: "common",
      interpolation: { escapeValue: false }, // React escapes; we never render HTML from data.
      returnNull: false,
      react: { useSuspense: false },
    });
  return instance;
}
