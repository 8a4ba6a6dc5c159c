/**
 * Normalisation of phone numbers for the duplicate check and the lookup (libphonenumber-js with
 * its default "min" metadata: every country, validation by number length; see README "Start-up
 * and bundle size"). Returns `undefined` for empty, missing or unusable input, so callers can
 * never treat two blanks as equal (compare with `sameKey` of normalize.ts).
 *
 * @example
 *   normalizePhone("0171/2345678", "DE") // "+491712345678"
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";

type Raw = string | null | undefined;

/**
 * E.164 form of a phone number, parsed with `defaultRegion` (ISO 3166 alpha-2, e.g. "DE") when
 * it has no country code. Handles "+49 (0)89 123456", "0049 89 123456", "0171/2345678".
 * An extension ("089 123456 ext. 12", "x12") is dropped: E.164 has none, so numbers that differ
 * only in the extension compare equal. `undefined` when empty, unparseable or not a possible number
 * of its region (libphonenumber-js default metadata validates by length).
 *
 * @example normalizePhone("+49 (0)171 234-5678", "DE") // "+491712345678"
 */
export function normalizePhone(raw: Raw, defaultRegion: string): string | undefined {
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  const region = defaultRegion.trim().toUpperCase();
  const defaultCountry = isSupportedCountry(region) ? (region as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(raw, defaultCountry ? { defaultCountry } : {});
  if (!parsed || !parsed.isValid()) return undefined;
  return parsed.number;
}
