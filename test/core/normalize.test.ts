import fc from "fast-check";
import { normalizeEmail, normalizeName, sameKey } from "../../src/core/normalize";
import { normalizePhone } from "../../src/core/normalize-phone";

describe("normalizeEmail", () => {
  it.each<[string | null | undefined, string | undefined]>([
    ["  Anna.Schmidt@Mueller-Bau.DE ", "anna.schmidt@mueller-bau.de"],
    ["<Jean.Dupont@lumiere.fr>", "jean.dupont@lumiere.fr"],
    ["mailto:H.Weber@weber-logistik.de", "h.weber@weber-logistik.de"],
    ["max+tag@sub.example.org", "max+tag@sub.example.org"],
    ["", undefined],
    ["   ", undefined],
    [null, undefined],
    [undefined, undefined],
    ["not an address", undefined],
    ["anna@", undefined],
    ["@example.org", undefined],
    ["anna@localhost", undefined],
    ["anna@@example.org", undefined],
    ["anna schmidt@example.org", undefined],
    ["/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=abc", undefined],
  ])("%j -> %j", (raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected);
  });
});

describe("normalizeName", () => {
  it.each<[string, string, string]>([
    ["typographic apostrophe", "O’Brien", "o'brien"],
    ["backtick apostrophe", "O`Brien", "o'brien"],
    ["acute accent as apostrophe", "D´Angelo", "d'angelo"],
    ["umlauts and case", "Müller-Lüdenscheidt", "MULLER-LUDENSCHEIDT"],
    ["en dash with spaces", "Müller – Lüdenscheidt", "muller-ludenscheidt"],
    ["non-breaking hyphen", "Müller\u2011Lüdenscheidt", "Muller-Ludenscheidt"],
    ["sharp s", "Straßmann", "STRASSMANN"],
    ["capital sharp s", "STRAẞMANN", "strassmann"],
    ["decomposed umlaut", "Mu\u0308ller", "Müller"],
    ["cedilla and grave", "François Légère", "francois legere"],
    ["inner spaces collapsed", "  van   der  Berg ", "van der berg"],
    ["tabs and newlines", "van\tder\nBerg", "van der berg"],
    ["scandinavian ø and æ", "Søren Ærø", "soren aero"],
    ["polish ł", "Łukasz Wałęsa", "lukasz walesa"],
    ["fullwidth letters", "ＭＵＬＬＥＲ", "muller"],
    ["greek final sigma", "ΟΔΥΣΣΕΑΣ", "Οδυσσεασ"],
  ])("%s: %j equals %j", (_name, a, b) => {
    expect(normalizeName(a)).toBeDefined();
    expect(normalizeName(a)).toBe(normalizeName(b));
  });

  it.each<[string, string]>([
    ["Schmidt", "Schmitt"],
    ["Müller", "Mueller"],
    ["O'Brien", "OBrien"],
    ["Meyer-Lang", "Meyer Lang"],
  ])("keeps different names apart: %j vs %j", (a, b) => {
    expect(normalizeName(a)).not.toBe(normalizeName(b));
  });

  it.each([[""], ["   "], ["\u0301"], [null], [undefined]])("%j -> undefined", (raw) => {
    expect(normalizeName(raw)).toBeUndefined();
  });

  it("is idempotent for any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), (raw) => {
        const once = normalizeName(raw);
        expect(once === undefined ? undefined : normalizeName(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  /** Characters that fold into others (ligatures, compatibility forms, special cases of case mapping). */
  const tricky = fc.constantFrom(..."AßẞİıŉſǄǅﬁＡ\u00A0\u0301\u0308ØæÅⅫ㎏ΩΣς’´`‐–—ʼ-' \t".split(""));

  it("is idempotent for strings of tricky characters", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(tricky, fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })),
          maxLength: 12,
        }),
        (raw) => {
          const once = normalizeName(raw);
          expect(once === undefined ? undefined : normalizeName(once)).toBe(once);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("normalizeEmail is idempotent", () => {
  it("for any string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.string()), (raw) => {
        const once = normalizeEmail(raw);
        expect(once === undefined ? undefined : normalizeEmail(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it("accepts every generated address, in any letter case", () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.boolean(), (raw, upper) => {
        const variant = upper ? raw.toUpperCase() : raw;
        expect(normalizeEmail(` ${variant} `)).toBe(raw.toLowerCase());
      }),
      { numRuns: 200 },
    );
  });
});

describe("normalizePhone", () => {
  it.each<[string, string | null | undefined, string, string | undefined]>([
    ["German trunk prefix in brackets", "+49 (0)89 123456", "DE", "+4989123456"],
    ["00 international prefix", "0049 89 123456", "DE", "+4989123456"],
    ["00 prefix with (0)", "0049 (0) 171 2345678", "DE", "+491712345678"],
    ["national with slash", "0171/2345678", "DE", "+491712345678"],
    ["national with spaces", "0171 2345678", "DE", "+491712345678"],
    ["international with dashes", "+49-171-234-5678", "DE", "+491712345678"],
    ["already E.164", "+491712345678", "DE", "+491712345678"],
    ["extension 'ext.' dropped", "089 123456 ext. 12", "DE", "+4989123456"],
    ["extension 'x' dropped", "+49 89 123456 x12", "DE", "+4989123456"],
    ["foreign number keeps its country", "+33 1 42 68 53 00", "DE", "+33142685300"],
    ["national number in another region", "01 42 68 53 00", "FR", "+33142685300"],
    ["US format", "(415) 555-2671", "US", "+14155552671"],
    ["lower-case region", "0171 2345678", "de", "+491712345678"],
    ["unknown region, international number", "+49 171 2345678", "XX", "+491712345678"],
    ["unknown region, national number", "0171 2345678", "XX", undefined],
    ["empty", "", "DE", undefined],
    ["blank", "   ", "DE", undefined],
    ["null", null, "DE", undefined],
    ["undefined", undefined, "DE", undefined],
    ["letters", "call me", "DE", undefined],
    ["too short", "123", "DE", undefined],
    ["text after the number", "0171 2345678 Durchwahl 3", "DE", undefined],
  ])("%s: %j (%s) -> %j", (_name, raw, region, expected) => {
    expect(normalizePhone(raw, region)).toBe(expected);
  });

  const germanMobile = fc.tuple(
    fc.constantFrom("151", "160", "170", "171", "176"),
    fc.integer({ min: 1000000, max: 9999999 }),
  );
  const variants = (prefix: string, digits: string): string[] => [
    `+49${prefix}${digits}`,
    `+49 ${prefix} ${digits}`,
    `+49 (0)${prefix} ${digits}`,
    `0049 ${prefix} ${digits.slice(0, 3)} ${digits.slice(3)}`,
    `0${prefix}/${digits}`,
    `0${prefix}-${digits.slice(0, 3)}-${digits.slice(3)}`,
    `(0${prefix}) ${digits}`,
    ` 0${prefix} ${digits} `,
  ];

  it("is stable across formatting variants of the same number", () => {
    fc.assert(
      fc.property(germanMobile, fc.constantFrom("DE", "AT", "US"), ([prefix, n], region) => {
        const digits = String(n);
        const expected = `+49${prefix}${digits}`;
        for (const variant of variants(prefix, digits)) {
          // "+" works everywhere, the "00" prefix only where it is the international prefix (DE, AT),
          // national variants only in their own region
          const international = variant.includes("+") || (variant.startsWith("00") && region !== "US");
          const wanted = international || region === "DE" ? expected : undefined;
          if (wanted !== undefined) expect(normalizePhone(variant, region)).toBe(wanted);
        }
        expect(normalizePhone(expected, region)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it("is idempotent: an E.164 result normalises to itself", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[+0(]?[0-9 ()/-]{3,18}$/), (raw) => {
        const once = normalizePhone(raw, "DE");
        if (once !== undefined) expect(normalizePhone(once, "DE")).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});

describe("sameKey", () => {
  it.each<[string | undefined, string | undefined, boolean]>([
    ["a", "a", true],
    ["a", "b", false],
    [undefined, undefined, false],
    ["a", undefined, false],
    [undefined, "a", false],
  ])("%j vs %j -> %j", (a, b, expected) => {
    expect(sameKey(a, b)).toBe(expected);
  });

  it("blank and unparseable values never equal each other", () => {
    expect(sameKey(normalizeEmail(""), normalizeEmail(null))).toBe(false);
    expect(sameKey(normalizeName(" "), normalizeName(undefined))).toBe(false);
    expect(sameKey(normalizePhone("abc", "DE"), normalizePhone("xyz", "DE"))).toBe(false);
  });
});
