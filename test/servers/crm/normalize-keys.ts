/**
 * Normalised lookup keys stored next to each contact person (computed at write time) and applied
 * to lookup/search input, so that matching is index-backed equality.
 *
 * @example
 *   phoneKey("0171 2345678"); // "+491712345678" (default region DE)
 *   emailKey("  Anna.Schmidt@Mueller-Bau.DE "); // "anna.schmidt@mueller-bau.de"
 *   nameKey("Müller"); // "muller"  (case- and accent-insensitive)
 */
import { parsePhoneNumberFromString } from "libphonenumber-js";

export function phoneKey(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const parsed = parsePhoneNumberFromString(value, "DE");
  if (parsed === undefined || !parsed.isPossible()) return null;
  return parsed.number;
}

export function emailKey(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim().toLowerCase();
  return trimmed === "" ? null : trimmed;
}

/** Lower case, accents removed, ß -> ss, whitespace collapsed. */
export function textKey(value: string | null | undefined): string {
  if (value === null || value === undefined) return "";
  return value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/\s+/g, " ")
    .trim();
}

export function nameKey(value: string | null | undefined): string | null {
  const key = textKey(value);
  return key === "" ? null : key;
}
