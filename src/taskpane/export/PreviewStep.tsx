/** Step 4 of the export wizard: what the export will do (counts, expandable lists per kind). */
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  makeStyles,
  MessageBar,
  MessageBarBody,
  tokens,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { ExportPlan, ExportStepKind } from "../../core/plans/export-plan";
import { StepList } from "./StepList";

const KINDS: readonly ExportStepKind[] = ["create", "update", "unchanged", "withdraw"];

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
});

export interface PreviewStepProps {
  plan: ExportPlan;
  folderName: string | null;
  onBack: () => void;
  onExport: () => void;
}

export function PreviewStep({ plan, folderName, onBack, onExport }: PreviewStepProps) {
  const { t } = useTranslation("export");
  const styles = useStyles();
  const writes = plan.counts.create + plan.counts.update + plan.counts.withdraw;
  return (
    <div className={styles.root}>
      <MessageBar intent="info">
        <MessageBarBody>
          {folderName ? t("preview.targetNamed", { name: folderName }) : t("preview.targetDefault")}
        </MessageBarBody>
      </MessageBar>
      {plan.duplicates.length > 0 ? (
        <MessageBar intent="warning">
          <MessageBarBody>{t("preview.duplicates", { count: plan.duplicates.length })}</MessageBarBody>
        </MessageBar>
      ) : null}
      {plan.skipped.length > 0 ? (
        <MessageBar intent="info">
          <MessageBarBody>
            {t("preview.skipped", { count: plan.skipped.length })}
            <ul aria-label={t("preview.skippedList")}>
              {plan.skipped.map((s) => (
                <li key={s.crmId}>{t(`preview.skipReason.${s.reason}`, { name: s.label })}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <Accordion multiple collapsible>
        {KINDS.map((kind) => {
          const steps = plan.steps.filter((s) => s.kind === kind);
          const title = t(`preview.${kind}`, { count: plan.counts[kind] });
          return (
            <AccordionItem key={kind} value={kind} disabled={steps.length === 0}>
              <AccordionHeader>{title}</AccordionHeader>
              <AccordionPanel>
                <StepList steps={steps} label={title} />
              </AccordionPanel>
            </AccordionItem>
          );
        })}
      </Accordion>
      {writes === 0 ? (
        <MessageBar intent="success">
          <MessageBarBody>{t("preview.nothingToDo")}</MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.actions}>
        <Button onClick={onBack}>{t("back")}</Button>
        <Button appearance="primary" onClick={onExport}>
          {t("preview.export")}
        </Button>
      </div>
    </div>
  );
}
