/**
 * The pane's shell: providers (i18n, Fluent theme, services, error area), the header with the
 * connection status (and the preview bar outside Office), the view navigation and the views.
 */
import { FluentProvider, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { i18n as I18n } from "i18next";
import { lazy, Suspense, useEffect } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import type { AppError } from "../core/errors";
import type { SampleMailbox } from "../adapters/preview/sample-mailbox";
import { languages, loadStrings } from "./i18n/i18n";
import { lazyView, prefetchOtherViews, preloadView } from "./lazy-views";
import { ServicesProvider, type Services } from "./services";
import { ErrorReporterProvider } from "./shell/error-reporter";
import { Navigation, panelId, tabId } from "./shell/Navigation";
import { ViewLoadBoundary } from "./shell/ViewLoadBoundary";
import { prefetch, whenIdle } from "./shell/when-idle";
import { fluentThemes } from "./shell/themes";
import { useShellState, type ThemeSource } from "./shell/use-shell-state";
import type { ViewId } from "./shell/views";

/** Sync on open runs the sync runner: its code loads after the shell, beside the first view. */
const SyncOnOpen = lazy(() =>
  import(/* webpackChunkName: "sync-on-open" */ "./sync/SyncOnOpen").then((m) => ({ default: m.SyncOnOpen })),
);
// Shown only once services exist (or, the preview bar, outside Outlook only): part of the start-up
// chunk that index.tsx requests at once, so they are there when the services are.
const ConnectionStatus = lazy(() =>
  import(/* webpackChunkName: "startup" */ "./shell/ConnectionStatus").then((m) => ({
    default: m.ConnectionStatus,
  })),
);
const ErrorArea = lazy(() =>
  import(/* webpackChunkName: "startup" */ "./shell/ErrorArea").then((m) => ({ default: m.ErrorArea })),
);
const StorageNote = lazy(() =>
  import(/* webpackChunkName: "startup" */ "./shell/StorageNote").then((m) => ({ default: m.StorageNote })),
);
const PreviewBar = lazy(() =>
  import(/* webpackChunkName: "startup" */ "./shell/PreviewBar").then((m) => ({ default: m.PreviewBar })),
);

const useStyles = makeStyles({
  provider: { minHeight: "100vh", display: "flex", flexDirection: "column" },
  header: {
    minWidth: 0,
    overflowWrap: "anywhere",
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM} 0`,
  },
  title: { margin: 0 },
  // Long unbroken values from the CRM or Outlook (names, e-mail addresses) wrap anywhere rather
  // than widening the 320-450 px pane; components that truncate with an ellipsis still do.
  main: {
    flex: 1,
    minWidth: 0,
    overflowWrap: "anywhere",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
  },
});

export interface AppProps {
  /**
   * null while the start-up chunk (config, adapters) is still loading: the shell shows its
   * header and navigation with a spinner in place of the view, then the same tree gets services.
   */
  services: Services | null;
  i18n: I18n;
  initialView: ViewId;
  themeSource: ThemeSource;
  /** Present in the preview host only. */
  preview?: { mailbox: SampleMailbox };
  /** Errors found while starting (e.g. sign-in not available), shown in the error area. */
  initialErrors?: AppError[];
}

export function App(props: AppProps) {
  return (
    <I18nextProvider i18n={props.i18n}>
      <Shell {...props} />
    </I18nextProvider>
  );
}

function Shell({ services, i18n, initialView, themeSource, preview, initialErrors }: AppProps) {
  const { t } = useTranslation("common");
  const styles = useStyles();
  const state = useShellState(i18n, initialView, themeSource);
  // After the first view: the other views, then the other language's strings, when idle.
  // (Only once services exist: start-up, with zod's jitless switch, has then been evaluated.)
  const ready = services !== null;
  useEffect(() => (ready ? prefetchOtherViews(initialView) : undefined), [ready, initialView]);
  useEffect(() => {
    if (!ready) return undefined;
    let cancel = (): void => undefined;
    let stopped = false;
    const later = () => {
      if (stopped) return;
      cancel = whenIdle(() => {
        for (const language of languages) prefetch(() => loadStrings(language));
      });
    };
    preloadView(initialView).then(later, later);
    return () => {
      stopped = true;
      cancel();
    };
  }, [ready, initialView]);
  const renderView = () => {
    const View = lazyView(state.view);
    return (
      <Suspense fallback={<Spinner label={t("loading")} />}>
        <View />
      </Suspense>
    );
  };
  return (
    <FluentProvider
      theme={fluentThemes[state.theme]}
      className={styles.provider}
      // Portals (dialogs, popovers, listboxes) get the theme but not the full-height layout class,
      // which would otherwise leave an invisible layer over the pane that swallows clicks.
      applyStylesToPortals={false}
      data-theme={state.theme}
    >
      <ServicesProvider services={services}>
        <ErrorReporterProvider initial={initialErrors}>
          {services && (
            <Suspense fallback={null}>
              <SyncOnOpen onNeedsConfirmation={() => state.setView("sync")} />
            </Suspense>
          )}
          <header className={styles.header}>
            {preview && (
              <Suspense fallback={null}>
                <PreviewBar
                  mailbox={preview.mailbox}
                  language={state.language}
                  onLanguageChange={state.setLanguage}
                  theme={state.theme}
                  onThemeChange={state.setTheme}
                />
              </Suspense>
            )}
            <h1 className={styles.title}>
              <Text size={400} weight="semibold">
                {t("appTitle")}
              </Text>
            </h1>
            {services && (
              <Suspense fallback={null}>
                <ConnectionStatus />
                <ErrorArea />
                <StorageNote />
              </Suspense>
            )}
            <Navigation value={state.view} onChange={state.setView} />
          </header>
          <main className={styles.main}>
            <div id={panelId} role="tabpanel" aria-labelledby={tabId(state.view)}>
              {services ? (
                <ViewLoadBoundary key={state.view} render={renderView} />
              ) : (
                <Spinner label={t("loading")} />
              )}
            </div>
          </main>
        </ErrorReporterProvider>
      </ServicesProvider>
    </FluentProvider>
  );
}
