/**
 * Settings: direction per field group (with a short explanation), the conflict rule, the target
 * folder, the default phone region and "sync on open". Stored in the roaming settings store
 * (Office roaming settings; preview: browser storage) via saveUserSettings.
 */
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Switch,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { loadUserSettings, saveUserSettings } from "../../app/user-settings-service";
import { fieldGroups, type FieldGroup } from "../../core/config";
import { AppError } from "../../core/errors";
import type { ConflictRule, FieldDirection } from "../../core/model";
import type { UserSettings } from "../../core/user-settings";
import { useServices } from "../services";
import {
  formFromSettings,
  settingsFromForm,
  validateSettingsForm,
  type SettingsErrors,
  type SettingsForm,
} from "./settings-form";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, maxWidth: "560px" },
  fieldset: {
    border: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
  },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
});

const directions: FieldDirection[] = ["crm-to-outlook", "two-way", "none"];
/** Groups whose fields belong to the business partner: never written back to the CRM. */
const partnerOwned: ReadonlySet<FieldGroup> = new Set<FieldGroup>(["address"]);
const rules: ConflictRule[] = ["crm-wins", "outlook-wins", "newest-wins"];

export function SettingsView() {
  const { t } = useTranslation(["settings", "errors"]);
  const styles = useStyles();
  const services = useServices();
  const [base, setBase] = useState<UserSettings | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [status, setStatus] = useState<"idle" | "saving" | "saved">("idle");
  const [failure, setFailure] = useState<AppError | null>(null);

  useEffect(() => {
    let active = true;
    loadUserSettings(services.settings, services.config).then(
      (settings) => {
        if (!active) return;
        setBase(settings);
        setForm(formFromSettings(settings));
      },
      (error: unknown) => {
        if (active) setFailure(AppError.from(error));
      },
    );
    return () => {
      active = false;
    };
  }, [services]);

  if (!form || !base) {
    return failure ? (
      <MessageBar intent="error">
        <MessageBarBody>{t(`errors:${failure.code}`)}</MessageBarBody>
      </MessageBar>
    ) : (
      <Spinner size="small" label={t("loading")} />
    );
  }

  const update = (patch: Partial<SettingsForm>) => {
    setForm({ ...form, ...patch });
    setStatus("idle");
    if (Object.keys(errors).length > 0) setErrors(validateSettingsForm({ ...form, ...patch }));
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateSettingsForm(form);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setStatus("saving");
    setFailure(null);
    const next = settingsFromForm(form, base);
    try {
      await saveUserSettings(services.settings, next);
      setBase(next);
      setForm(formFromSettings(next));
      setStatus("saved");
    } catch (error) {
      setFailure(AppError.from(error));
      setStatus("idle");
    }
  };

  const hasErrors = Object.keys(errors).length > 0;
  return (
    <form className={styles.root} onSubmit={onSubmit} noValidate aria-labelledby="settings-title">
      <h2 id="settings-title">
        <Text size={400} weight="semibold">
          {t("title")}
        </Text>
      </h2>
      <Text>{t("intro")}</Text>

      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>
          <Text weight="semibold">{t("directions.legend")}</Text>
        </legend>
        <Text size={200}>{t("directions.hint")}</Text>
        {fieldGroups.map((group) => (
          <Field
            key={group}
            label={t(`directions.groups.${group}`)}
            hint={
              partnerOwned.has(group)
                ? `${t(`directions.explain.${group}`)} ${t("directions.partnerOwned")}`
                : t(`directions.explain.${group}`)
            }
          >
            <Select
              value={form.fieldDirections[group]}
              onChange={(_e, data) =>
                update({
                  fieldDirections: { ...form.fieldDirections, [group]: data.value as FieldDirection },
                })
              }
            >
              {directions
                .filter((d) => !(partnerOwned.has(group) && d === "two-way"))
                .map((d) => (
                  <option key={d} value={d}>
                    {t(`directions.options.${d}`)}
                  </option>
                ))}
            </Select>
          </Field>
        ))}
      </fieldset>

      <Field label={t("conflict.label")} hint={t("conflict.hint")}>
        <RadioGroup
          value={form.conflictRule}
          onChange={(_e, data) => update({ conflictRule: data.value as ConflictRule })}
        >
          {rules.map((rule) => (
            <Radio key={rule} value={rule} label={t(`conflict.options.${rule}`)} />
          ))}
        </RadioGroup>
      </Field>

      <Field label={t("folder.label")} hint={t("folder.hint")}>
        <RadioGroup
          value={form.folderMode}
          onChange={(_e, data) => update({ folderMode: data.value as SettingsForm["folderMode"] })}
        >
          <Radio value="default" label={t("folder.default")} />
          <Radio value="dedicated" label={t("folder.dedicated")} />
        </RadioGroup>
      </Field>
      {form.folderMode === "dedicated" && (
        <Field
          label={t("folder.name")}
          required
          validationState={errors.folderName ? "error" : "none"}
          validationMessage={
            errors.folderName ? t(errors.folderName.key, errors.folderName.values ?? {}) : undefined
          }
        >
          <Input
            value={form.folderName}
            maxLength={300}
            onChange={(_e, data) => update({ folderName: data.value })}
          />
        </Field>
      )}

      <Field
        label={t("region.label")}
        hint={t("region.hint")}
        validationState={errors.defaultPhoneRegion ? "error" : "none"}
        validationMessage={
          errors.defaultPhoneRegion
            ? t(errors.defaultPhoneRegion.key, errors.defaultPhoneRegion.values ?? {})
            : undefined
        }
      >
        <Input
          value={form.defaultPhoneRegion}
          maxLength={2}
          onChange={(_e, data) => update({ defaultPhoneRegion: data.value.toUpperCase() })}
        />
      </Field>

      <Field hint={t("syncOnOpen.hint")}>
        <Switch
          checked={form.syncOnOpen}
          label={t("syncOnOpen.label")}
          onChange={(_e, data) => update({ syncOnOpen: data.checked })}
        />
      </Field>

      {hasErrors && (
        <MessageBar intent="error">
          <MessageBarBody>{t("validation.fixErrors")}</MessageBarBody>
        </MessageBar>
      )}
      {failure && (
        <MessageBar intent="error">
          <MessageBarBody>{t(`errors:${failure.code}`)}</MessageBarBody>
        </MessageBar>
      )}
      <div role="status">
        {status === "saved" && (
          <MessageBar intent="success">
            <MessageBarBody>{t("saved")}</MessageBarBody>
          </MessageBar>
        )}
      </div>
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={status === "saving"}>
          {status === "saving" ? t("saving") : t("save")}
        </Button>
        <Button
          type="button"
          onClick={() => {
            setForm(formFromSettings(base));
            setErrors({});
            setStatus("idle");
          }}
        >
          {t("reset")}
        </Button>
      </div>
    </form>
  );
}
