/**
 * Reads Outlook's theme: `Office.context.officeTheme` (when the host provides it) and the
 * browser's forced-colors mode for high contrast.
 *
 * @example
 *   themeFromOffice({ bodyBackgroundColor: "#1f1f1f" }, false); // "dark"
 */
export type ThemeName = "light" | "dark" | "high-contrast";

/** Relative luminance of a #rrggbb colour (0 black .. 1 white); null when unparsable. */
function luminance(hex: string | undefined): number | null {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? "");
  if (!m) return null;
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function themeFromOffice(
  officeTheme: Pick<Office.OfficeTheme, "bodyBackgroundColor"> | undefined,
  forcedColors: boolean,
): ThemeName {
  if (forcedColors) return "high-contrast";
  const l = luminance(officeTheme?.bodyBackgroundColor);
  return l !== null && l < 0.2 ? "dark" : "light";
}

/** The theme of the running Outlook (call only after Office.onReady). */
export function readOfficeTheme(): ThemeName {
  const forced =
    typeof window.matchMedia === "function" && window.matchMedia("(forced-colors: active)").matches;
  let officeTheme: Office.OfficeTheme | undefined;
  try {
    officeTheme = Office.context.officeTheme;
  } catch (error) {
    // Some hosts throw when the theme API is missing: treat as "no theme information".
    officeTheme = undefined;
    void error;
  }
  return themeFromOffice(officeTheme, forced);
}
