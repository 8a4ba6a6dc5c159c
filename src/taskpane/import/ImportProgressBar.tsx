/** Progress of a running import / link, with Cancel (stops before the next contact). */
import { Button, Field, makeStyles, ProgressBar, tokens } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { ImportProgress } from "../../app/import-runner";

const useStyles = makeStyles({
  root: { display: "flex", alignItems: "end", gap: tokens.spacingHorizontalM },
  field: { flex: 1 },
});

export function ImportProgressBar({
  progress,
  onCancel,
}: {
  progress: ImportProgress;
  onCancel: () => void;
}) {
  const { t } = useTranslation("import");
  const styles = useStyles();
  const label = t("progress.label", { done: progress.done, total: progress.total });
  return (
    <div className={styles.root}>
      <Field className={styles.field} label={label}>
        <ProgressBar value={progress.total ? progress.done / progress.total : undefined} />
      </Field>
      <Button onClick={onCancel}>{t("progress.cancel")}</Button>
    </div>
  );
}
