/**
 * Composition root. Start-up is never blank: taskpane.html shows the product name at once, React
 * then shows the spinner, and only then waits for office.js (with a deadline, see office-start)
 * and config.json, in parallel. Outcomes:
 *   - inside Outlook -> adapters -> <App/>;
 *   - office.js not ready in time -> "Outlook did not start the add-in" with what to try;
 *   - outside Office -> the preview host in development builds or on localhost, otherwise
 *     "Open this add-in from Outlook" (a production build never shows sample data);
 *   - a bad config -> a translated problem list.
 */
import "./zod-jitless"; // first: before any zod schema is built
import { FluentProvider } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { createRoot, type Root } from "react-dom/client";
import type { i18n as I18n } from "i18next";
import { I18nextProvider } from "react-i18next";
import { paneLocalStorage } from "../adapters/browser/guarded-storage";
import { previewAllowed, startupTimeoutMs, waitForOffice } from "../adapters/office/office-start";
import { readOfficeTheme, type ThemeName } from "../adapters/office/office-theme";
import { createSampleMailbox } from "../adapters/preview/sample-mailbox";
import { AppError } from "../core/errors";
import { App } from "./App";
import { buildServices, type Host } from "./build-services";
import { createI18n, pickLanguage } from "./i18n/i18n";
import { ConfigErrorView } from "./shell/ConfigErrorView";
import { loadConfig } from "./shell/load-config";
import { StartupMessage } from "./shell/StartupMessage";
import { fluentThemes } from "./shell/themes";
import type { ThemeSource } from "./shell/use-shell-state";
import { viewFromSearch } from "./shell/views";

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
  // 1. Render at once, in the browser's language (Outlook's is known only after onReady).
  let language = pickLanguage(navigator.language);
  const i18n = await createI18n(language);
  const fallbackSupportUrl = new URL("support.html", window.location.href).toString();
  renderPlain(
    root,
    i18n,
    previewTheme(),
    <StartupMessage state="starting" supportUrl={fallbackSupportUrl} />,
  );

  // 2. office.js and config.json in parallel; neither may hold the pane forever.
  const [start, loaded] = await Promise.all([
    waitForOffice(startupTimeoutMs()),
    loadConfig(fetch, "config.json", window.location.hostname),
  ]);
  const supportUrl = (loaded.ok && loaded.config.supportUrl) || fallbackSupportUrl;
  if (start.kind === "outlook") {
    language = pickLanguage(start.displayLanguage);
    if (language !== i18n.language) await i18n.changeLanguage(language);
  }
  document.documentElement.lang = language;
  const themeSource: ThemeSource =
    start.kind === "outlook" ? officeThemeSource() : { current: previewTheme() };
  const developmentBuild = process.env.NODE_ENV !== "production";
  if (start.kind === "timeout") {
    renderPlain(
      root,
      i18n,
      themeSource.current,
      <StartupMessage state="office-timeout" supportUrl={supportUrl} />,
    );
    return;
  }
  if (start.kind === "outside" && !previewAllowed(window.location.hostname, developmentBuild)) {
    renderPlain(
      root,
      i18n,
      themeSource.current,
      <StartupMessage state="open-from-outlook" supportUrl={supportUrl} />,
    );
    return;
  }
  if (!loaded.ok) {
    renderPlain(root, i18n, themeSource.current, <ConfigErrorView problems={loaded.problems} />);
    return;
  }

  // 3. The app.
  const host: Host =
    start.kind === "outlook" ? { kind: "office" } : { kind: "preview", mailbox: createSampleMailbox() };
  const { services, startupErrors } = buildServices(loaded.config, host, paneLocalStorage());
  root.render(
    <App
      services={services}
      i18n={i18n}
      initialView={viewFromSearch(window.location.search)}
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
