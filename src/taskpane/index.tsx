/**
 * Composition root: Office.onReady (outside Office: the preview host) -> config.json ->
 * adapters -> <App/>. A bad config renders a translated problem list, never a blank pane.
 * Only the shell is in the initial chunk; the first view's chunk is fetched in parallel.
 */
import { FluentProvider, Spinner } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { createRoot, type Root } from "react-dom/client";
import type { i18n as I18n } from "i18next";
import { I18nextProvider } from "react-i18next";
import { readOfficeTheme, type ThemeName } from "../adapters/office/office-theme";
import { createSampleMailbox } from "../adapters/preview/sample-mailbox";
import { AppError } from "../core/errors";
import { App } from "./App";
import { buildServices, type Host } from "./build-services";
import { createI18n, pickLanguage } from "./i18n/i18n";
import { preloadView } from "./lazy-views";
import { ConfigErrorView } from "./shell/ConfigErrorView";
import { loadConfig } from "./shell/load-config";
import { fluentThemes } from "./shell/themes";
import type { ThemeSource } from "./shell/use-shell-state";
import { viewFromSearch } from "./shell/views";

/** True inside Outlook; false in a plain browser (office.js missing, or loaded outside Office). */
async function insideOutlook(): Promise<boolean> {
  if (typeof window.Office === "undefined") return false;
  const info = await Office.onReady();
  return info.host !== null && info.host !== undefined;
}

function officeThemeSource(): ThemeSource {
  return {
    current: readOfficeTheme(),
    subscribe(listener) {
      const handler = () => listener(readOfficeTheme());
      const mailbox = Office.context.mailbox;
      // OfficeThemeChanged exists in newer Outlook clients only; older ones report an error we ignore.
      mailbox.addHandlerAsync(Office.EventType.OfficeThemeChanged, handler, () => undefined);
      return () => mailbox.removeHandlerAsync(Office.EventType.OfficeThemeChanged, () => undefined);
    },
  };
}

function previewTheme(): ThemeName {
  if (typeof window.matchMedia !== "function") return "light";
  if (window.matchMedia("(forced-colors: active)").matches) return "high-contrast";
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function renderPlain(root: Root, i18n: I18n, theme: ThemeName, content: ReactNode) {
  root.render(
    <I18nextProvider i18n={i18n}>
      <FluentProvider theme={fluentThemes[theme]} style={{ minHeight: "100vh" }}>
        {content}
      </FluentProvider>
    </I18nextProvider>,
  );
}

async function main(): Promise<void> {
  const container = document.getElementById("root");
  if (!container) throw new AppError("unknown", "taskpane.html has no #root");
  const root = createRoot(container);
  // The first view's chunk loads while office.js starts and config.json is fetched.
  const initialView = viewFromSearch(window.location.search);
  void preloadView(initialView);
  const inOutlook = await insideOutlook();
  const language = pickLanguage(inOutlook ? Office.context.displayLanguage : navigator.language);
  document.documentElement.lang = language;
  const i18n = await createI18n(language);
  const themeSource: ThemeSource = inOutlook ? officeThemeSource() : { current: previewTheme() };
  renderPlain(root, i18n, themeSource.current, <Spinner label={i18n.t("common:loading")} />);

  const loaded = await loadConfig(fetch, "config.json", window.location.hostname);
  if (!loaded.ok) {
    renderPlain(root, i18n, themeSource.current, <ConfigErrorView problems={loaded.problems} />);
    return;
  }
  const host: Host = inOutlook ? { kind: "office" } : { kind: "preview", mailbox: createSampleMailbox() };
  const { services, startupErrors } = buildServices(loaded.config, host);
  root.render(
    <App
      services={services}
      i18n={i18n}
      initialView={initialView}
      themeSource={themeSource}
      preview={host.kind === "preview" ? { mailbox: host.mailbox } : undefined}
      initialErrors={startupErrors}
    />,
  );
}

main().catch((error: unknown) => {
  // Last resort before i18n exists: never leave the pane blank.
  const root = document.getElementById("root");
  const reason = AppError.from(error).message;
  if (root) root.textContent = `The add-in could not start. / Das Add-in konnte nicht starten. (${reason})`;
});
