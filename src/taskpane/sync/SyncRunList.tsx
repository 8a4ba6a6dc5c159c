/** The last runs, newest first: time, trigger and counts; each expands to its details. */
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { SyncLogEntry } from "../../app/sync-log";
import { SyncRunDetails } from "./SyncRunDetails";

const useStyles = makeStyles({
  header: { display: "flex", flexDirection: "column", alignItems: "flex-start" },
  panel: { paddingBottom: tokens.spacingVerticalM },
});

export function SyncRunList({ entries }: { entries: SyncLogEntry[] }) {
  const { t, i18n } = useTranslation(["sync", "errors"]);
  const styles = useStyles();
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "medium" });
  return (
    // A named group: aria-label on the Accordion's plain <div> (no role) is not announced.
    <Accordion collapsible multiple role="group" aria-label={t("runsLabel")}>
      {entries.map((entry) => {
        const time = format.format(new Date(entry.startedAt));
        const changed =
          entry.counts.updatedOutlook +
          entry.counts.updatedCrm +
          entry.counts.conflicts +
          entry.counts.overwritten +
          entry.counts.unlinked +
          entry.counts.deleted +
          entry.counts.failed;
        const summary = entry.error
          ? t("runFailed", { message: t(`errors:${entry.error.code}`) })
          : changed === 0
            ? t("nothingChanged")
            : t("summary", { ...entry.counts });
        return (
          <AccordionItem key={entry.id} value={entry.id}>
            <AccordionHeader>
              <span className={styles.header}>
                <Text weight="semibold">
                  {t("runTitle", { time })} · {t(`trigger.${entry.trigger}`)}
                </Text>
                <Text size={200}>{summary}</Text>
                {entry.cancelled && <Text size={200}>{t("cancelledRun")}</Text>}
              </span>
            </AccordionHeader>
            <AccordionPanel className={styles.panel}>
              <SyncRunDetails entry={entry} />
            </AccordionPanel>
          </AccordionItem>
        );
      })}
    </Accordion>
  );
}
