/**
 * The German strings, all namespaces: one chunk loaded on demand by i18n.ts (never in the initial
 * bundle with the other language).
 */
import common from "./locales/de/common.json";
import contact from "./locales/de/contact.json";
import errors from "./locales/de/errors.json";
import exportStrings from "./locales/de/export.json";
import importStrings from "./locales/de/import.json";
import settings from "./locales/de/settings.json";
import sync from "./locales/de/sync.json";

export const strings = {
  common,
  errors,
  export: exportStrings,
  import: importStrings,
  contact,
  sync,
  settings,
};
