/**
 * Import contact persons (Outlook -> CRM): lists the Outlook contacts without a CRM link with
 * their duplicate status and business partner; the user completes, ticks and imports them, or
 * links duplicates to the existing CRM person. See use-import.ts for the state.
 */
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle2,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { filterRows, statusCounts, type StatusFilter } from "./import-rows";
import { ImportList } from "./ImportList";
import { ImportProgressBar } from "./ImportProgressBar";
import { ImportResultBar } from "./ImportResultBar";
import { ImportToolbar } from "./ImportToolbar";
import { useImport } from "./use-import";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  title: { margin: 0 },
});

export function ImportView() {
  const { t } = useTranslation("import");
  const styles = useStyles();
  const state = useImport();
  const [status, setStatus] = useState<StatusFilter>("all");
  const [text, setText] = useState("");
  const shown = useMemo(() => filterRows(state.rows, status, text), [state.rows, status, text]);
  const counts = useMemo(() => statusCounts(state.rows), [state.rows]);
  const busy = state.phase === "running";
  const selectable = shown.filter((r) => r.blocked === null);
  const personOf = useCallback((id: string) => state.index?.person(id), [state.index]);
  const { selectMany } = state;

  return (
    <section className={styles.root} aria-labelledby="import-title">
      <h2 id="import-title" className={styles.title}>
        <Subtitle2>{t("title")}</Subtitle2>
      </h2>
      {state.result && <ImportResultBar result={state.result} onDismiss={state.dismissResult} />}
      {state.progress && <ImportProgressBar progress={state.progress} onCancel={state.cancel} />}
      {state.loadError && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>{t("loadFailed")}</MessageBarTitle>
            {t(`errors:${state.loadError.code}`)}
          </MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => void state.reload()}>
              {t("retry")}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {state.runError && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>{t("runFailed")}</MessageBarTitle>
            {t(`errors:${state.runError.code}`)}
          </MessageBarBody>
        </MessageBar>
      )}
      {state.phase === "loading" && <Spinner label={t("loading")} />}
      {state.phase !== "loading" && state.phase !== "error" && state.rows.length === 0 && (
        <MessageBar intent="info">
          <MessageBarBody>{t("empty")}</MessageBarBody>
        </MessageBar>
      )}
      {state.rows.length > 0 && (
        <>
          <ImportToolbar
            total={state.rows.length}
            counts={counts}
            selectedCount={state.rows.filter((r) => r.selected).length}
            selectableShown={selectable.length}
            status={status}
            text={text}
            busy={busy}
            onStatus={setStatus}
            onText={setText}
            onSelectAll={() =>
              selectMany(
                selectable.map((r) => r.id),
                true,
              )
            }
            onSelectNone={() =>
              selectMany(
                state.rows.map((r) => r.id),
                false,
              )
            }
            onImport={() => void state.importSelected()}
          />
          {shown.length === 0 ? (
            <MessageBar intent="info">
              <MessageBarBody>{t("noneShown")}</MessageBarBody>
            </MessageBar>
          ) : (
            <ImportList
              rows={shown}
              busy={busy}
              personOf={personOf}
              onToggle={state.toggle}
              onPartner={state.setPartner}
              onEdit={state.setEdit}
              onReviewed={state.markReviewed}
              onLink={(id, crmId) => void state.linkExisting(id, crmId)}
            />
          )}
        </>
      )}
    </section>
  );
}
