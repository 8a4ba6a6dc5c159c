/**
 * The "Export contact persons" wizard (DESIGN.md 2.1): search -> assign -> options -> preview ->
 * progress -> summary. Exit (on every step) starts over without writing anything; during the
 * export it cancels (requests in flight finish, the summary shows what was done).
 */
import { Button, makeStyles, MessageBar, MessageBarBody, Text, tokens } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import { AssignmentStep } from "./AssignmentStep";
import { CriteriaStep } from "./CriteriaStep";
import { OptionsStep } from "./OptionsStep";
import { PreviewStep } from "./PreviewStep";
import { ProgressStep } from "./ProgressStep";
import { SummaryStep } from "./SummaryStep";
import { useExportWizard, WIZARD_STEPS } from "./use-export-wizard";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  header: {
    display: "flex",
    justifyContent: "space-between",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
  },
  heading: { margin: 0 },
});

export function ExportView() {
  const { t } = useTranslation(["export", "errors"]);
  const styles = useStyles();
  const w = useExportWizard();
  const index = WIZARD_STEPS.indexOf(w.step) + 1;
  const running = w.step === "running";

  return (
    <section className={styles.root} aria-labelledby="export-wizard-title">
      <div className={styles.header}>
        <div>
          <h2 id="export-wizard-title" className={styles.heading}>
            {t("title")}
          </h2>
          <Text size={200}>
            {t("stepOf", { index, count: WIZARD_STEPS.length, name: t(`steps.${w.step}`) })}
          </Text>
        </div>
        <Button onClick={running ? w.cancel : w.exit}>{t("exit")}</Button>
      </div>
      {w.error && w.step !== "summary" ? (
        <MessageBar intent="error">
          <MessageBarBody>{t(`errors:${w.error.code}`)}</MessageBarBody>
        </MessageBar>
      ) : null}
      {w.step === "criteria" ? (
        <CriteriaStep criteria={w.criteria} onChange={w.setCriteria} onSearch={w.search} busy={w.busy} />
      ) : null}
      {w.step === "assign" ? (
        <AssignmentStep
          left={w.left}
          right={w.right}
          total={w.results.length}
          capped={w.capped}
          noPartner={w.noPartner}
          inactive={w.inactive}
          partners={w.partners}
          exported={w.exported}
          canSave={w.right.length > 0 || w.deselectedExported.length > 0}
          busy={w.busy}
          onMoveRight={w.moveRight}
          onMoveLeft={w.moveLeft}
          onMoveAllRight={w.moveAllRight}
          onMoveAllLeft={w.moveAllLeft}
          onBack={w.back}
          onSave={w.save}
        />
      ) : null}
      {w.step === "options" ? (
        <OptionsStep
          choices={w.choices}
          deselectedCount={w.deselectedExported.length}
          busy={w.busy}
          onChange={w.setChoices}
          onBack={w.back}
          onPreview={w.preview}
        />
      ) : null}
      {w.step === "preview" && w.plan ? (
        <PreviewStep
          plan={w.plan}
          folderName={w.choices.folderName}
          onBack={w.back}
          onExport={w.startExport}
        />
      ) : null}
      {running ? <ProgressStep progress={w.progress} onCancel={w.cancel} /> : null}
      {w.step === "summary" ? <SummaryStep summary={w.summary} error={w.error} onDone={w.exit} /> : null}
    </section>
  );
}
