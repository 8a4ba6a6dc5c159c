/**
 * Data problems of one import row: a clear hint per problem, and for blocking ones an inline
 * field to complete or correct the value (committed on Enter or when leaving the field). An
 * optional field may be emptied; the last name may not.
 */
import { Caption1, Field, Input, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { recordFromOutlook } from "../../core/mapping";
import type { OutlookContact } from "../../core/model";
import type { FieldProblem, ImportField } from "../../core/plans/import-plan";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, minWidth: 0 },
  hint: { color: tokens.colorPaletteMarigoldForeground2, overflowWrap: "anywhere" },
});

export interface ProblemFieldsProps {
  rowName: string;
  contact: OutlookContact;
  problems: FieldProblem[];
  onEdit: (field: ImportField, value: string) => void;
}

export function ProblemFields({ rowName, contact, problems, onEdit }: ProblemFieldsProps) {
  const { t } = useTranslation("import");
  const styles = useStyles();
  if (problems.length === 0) return null;
  const record = recordFromOutlook(contact);
  const editable = [...new Set(problems.filter((p) => p.blocking).map((p) => p.field))];
  const hints = problems.filter((p) => !p.blocking);
  return (
    <div className={styles.root}>
      {editable.map((field) => {
        const problem = problems.find((p) => p.field === field && p.blocking) as FieldProblem;
        return (
          <ProblemInput
            key={field}
            label={t("problem.editLabel", { field: t(`field.${field}`), name: rowName })}
            hint={t(`problem.${problem.code}`, { field: t(`field.${field}`), limit: problem.limit })}
            initial={record[field] ?? ""}
            onCommit={(value) => onEdit(field, value)}
          />
        );
      })}
      {hints.map((p) => (
        <Caption1 key={`${p.field}-${p.code}`} className={styles.hint}>
          {t(`problem.${p.code}`, { field: t(`field.${p.field}`) })}
        </Caption1>
      ))}
    </div>
  );
}

function ProblemInput(props: {
  label: string;
  hint: string;
  initial: string;
  onCommit: (value: string) => void;
}) {
  const [value, setValue] = useState(props.initial);
  const commit = () => {
    if (value !== props.initial) props.onCommit(value);
  };
  return (
    <Field label={props.label} validationMessage={props.hint} validationState="warning" size="small">
      <Input
        size="small"
        value={value}
        onChange={(_, data) => setValue(data.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === "Enter") commit();
        }}
      />
    </Field>
  );
}
