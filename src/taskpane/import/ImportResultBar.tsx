/**
 * The summary after an import or a link: "N of M imported", linked to existing persons, photos
 * skipped, cancelled, and every failure or skip with its name and a translated reason.
 */
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { ImportResult } from "./use-import";

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: "1.2em", overflowWrap: "anywhere" },
});

export function ImportResultBar({ result, onDismiss }: { result: ImportResult; onDismiss: () => void }) {
  const { t } = useTranslation("import");
  const styles = useStyles();
  const problems = result.failed.length + result.skipped.length;
  const intent = problems > 0 || result.cancelled ? "warning" : "success";
  const title =
    result.kind === "import"
      ? t("summary.imported", { count: result.imported, total: result.planned })
      : t("summary.linkedTitle", { count: result.linked });
  return (
    <MessageBar intent={intent} layout="multiline" aria-live="polite">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {result.kind === "import" && result.linked > 0 && t("summary.linked", { count: result.linked })}
        {result.resumed > 0 && <div>{t("summary.resumed", { count: result.resumed })}</div>}
        {result.cancelled && <div>{t("summary.cancelled")}</div>}
        {result.photosUploaded > 0 && <div>{t("summary.photos", { count: result.photosUploaded })}</div>}
        {(result.failed.length > 0 || result.skipped.length > 0 || result.photosSkipped.length > 0) && (
          <ul className={styles.list} aria-label={t("summary.detailsLabel")}>
            {result.failed.map((f) => (
              <li key={`f-${f.outlookId}`}>
                {t(`summary.failed.${f.stage}`, { name: f.name, reason: t(`errors:${f.error.code}`) })}
              </li>
            ))}
            {result.skipped.map((s, i) => (
              <li key={`s-${i}`}>{t("summary.skipped", { name: s.name, reason: t(`skip.${s.reason}`) })}</li>
            ))}
            {result.photosSkipped.map((p) => (
              <li key={`p-${p.outlookId}`}>
                {t("summary.photoSkipped", { name: p.name, reason: t(`errors:${p.error.code}`) })}
              </li>
            ))}
          </ul>
        )}
      </MessageBarBody>
      <MessageBarActions>
        <Button size="small" onClick={onDismiss}>
          {t("summary.dismiss")}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
