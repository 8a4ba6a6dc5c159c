import { hasVisibleText, unsafeText } from "../../src/core/text-safety";

describe("unsafeText", () => {
  const cases: [string, string, boolean, ReturnType<typeof unsafeText>][] = [
    ["plain text", "Müller-Lüdenscheidt", false, null],
    ["a character outside the BMP", "Emoji 😀", false, null],
    ["a lone high surrogate", "a\uD800b", false, "lone-surrogate"],
    ["a lone low surrogate", "a\uDC00", true, "lone-surrogate"],
    ["NUL", "a\u0000", false, "control-character"],
    ["DEL", "a\u007F", true, "control-character"],
    ["a C1 control", "a\u0085", true, "control-character"],
    ["a line break in a single-line field", "a\nb", false, "control-character"],
    ["line breaks and tabs in a multi-line field", "a\r\nb\tc", true, null],
    ["a bell in a multi-line field", "a\u0007", true, "control-character"],
  ];
  it.each(cases)("%s", (_name, value, multiline, expected) => {
    expect(unsafeText(value, multiline)).toBe(expected);
  });
});

describe("hasVisibleText", () => {
  it.each([
    ["", false],
    [" \t", false],
    ["\u200B\u200C\u200D\u2060\uFEFF", false],
    ["\u0000\u0007", false],
    ["\u3164", false],
    ["x", true],
    [" Ø ", true],
  ])("%j -> %s", (value, expected) => {
    expect(hasVisibleText(value)).toBe(expected);
  });
});
