/**
 * The shell's state: current view, theme (following Outlook, or the preview switch) and UI
 * language (switching it re-renders every translated string).
 */
import { useCallback, useEffect, useState } from "react";
import type { i18n as I18n } from "i18next";
import type { ThemeName } from "../../adapters/office/office-theme";
import { pickLanguage, type Language } from "../i18n/i18n";
import type { ViewId } from "./views";

/** Where the theme comes from: Outlook's theme (with change events) or a fixed start value. */
export interface ThemeSource {
  current: ThemeName;
  /** Returns the unsubscribe function. */
  subscribe?: (listener: (theme: ThemeName) => void) => () => void;
}

export function useShellState(i18n: I18n, initialView: ViewId, themeSource: ThemeSource) {
  const [view, setView] = useState<ViewId>(initialView);
  const [theme, setTheme] = useState<ThemeName>(themeSource.current);
  const [language, setLanguageState] = useState<Language>(pickLanguage(i18n.language));

  // A new source (Outlook's, once office.js is ready, after the pane drew itself) applies its
  // current theme and then its changes.
  useEffect(() => {
    setTheme(themeSource.current);
    return themeSource.subscribe?.(setTheme);
  }, [themeSource]);
  useEffect(() => {
    const follow = (lng: string) => setLanguageState(pickLanguage(lng));
    i18n.on("languageChanged", follow);
    return () => i18n.off("languageChanged", follow);
  }, [i18n]);

  const setLanguage = useCallback(
    (next: Language) => {
      void i18n.changeLanguage(next).then(() => {
        setLanguageState(next);
        document.documentElement.lang = next;
      });
    },
    [i18n],
  );

  return { view, setView, theme, setTheme, language, setLanguage };
}
