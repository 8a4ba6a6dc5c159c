/**
 * The pane's shell: providers (i18n, Fluent theme, services, error area), the header with the
 * connection status (and the preview bar outside Office), the view navigation and the views.
 */
import { SyncOnOpen } from "./sync/SyncOnOpen";
import { FluentProvider, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { i18n as I18n } from "i18next";
import type { ComponentType } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import type { AppError } from "../core/errors";
import type { SampleMailbox } from "../adapters/preview/sample-mailbox";
import { ContactView } from "./contact/ContactView";
import { ExportView } from "./export/ExportView";
import { ImportView } from "./import/ImportView";
import { ServicesProvider, type Services } from "./services";
import { SettingsView } from "./settings/SettingsView";
import { ConnectionStatus } from "./shell/ConnectionStatus";
import { ErrorArea } from "./shell/ErrorArea";
import { ErrorReporterProvider } from "./shell/error-reporter";
import { Navigation, panelId, tabId } from "./shell/Navigation";
import { PreviewBar } from "./shell/PreviewBar";
import { StorageNote } from "./shell/StorageNote";
import { fluentThemes } from "./shell/themes";
import { useShellState, type ThemeSource } from "./shell/use-shell-state";
import type { ViewId } from "./shell/views";
import { SyncLogView } from "./sync/SyncLogView";

const views: Record<ViewId, ComponentType> = {
  export: ExportView,
  import: ImportView,
  contact: ContactView,
  sync: SyncLogView,
  settings: SettingsView,
};

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
  services: Services;
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
  const View = views[state.view];
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
          <SyncOnOpen onNeedsConfirmation={() => state.setView("sync")} />
          <header className={styles.header}>
            {preview && (
              <PreviewBar
                mailbox={preview.mailbox}
                language={state.language}
                onLanguageChange={state.setLanguage}
                theme={state.theme}
                onThemeChange={state.setTheme}
              />
            )}
            <h1 className={styles.title}>
              <Text size={400} weight="semibold">
                {t("appTitle")}
              </Text>
            </h1>
            <ConnectionStatus />
            <ErrorArea />
            <StorageNote />
            <Navigation value={state.view} onChange={state.setView} />
          </header>
          <main className={styles.main}>
            <div id={panelId} role="tabpanel" aria-labelledby={tabId(state.view)}>
              <View />
            </div>
          </main>
        </ErrorReporterProvider>
      </ServicesProvider>
    </FluentProvider>
  );
}
