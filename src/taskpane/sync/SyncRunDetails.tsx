/** The details of one sync run: counts, then each conflict, overwritten edit, failure, delete, unlink. */
import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { SyncCounts, SyncLogEntry } from "../../app/sync-log";
import { PAGE_SIZE, usePaged } from "./use-paged";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  counts: {
    display: "grid",
    gridTemplateColumns: "1fr auto",
    columnGap: tokens.spacingHorizontalM,
    margin: 0,
  },
  dd: { margin: 0, textAlign: "right" },
});

const countKeys: (keyof SyncCounts)[] = [
  "updatedOutlook",
  "updatedCrm",
  "conflicts",
  "overwritten",
  "unlinked",
  "deleted",
  "failed",
];

export function SyncRunDetails({ entry }: { entry: SyncLogEntry }) {
  const { t } = useTranslation(["sync", "errors"]);
  const styles = useStyles();
  const conflicts = usePaged(entry.conflicts);
  const overwritten = usePaged(entry.overwritten);
  const failures = usePaged(entry.failures);
  const deleted = usePaged(entry.deleted);
  const unlinked = usePaged(entry.unlinked);
  const more = (paged: { rest: number; more: () => void }) =>
    paged.rest > 0 && (
      <Button appearance="subtle" size="small" onClick={paged.more}>
        {t("details.showMore", { count: Math.min(paged.rest, PAGE_SIZE) })}
      </Button>
    );
  const value = (field: string, text: string | null) =>
    text === null ? t("details.empty") : field === "photo" ? t("photoValue") : text;
  return (
    <div className={styles.root}>
      <dl className={styles.counts} aria-label={t("counts.label")}>
        {countKeys.map((key) => (
          <div key={key} style={{ display: "contents" }}>
            <dt>{t(`counts.${key}`)}</dt>
            <dd className={styles.dd}>{entry.counts[key]}</dd>
          </div>
        ))}
      </dl>
      {entry.conflicts.length > 0 && (
        <section>
          <Text weight="semibold">{t("details.conflicts")}</Text>
          <Table size="small" aria-label={t("details.conflicts")}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t("details.person")}</TableHeaderCell>
                <TableHeaderCell>{t("details.field")}</TableHeaderCell>
                <TableHeaderCell>{t("details.crmValue")}</TableHeaderCell>
                <TableHeaderCell>{t("details.outlookValue")}</TableHeaderCell>
                <TableHeaderCell>{t("details.winner")}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {conflicts.visible.map((c, i) => (
                <TableRow key={`${c.crmId}-${c.field}-${i}`}>
                  <TableCell>{c.name}</TableCell>
                  <TableCell>{t(`fields.${c.field}`)}</TableCell>
                  <TableCell>{value(c.field, c.crmValue)}</TableCell>
                  <TableCell>{value(c.field, c.outlookValue)}</TableCell>
                  <TableCell>{t(`winner.${c.winner}`)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {more(conflicts)}
        </section>
      )}
      {entry.overwritten.length > 0 && (
        <section>
          <Text weight="semibold">{t("details.overwritten")}</Text>
          <Table size="small" aria-label={t("details.overwritten")}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t("details.person")}</TableHeaderCell>
                <TableHeaderCell>{t("details.field")}</TableHeaderCell>
                <TableHeaderCell>{t("details.outlookValue")}</TableHeaderCell>
                <TableHeaderCell>{t("details.crmValue")}</TableHeaderCell>
                <TableHeaderCell>{t("details.reason")}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {overwritten.visible.map((o, i) => (
                <TableRow key={`${o.crmId}-${o.field}-${i}`}>
                  <TableCell>{o.name}</TableCell>
                  <TableCell>{t(`fields.${o.field}`)}</TableCell>
                  <TableCell>{value(o.field, o.outlookValue)}</TableCell>
                  <TableCell>{value(o.field, o.crmValue)}</TableCell>
                  <TableCell>{t(`overwrittenReason.${o.reason}`)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {more(overwritten)}
        </section>
      )}
      {entry.failures.length > 0 && (
        <section>
          <Text weight="semibold">{t("details.failures")}</Text>
          <Table size="small" aria-label={t("details.failures")}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t("details.person")}</TableHeaderCell>
                <TableHeaderCell>{t("details.action")}</TableHeaderCell>
                <TableHeaderCell>{t("details.reason")}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {failures.visible.map((f, i) => (
                <TableRow key={`${f.crmId}-${f.action}-${i}`}>
                  <TableCell>{f.name}</TableCell>
                  <TableCell>{t(`action.${f.action}`)}</TableCell>
                  <TableCell>{t(`errors:${f.code}`)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {more(failures)}
        </section>
      )}
      {entry.deleted.length > 0 && (
        <section>
          <Text weight="semibold">{t("details.deleted")}</Text>
          <ul aria-label={t("details.deleted")}>
            {deleted.visible.map((d, i) => (
              <li key={`${d.crmId}-${i}`}>
                {d.name} — {t(`deleteReason.${d.reason}`)}
              </li>
            ))}
          </ul>
          {more(deleted)}
        </section>
      )}
      {entry.unlinked.length > 0 && (
        <section>
          <Text weight="semibold">{t("details.unlinked")}</Text>
          <ul aria-label={t("details.unlinked")}>
            {unlinked.visible.map((u) => (
              <li key={u.crmId}>{u.name}</li>
            ))}
          </ul>
          {more(unlinked)}
        </section>
      )}
    </div>
  );
}
