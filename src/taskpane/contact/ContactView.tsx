/**
 * The Contact replication view (DESIGN.md §2 item 4): the people of the selected e-mail with
 * their replication state and switch, a search for any other CRM contact person, and the import
 * offer for people the CRM does not know. Follows the selected item (pinned pane).
 * The two dialogs are their own chunks (the import one carries the duplicate check and phone
 * metadata), prefetched when idle and loaded when first opened.
 */
import { makeStyles, tokens } from "@fluentui/react-components";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ContactMessages } from "./ContactMessages";
import { ContactSearch } from "./ContactSearch";
import { EmailPeopleList } from "./EmailPeopleList";
import { personDisplayName } from "./contact-data";
import { useContactReplication } from "./use-contact-replication";
import { prefetch, whenIdle } from "../shell/when-idle";

const loadImportPersonDialog = () =>
  import(/* webpackChunkName: "import-person-dialog" */ "./ImportPersonDialog");
const loadWithdrawDialog = () => import(/* webpackChunkName: "withdraw-dialog" */ "./WithdrawDialog");
const ImportPersonDialog = lazy(() =>
  loadImportPersonDialog().then((m) => ({
    default: m.ImportPersonDialog,
  })),
);
const WithdrawDialog = lazy(() => loadWithdrawDialog().then((m) => ({ default: m.WithdrawDialog })));

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  title: { margin: 0, fontSize: tokens.fontSizeBase400 },
});

export function ContactView() {
  const { t } = useTranslation("contact");
  const styles = useStyles();
  const r = useContactReplication();
  const withdrawUsed = useLatch(r.pendingOff !== null);
  const importUsed = useLatch(r.importTarget !== null);
  useEffect(
    () =>
      whenIdle(() => {
        prefetch(loadImportPersonDialog);
        prefetch(loadWithdrawDialog);
      }),
    [],
  );
  return (
    <div className={styles.root}>
      <h2 className={styles.title}>{t("title")}</h2>
      <ContactMessages
        error={r.error}
        notice={r.notice}
        onDismissError={r.dismissError}
        onDismissNotice={r.dismissNotice}
      />
      <EmailPeopleList
        status={r.status}
        matches={r.matches}
        persons={r.persons}
        replicated={r.replicated}
        busy={r.busy}
        onTurnOn={(id) => void r.turnOn(id)}
        onRequestOff={r.requestOff}
        onImport={r.openImport}
      />
      <ContactSearch
        search={r.search}
        persons={r.persons}
        replicated={r.replicated}
        busy={r.busy}
        onSearch={(text) => void r.runSearch(text)}
        onTurnOn={(id) => void r.turnOn(id)}
        onRequestOff={r.requestOff}
      />
      <Suspense fallback={null}>
        {/* Loaded when first needed, then kept mounted: Fluent restores the page's aria-hidden
            only when it closes a dialog itself (microsoft/tabster#530). */}
        {withdrawUsed && (
          <WithdrawDialog
            name={r.pendingOff ? personDisplayName(r.pendingOff) : null}
            onConfirm={() => void r.confirmOff()}
            onCancel={r.cancelOff}
          />
        )}
        {importUsed && (
          <ImportPersonDialog mail={r.importTarget} onCancel={r.closeImport} onImported={r.onImported} />
        )}
      </Suspense>
    </div>
  );
}

/** True from the first render where `value` is true on (a lazily loaded part stays mounted). */
function useLatch(value: boolean): boolean {
  const [latched, setLatched] = useState(value);
  if (value && !latched) setLatched(true);
  return latched || value;
}
