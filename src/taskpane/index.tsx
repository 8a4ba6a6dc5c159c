/**
 * Composition root. Start-up is never blank: taskpane.html shows the product name at once, React
 * then shows the spinner, and only then waits for office.js (with a deadline, see office-start)
 * and config.json, in parallel. Outcomes:
 *   - inside Outlook -> adapters -> <App/>;
 *   - office.js not ready in time -> "Outlook did not start the add-in" with what to try;
 *   - outside Office -> the preview host in development builds or on localhost, otherwise
 *     "Open this add-in from Outlook" (a production build never shows sample data);
 *   - a bad config -> a translated problem list.
 * Only the shell is in the initial chunk (README "Start-up and bundle size"): config validation
 * (zod) and the adapters are the start-up chunk, requested at once with config.json and the first
 * view's chunk; the header and navigation render before they have arrived, then the same tree
 * gets its services. zod-jitless is the start-up chunk's first module, and no chunk that may
 * build a zod schema is evaluated before it (the first view waits for it).
 */
import { FluentProvider } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { flushSync } from "react-dom";
import { createRoot, type Root } from "react-dom/client";
import type { i18n as I18n } from "i18next";
import { I18nextProvider } from "react-i18next";
import { paneLocalStorage } from "../adapters/browser/guarded-storage";
import {
  hostInfoLocale,
  openedByOutlook,
  previewAllowed,
  startupTimeoutMs,
  waitForOffice,
} from "../adapters/office/office-start";
import { readOfficeTheme, type ThemeName } from "../adapters/office/office-theme";
import { createSampleMailbox } from "../adapters/preview/sample-mailbox";
import { AppError } from "../core/errors";
import { App } from "./App";
import type { Host } from "./build-services";
import { createPaneI18n, pickLanguage } from "./i18n/i18n";
import { preloadView } from "./lazy-views";
import type { Services } from "./services";
import type { LoadedConfig } from "./shell/load-config";
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
  // 0. Requested at once, in this order (a browser opens only a few connections per host):
  // config.json, the UI language's strings, the start-up chunk, the first view's chunk.
  const configResponse = fetch("config.json", { cache: "no-store" });
  // Marks a failed fetch as handled until loadConfig reads it (it reports "offline" then).
  configResponse.catch(() => undefined);
  // The shell's strings are usable at once, the rest arrive with `stringsLoaded`. The language:
  // Outlook's from `_host_Info` when Outlook opened the pane (onReady confirms it), else the
  // browser's.
  const opened = openedByOutlook(window.location.search, window.name);
  let language = pickLanguage(hostInfoLocale(window.location.search) ?? navigator.language);
  const { i18n, loaded: stringsLoaded } = createPaneI18n(language);
  document.documentElement.lang = language;
  // zod's JIT off before any schema exists (CSP): first, before any module that builds one.
  const jitless = import(/* webpackChunkName: "startup" */ "./zod-jitless");
  const startup = jitless.then(() =>
    Promise.all([
      import(/* webpackChunkName: "startup" */ "./shell/load-config"),
      import(/* webpackChunkName: "startup" */ "./build-services"),
      import(/* webpackChunkName: "startup" */ "./shell/ConfigErrorView"),
    ]),
  );
  const configLoading = startup.then(([{ loadConfig }]) =>
    loadConfig(() => configResponse, "config.json", window.location.hostname),
  );
  const initialView = viewFromSearch(window.location.search);
  // (A failed start-up chunk is reported by main's catch below.)
  jitless.then(() => preloadView(initialView)).catch(() => undefined);
  const fallbackSupportUrl = new URL("support.html", window.location.href).toString();
  const developmentBuild = process.env.NODE_ENV !== "production";
  const preview = previewAllowed(window.location.hostname, developmentBuild);
  const shell = (host: Host, themeSource: ThemeSource, services: Services | null, errors?: AppError[]) => (
    <App
      services={services}
      i18n={i18n}
      initialView={initialView}
      themeSource={themeSource}
      preview={host.kind === "preview" ? { mailbox: host.mailbox } : undefined}
      initialErrors={errors}
    />
  );

  // 1. Render at once: the header and navigation when the pane will show them (opened by Outlook,
  // or the preview host may run), else "starting". office.js decides below; a pane it does not
  // start is replaced by the matching message.
  let host: Host = opened ? { kind: "office" } : { kind: "preview", mailbox: createSampleMailbox() };
  let themeSource: ThemeSource = { current: previewTheme() };
  const early = opened || preview;
  flushSync(() =>
    early
      ? root.render(shell(host, themeSource, null))
      : renderPlain(
          root,
          i18n,
          themeSource.current,
          <StartupMessage state="starting" supportUrl={fallbackSupportUrl} />,
        ),
  );

  // 2. office.js, in parallel with config.json, the strings and the start-up chunk; none of
  // them may hold the pane forever.
  const start = await waitForOffice(startupTimeoutMs());
  const supportUrlOf = (loaded: LoadedConfig) =>
    (loaded.ok && loaded.config.supportUrl) || fallbackSupportUrl;
  if (start.kind === "outlook") {
    language = pickLanguage(start.displayLanguage ?? language);
    if (language !== i18n.language) await i18n.changeLanguage(language);
    document.documentElement.lang = language;
    themeSource = officeThemeSource();
    if (host.kind !== "office") host = { kind: "office" };
  }
  if (start.kind === "timeout" || (start.kind === "outside" && !preview)) {
    const state = start.kind === "timeout" ? "office-timeout" : "open-from-outlook";
    const supportUrl = supportUrlOf(await configLoading);
    await stringsLoaded;
    renderPlain(root, i18n, themeSource.current, <StartupMessage state={state} supportUrl={supportUrl} />);
    return;
  }
  if (start.kind === "outside" && host.kind !== "preview")
    host = { kind: "preview", mailbox: createSampleMailbox() };
  if (!early || start.kind === "outlook") root.render(shell(host, themeSource, null));

  // 3. The app: the same tree gets its services when start-up and the strings have arrived.
  const loaded = await configLoading;
  const [, { buildServices }, { ConfigErrorView }] = await startup;
  // Every view and message below needs the language's other namespaces.
  await stringsLoaded;
  if (!loaded.ok) {
    renderPlain(root, i18n, themeSource.current, <ConfigErrorView problems={loaded.problems} />);
    return;
  }
  const { services, startupErrors } = buildServices(loaded.config, host, paneLocalStorage());
  root.render(shell(host, themeSource, services, startupErrors));
}

main().catch((error: unknown) => {
  // Last resort before i18n exists: never leave the pane blank.
  const root = document.getElementById("root");
  const reason = AppError.from(error).message;
  if (root) root.textContent = `The add-in could not start. / Das Add-in konnte nicht starten. (${reason})`;
});
