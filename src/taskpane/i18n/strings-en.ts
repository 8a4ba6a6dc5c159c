/**
 * The English strings, all namespaces: one chunk loaded on demand by i18n.ts (never in the initial
 * bundle with the other language).
 */
import common from "./locales/en/common.json";
import contact from "./locales/en/contact.json";
import errors from "./locales/en/errors.json";
import exportStrings from "./locales/en/export.json";
import importStrings from "./locales/en/import.json";
import settings from "./locales/en/settings.json";
import sync from "./locales/en/sync.json";

export const strings = {
  common,
  errors,
  export: exportStrings,
  import: importStrings,
  contact,
  sync,
  settings,
};
