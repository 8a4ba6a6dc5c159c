/** Step 1 of the export wizard: the search criteria. */
import { Button, Checkbox, Field, Input, makeStyles, Spinner, tokens } from "@fluentui/react-components";
import { SearchRegular } from "@fluentui/react-icons";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Criteria } from "./export-search";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "480px" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
});

export interface CriteriaStepProps {
  criteria: Criteria;
  onChange: (criteria: Criteria) => void;
  onSearch: () => void;
  busy: boolean;
}

export function CriteriaStep({ criteria, onChange, onSearch, busy }: CriteriaStepProps) {
  const { t } = useTranslation("export");
  const styles = useStyles();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) onSearch();
  };
  return (
    <form className={styles.form} onSubmit={submit} aria-label={t("criteria.title")}>
      <Field label={t("criteria.text")} hint={t("criteria.textHint")}>
        <Input value={criteria.text} onChange={(_e, d) => onChange({ ...criteria, text: d.value })} />
      </Field>
      <Field label={t("criteria.partner")}>
        <Input value={criteria.partner} onChange={(_e, d) => onChange({ ...criteria, partner: d.value })} />
      </Field>
      <Field label={t("criteria.city")}>
        <Input value={criteria.city} onChange={(_e, d) => onChange({ ...criteria, city: d.value })} />
      </Field>
      <Checkbox
        label={t("criteria.responsibleMe")}
        checked={criteria.responsibleMe}
        onChange={(_e, d) => onChange({ ...criteria, responsibleMe: d.checked === true })}
      />
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" icon={<SearchRegular />} disabled={busy}>
          {t("criteria.search")}
        </Button>
        {busy ? <Spinner size="tiny" label={t("criteria.searching")} /> : null}
      </div>
    </form>
  );
}
