/**
 * Normalisation of the values the duplicate check and the lookup compare: e-mail addresses,
 * person names (phone numbers: normalize-phone.ts, kept apart so the e-mail and name rules do not
 * carry libphonenumber-js into every chunk). Every function returns `undefined` for empty, missing or
 * unusable input, so callers can never treat two blanks as equal (compare with `sameKey`).
 *
 * @example
 *   normalizeEmail("  Anna.Schmidt@Mueller-Bau.DE ") // "anna.schmidt@mueller-bau.de"
 *   normalizeName("Müller‐Lüdenscheidt")              // "muller-ludenscheidt"
 */
type Raw = string | null | undefined;

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/;

/**
 * Trimmed, lower-cased e-mail address (an optional `mailto:` prefix or surrounding `<>` removed);
 * `undefined` when empty or not shaped like `local@domain.tld`.
 *
 * @example normalizeEmail("<Jean.Dupont@Lumiere.FR>") // "jean.dupont@lumiere.fr"
 */
export function normalizeEmail(raw: Raw): string | undefined {
  if (typeof raw !== "string") return undefined;
  let text = raw.trim();
  if (text.startsWith("<") && text.endsWith(">")) text = text.slice(1, -1).trim();
  text = text.replace(/^mailto:/i, "").toLowerCase();
  return EMAIL.test(text) ? text : undefined;
}

const APOSTROPHES = /[\u2019\u2018\u201B\u0060\u00B4\u02BC\u02B9\u2032\uFF07]/g;
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const COMBINING_MARKS = /\p{M}/gu;
/** Letters that NFKD does not decompose but that people type with or without the "accent". */
const FOLDS: Readonly<Record<string, string>> = {
  ß: "ss",
  ẞ: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
  ς: "σ", // Greek final sigma: toLowerCase() picks it by position
};
const FOLD_PATTERN = new RegExp(`[${Object.keys(FOLDS).join("")}]`, "g");

function foldOnce(text: string): string {
  return text
    .replace(APOSTROPHES, "'")
    .replace(DASHES, "-")
    .toLowerCase()
    .normalize("NFKD")
    .replace(COMBINING_MARKS, "")
    .replace(FOLD_PATTERN, (ch) => FOLDS[ch] ?? ch)
    .replace(APOSTROPHES, "'")
    .replace(DASHES, "-")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/ ?- ?/g, "-")
    .trim();
}

/**
 * Comparable form of a person's name: trimmed, lower-case, accents removed (NFKD + combining
 * marks stripped, ß -> ss, æ -> ae, ø -> o ...), inner whitespace collapsed, typographic
 * apostrophes (’ ‘ ` ´ ʼ) -> ', dashes (‐ ‑ – — −) -> - and no spaces around hyphens.
 * `undefined` when nothing is left.
 *
 * @example
 *   normalizeName("O’Brien") === normalizeName("o'brien")                          // true
 *   normalizeName("Müller-Lüdenscheidt") === normalizeName("MULLER – LUDENSCHEIDT") // true
 */
export function normalizeName(raw: Raw): string | undefined {
  if (typeof raw !== "string") return undefined;
  // A few rare code points fold into others that fold again; iterate to the fixed point.
  let text = foldOnce(raw);
  for (let i = 0; i < 3; i++) {
    const next = foldOnce(text);
    if (next === text) break;
    text = next;
  }
  return text === "" ? undefined : text;
}

/** True only when both keys exist and are equal: blanks and unparseable values never match. */
export function sameKey(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a === b;
}
