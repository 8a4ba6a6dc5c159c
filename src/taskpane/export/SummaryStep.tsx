/** Step 6 of the export wizard: what the export did (counts, failures with translated reasons). */
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Text,
  tokens,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { ExportSummary } from "../../app/export-runner";
import type { AppError } from "../../core/errors";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, maxHeight: "240px", overflowY: "auto" },
});

export interface SummaryStepProps {
  summary: ExportSummary | null;
  error: AppError | null;
  onDone: () => void;
}

export function SummaryStep({ summary, error, onDone }: SummaryStepProps) {
  const { t } = useTranslation(["export", "errors"]);
  const styles = useStyles();
  const rows: [string, number][] = summary
    ? [
        [t("summary.created"), summary.created],
        [t("summary.updated"), summary.updated],
        [t("summary.unchanged"), summary.unchanged],
        [t("summary.withdrawn"), summary.withdrawn],
        [t("summary.failed"), summary.failed.length],
      ]
    : [];
  return (
    <div className={styles.root}>
      {error ? (
        <MessageBar intent="error">
          <MessageBarBody>{t(`errors:${error.code}`)}</MessageBarBody>
        </MessageBar>
      ) : null}
      {summary?.cancelled ? (
        <MessageBar intent="warning">
          <MessageBarBody>{t("summary.cancelled", { count: summary.notRun })}</MessageBarBody>
        </MessageBar>
      ) : null}
      {summary ? (
        <Table aria-label={t("summary.title")} size="small">
          <TableBody>
            {rows.map(([label, value]) => (
              <TableRow key={label}>
                <TableCell>{label}</TableCell>
                <TableCell>{value}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      {summary && summary.failed.length > 0 ? (
        <section aria-label={t("summary.failures")}>
          <Text weight="semibold">{t("summary.failures")}</Text>
          <ul className={styles.list} tabIndex={0}>
            {summary.failed.map((f) => (
              <li key={`${f.kind}-${f.crmId}`}>
                {f.label}: {t(`errors:${f.code}`)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {summary && summary.photosSkipped.length > 0 ? (
        <section aria-label={t("summary.photos")}>
          <Text weight="semibold">{t("summary.photos")}</Text>
          <ul className={styles.list} tabIndex={0}>
            {summary.photosSkipped.map((p) => (
              <li key={`photo-${p.crmId}`}>
                {p.label}: {t(`errors:${p.code}`)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div>
        <Button appearance="primary" onClick={onDone}>
          {t("summary.done")}
        </Button>
      </div>
    </div>
  );
}
