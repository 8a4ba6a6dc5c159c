/** Fluent v9 themes for the pane's three theme names (Outlook light, dark, high contrast). */
import { teamsHighContrastTheme, webDarkTheme, webLightTheme, type Theme } from "@fluentui/react-components";
import type { ThemeName } from "../../adapters/office/office-theme";

export const themeNames: readonly ThemeName[] = ["light", "dark", "high-contrast"];

export const fluentThemes: Record<ThemeName, Theme> = {
  light: webLightTheme,
  dark: webDarkTheme,
  "high-contrast": teamsHighContrastTheme,
};
