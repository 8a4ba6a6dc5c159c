/**
 * Composition root: Office.onReady (outside Office: the preview host) -> config.json ->
 * adapters -> <App/>. A bad config renders a translated problem list, never a blank pane.
 * Only the shell is in the initial chunk: it renders the header and navigation as soon as the
 * strings are there, while config.json, the start-up chunk (config parsing, adapters) and the
 * first view's chunk load in parallel; then the same tree gets its services.
 */
import { FluentProvider } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { createRoot, type Root } from "react-dom/client";
import type { i18n as I18n } from "i18next";
import { I18nextProvider } from "react-i18next";
import { readOfficeTheme, type ThemeName } from "../adapters/office/office-theme";
import { createSampleMailbox } from "../adapters/preview/sample-mailbox";
import { AppError } from "../core/errors";
import { App } from "./App";
import type { Host } from "./build-services";
import { createI18n, loadStrings, pickLanguage } from "./i18n/i18n";
import { preloadView } from "./lazy-views";
import type { LoadedConfig } from "./shell/load-config";
import { fluentThemes } from "./shell/themes";
import type { ThemeSource } from "./shell/use-shell-state";
import type { Services } from "./services";
import { viewFromSearch } from "./shell/views";
import { prefetch } from "./shell/when-idle";

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
  // While office.js starts: config.json, the first view's chunk and the strings of the likely
  // language (the browser's; Outlook's display language is known after Office.onReady) load.
  // (In this order: a browser opens only a few connections per host at a time.)
  prefetch(() => loadStrings(pickLanguage(navigator.language)));
  const configResponse = fetch("config.json", { cache: "no-store" });
  // Marks a failed fetch as handled until loadConfig reads it (it reports "offline" then).
  configResponse.catch(() => undefined);
  // The start-up chunk: config validation (zod) and the adapters, not needed to draw the shell.
  const startup = Promise.all([
    import(/* webpackChunkName: "startup" */ "./shell/load-config"),
    import(/* webpackChunkName: "startup" */ "./build-services"),
    import(/* webpackChunkName: "startup" */ "./shell/ConfigErrorView"),
  ]);
  let config: LoadedConfig | undefined;
  const configLoading = startup
    .then(([{ loadConfig }]) => loadConfig(() => configResponse, "config.json", window.location.hostname))
    .then((loaded) => {
      config = loaded;
      return loaded;
    });
  const initialView = viewFromSearch(window.location.search);
  void preloadView(initialView);
  const inOutlook = await insideOutlook();
  const language = pickLanguage(inOutlook ? Office.context.displayLanguage : navigator.language);
  document.documentElement.lang = language;
  const i18n = await createI18n(language);
  const themeSource: ThemeSource = inOutlook ? officeThemeSource() : { current: previewTheme() };
  const host: Host = inOutlook ? { kind: "office" } : { kind: "preview", mailbox: createSampleMailbox() };
  const shell = (services: Services | null, startupErrors?: AppError[]) => (
    <App
      services={services}
      i18n={i18n}
      initialView={initialView}
      themeSource={themeSource}
      preview={host.kind === "preview" ? { mailbox: host.mailbox } : undefined}
      initialErrors={startupErrors}
    />
  );
  // The shell with its navigation while start-up is still on its way (often it is already here).
  if (config === undefined) root.render(shell(null));
  const loaded = await configLoading;
  const [, { buildServices }, { ConfigErrorView }] = await startup;
  if (!loaded.ok) {
    renderPlain(root, i18n, themeSource.current, <ConfigErrorView problems={loaded.problems} />);
    return;
  }
  const { services, startupErrors } = buildServices(loaded.config, host);
  root.render(shell(services, startupErrors));
}

main().catch((error: unknown) => {
  // Last resort before i18n exists: never leave the pane blank.
  const root = document.getElementById("root");
  const reason = AppError.from(error).message;
  if (root) root.textContent = `The add-in could not start. / Das Add-in konnte nicht starten. (${reason})`;
});
