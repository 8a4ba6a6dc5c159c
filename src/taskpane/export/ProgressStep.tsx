/** Step 5 of the export wizard: the progress bar with Cancel. */
import { Button, Field, makeStyles, ProgressBar, tokens } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { ExportProgress } from "../../app/export-runner";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "480px" },
});

export function ProgressStep({
  progress,
  onCancel,
}: {
  progress: ExportProgress | null;
  onCancel: () => void;
}) {
  const { t } = useTranslation("export");
  const styles = useStyles();
  const done = progress?.done ?? 0;
  const total = progress?.total ?? 0;
  return (
    <div className={styles.root}>
      <Field
        label={t("progress.label")}
        validationState="none"
        validationMessage={t("progress.count", {
          done,
          total,
          phase: t(`progress.phase.${progress?.phase ?? "prepare"}`),
        })}
      >
        <ProgressBar value={total > 0 ? done / total : undefined} max={1} />
      </Field>
      <div>
        <Button onClick={onCancel}>{t("progress.cancel")}</Button>
      </div>
    </div>
  );
}
