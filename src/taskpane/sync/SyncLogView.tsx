/**
 * The Sync log view: "Sync now" with progress and Cancel, the mass-delete confirmation dialog,
 * and the last 50 runs with their counts and details (conflicts, overwritten edits, failures).
 */
import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useServices } from "../services";
import { SyncConfirmDialog } from "./SyncConfirmDialog";
import { SyncRunList } from "./SyncRunList";
import { useSyncController } from "./use-sync-controller";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
});

export function SyncLogView() {
  const { t } = useTranslation(["sync", "errors"]);
  const styles = useStyles();
  const services = useServices();
  const { controller, state } = useSyncController();
  const [declined, setDeclined] = useState(false);

  useEffect(() => {
    void controller.reloadLog();
    return services.linkEvents.subscribe(() => void controller.reloadLog());
  }, [controller, services]);

  const progress = state.progress;
  return (
    <section className={styles.root} aria-labelledby="sync-title">
      <h2 id="sync-title">
        <Text size={400} weight="semibold">
          {t("title")}
        </Text>
      </h2>
      <Text>{t("intro")}</Text>
      <div className={styles.actions}>
        <Button
          appearance="primary"
          disabled={state.running}
          onClick={() => {
            setDeclined(false);
            void controller.run({ force: true, trigger: "manual" });
          }}
        >
          {t("syncNow")}
        </Button>
        {state.running && <Button onClick={() => controller.cancel()}>{t("cancel")}</Button>}
      </div>
      {state.running && (
        <Field
          label={t("progress.label")}
          validationState="none"
          validationMessage={
            progress
              ? t("progress.status", {
                  phase: t(`progress.phase.${progress.phase}`),
                  done: progress.done,
                  total: progress.total,
                })
              : undefined
          }
        >
          <ProgressBar
            value={progress && progress.total > 0 ? progress.done / progress.total : undefined}
            max={1}
          />
        </Field>
      )}
      <div role="status">
        {state.error && (
          <MessageBar intent="error">
            <MessageBarBody>{t("runFailed", { message: t(`errors:${state.error.code}`) })}</MessageBarBody>
          </MessageBar>
        )}
        {declined && (
          <MessageBar intent="info">
            <MessageBarBody>{t("declined")}</MessageBarBody>
          </MessageBar>
        )}
      </div>
      {!state.logLoaded ? (
        <Spinner size="small" label={t("loading")} />
      ) : state.log.length === 0 ? (
        <Text>{t("empty")}</Text>
      ) : (
        <SyncRunList entries={state.log} />
      )}
      <SyncConfirmDialog
        confirmation={state.confirmation}
        onConfirm={() => void controller.confirmDeletes()}
        onCancel={() => {
          controller.dismissConfirmation();
          setDeclined(true);
        }}
      />
    </section>
  );
}
