/**
 * The Contact replication view (DESIGN.md §2 item 4): the people of the selected e-mail with
 * their replication state and switch, a search for any other CRM contact person, and the import
 * offer for people the CRM does not know. Follows the selected item (pinned pane).
 */
import { makeStyles, tokens } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import { ContactMessages } from "./ContactMessages";
import { ContactSearch } from "./ContactSearch";
import { EmailPeopleList } from "./EmailPeopleList";
import { ImportPersonDialog } from "./ImportPersonDialog";
import { personDisplayName } from "./contact-data";
import { useContactReplication } from "./use-contact-replication";
import { WithdrawDialog } from "./WithdrawDialog";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  title: { margin: 0, fontSize: tokens.fontSizeBase400 },
});

export function ContactView() {
  const { t } = useTranslation("contact");
  const styles = useStyles();
  const r = useContactReplication();
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
      <WithdrawDialog
        name={r.pendingOff ? personDisplayName(r.pendingOff) : null}
        onConfirm={() => void r.confirmOff()}
        onCancel={r.cancelOff}
      />
      <ImportPersonDialog mail={r.importTarget} onCancel={r.closeImport} onImported={r.onImported} />
    </div>
  );
}
