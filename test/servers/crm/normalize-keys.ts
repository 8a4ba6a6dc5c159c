/**
 * Normalised lookup keys stored next to each contact person (computed at write time) and applied
 * to lookup/search input, so that matching is index-backed equality. They are the add-in's own
 * definitions (src/core/normalize.ts), which the contract (openapi/crm-v1.json, lookup) states:
 * one fold for the server and the client, so a name the add-in calls the same is found here too.
 *
 * @example
 *   phoneKey("0171 2345678"); // "+491712345678" (default region DE)
 *   emailKey("  Anna.Schmidt@Mueller-Bau.DE "); // "anna.schmidt@mueller-bau.de"
 *   nameKey("Łukasiewicz") === nameKey("Lukasiewicz"); // true
 */
import { normalizeEmail, normalizeName, normalizePhone } from "../../../src/core/normalize";

/** Region for numbers without a country code (the contract's default region). */
export const DEFAULT_REGION = "DE";

/** Bump when a key definition changes: stored keys of an older file database are recomputed. */
export const KEY_VERSION = 2;

export function phoneKey(value: string | null | undefined): string | null {
  return normalizePhone(value, DEFAULT_REGION) ?? null;
}

export function emailKey(value: string | null | undefined): string | null {
  return normalizeEmail(value) ?? null;
}

/** The name fold (case, accents, ß/ł/ø…, apostrophes, dashes, white space); "" when empty. */
export function textKey(value: string | null | undefined): string {
  return normalizeName(value) ?? "";
}

export function nameKey(value: string | null | undefined): string | null {
  return normalizeName(value) ?? null;
}
