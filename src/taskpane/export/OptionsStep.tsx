/** Step 3 of the export wizard: the export options (target folder, withdraw deselected). */
import {
  Button,
  Checkbox,
  Field,
  Input,
  makeStyles,
  Radio,
  RadioGroup,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ExportChoices } from "./use-export-wizard";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "480px" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
});

export interface OptionsStepProps {
  choices: ExportChoices;
  deselectedCount: number;
  busy: boolean;
  onChange: (choices: ExportChoices) => void;
  onBack: () => void;
  onPreview: () => void;
}

export function OptionsStep({
  choices,
  deselectedCount,
  busy,
  onChange,
  onBack,
  onPreview,
}: OptionsStepProps) {
  const { t } = useTranslation("export");
  const styles = useStyles();
  const [named, setNamed] = useState(choices.folderName !== null);
  const [name, setName] = useState(choices.folderName ?? "");
  const invalid = named && name.trim() === "";

  const update = (nextNamed: boolean, nextName: string) => {
    setNamed(nextNamed);
    setName(nextName);
    onChange({ ...choices, folderName: nextNamed && nextName.trim() ? nextName.trim() : null });
  };

  return (
    <div className={styles.root}>
      <Field label={t("options.folder")}>
        <RadioGroup
          value={named ? "named" : "default"}
          onChange={(_e, d) => update(d.value === "named", name)}
        >
          <Radio value="default" label={t("options.defaultFolder")} />
          <Radio value="named" label={t("options.namedFolder")} />
        </RadioGroup>
      </Field>
      {named ? (
        <Field
          label={t("options.folderName")}
          hint={t("options.folderHint")}
          validationMessage={invalid ? t("options.folderRequired") : undefined}
          required
        >
          <Input value={name} maxLength={255} onChange={(_e, d) => update(true, d.value)} />
        </Field>
      ) : null}
      <Checkbox
        checked={choices.withdrawDeselected}
        onChange={(_e, d) => onChange({ ...choices, withdrawDeselected: d.checked === true })}
        label={t("options.withdraw", { count: deselectedCount })}
      />
      <div className={styles.actions}>
        <Button onClick={onBack}>{t("back")}</Button>
        <Button appearance="primary" onClick={onPreview} disabled={invalid || busy}>
          {t("options.preview")}
        </Button>
      </div>
    </div>
  );
}
