/**
 * i18next set-up: English and German, one namespace per feature. Each feature owns its JSON
 * files under `locales/<lang>/<namespace>.json`; every key must exist in both languages
 * (test/taskpane/i18n checks it). Error messages live in `errors` keyed by AppErrorCode.
 * Each language's strings are their own chunk (strings-en.ts, strings-de.ts), loaded on demand
 * through i18next's backend: only the UI language is fetched at start; switching loads the other.
 * The shell's own namespace (`common`: title, navigation, start-up messages, ~1 KiB gzip per
 * language) is in the entry for both languages, so the header and navigation render before any
 * strings chunk has arrived (README "Start-up and bundle size").
 */
import i18next, { type i18n as I18n } from "i18next";
import resourcesToBackend from "i18next-resources-to-backend";
import { initReactI18next } from "react-i18next";
import commonDe from "./locales/de/common.json";
import commonEn from "./locales/en/common.json";

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

/** An i18next instance usable at once for `common`, and when its other namespaces have loaded. */
export interface PaneI18n {
  i18n: I18n;
  /** Settles when every namespace of the language is there (rejects when its chunk fails). */
  loaded: Promise<void>;
}

/**
 * Creates an i18next instance (a fresh one per call, so tests do not share state) that is
 * initialised synchronously with the shell's `common` strings of both languages; `language`'s
 * other namespaces load through the backend (`loaded`). No fallback language: both languages
 * have every key, and a fallback would load the other language's chunk too.
 *
 * @example
 *   const { i18n, loaded } = createPaneI18n("de");
 *   i18n.t("appTitle"); // available at once
 *   await loaded; // now every namespace
 */
export function createPaneI18n(language: Language): PaneI18n {
  const instance = i18next.createInstance();
  const loaded = instance
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
      resources: { en: { common: commonEn }, de: { common: commonDe } },
      partialBundledLanguages: true,
      initAsync: false,
      interpolation: { escapeValue: false }, // React escapes; we never render HTML from data.
      returnNull: false,
      react: { useSuspense: false },
    })
    .then(() => undefined);
  return { i18n: instance, loaded };
}

/** createPaneI18n, resolved once every namespace of `language` has loaded. */
export async function createI18n(language: Language): Promise<I18n> {
  const { i18n, loaded } = createPaneI18n(language);
  await loaded;
  return i18n;
}
