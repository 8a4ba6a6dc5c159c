/**
 * Above the import list: how many contacts were found (per duplicate status), the status filter,
 * a text filter, select all / none (of the importable rows shown) and the Import button.
 */
import {
  Body1,
  Button,
  Dropdown,
  Field,
  Input,
  makeStyles,
  Option,
  tokens,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { StatusFilter } from "./import-rows";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  filters: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
});

const filters: StatusFilter[] = ["all", "none", "possible", "certain"];

export interface ImportToolbarProps {
  total: number;
  counts: Record<Exclude<StatusFilter, "all">, number>;
  selectedCount: number;
  selectableShown: number;
  status: StatusFilter;
  text: string;
  busy: boolean;
  onStatus: (status: StatusFilter) => void;
  onText: (text: string) => void;
  onSelectAll: () => void;
  onSelectNone: () => void;
  onImport: () => void;
}

export function ImportToolbar(props: ImportToolbarProps) {
  const { t } = useTranslation("import");
  const styles = useStyles();
  const filterLabel = (f: StatusFilter) =>
    f === "all" ? t("filter.all", { count: props.total }) : t(`filter.${f}`, { count: props.counts[f] });
  return (
    <div className={styles.root}>
      <Body1 role="status">{t("found", { count: props.total, ...props.counts })}</Body1>
      <div className={styles.filters}>
        <Field label={t("filter.label")} size="small">
          <Dropdown
            size="small"
            inlinePopup // a portalled listbox would inherit the shell's full-height provider class
            value={filterLabel(props.status)}
            selectedOptions={[props.status]}
            onOptionSelect={(_, data) => props.onStatus(data.optionValue as StatusFilter)}
          >
            {filters.map((f) => (
              <Option key={f} value={f}>
                {filterLabel(f)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label={t("filter.text")} size="small">
          <Input
            size="small"
            type="search"
            value={props.text}
            onChange={(_, data) => props.onText(data.value)}
          />
        </Field>
      </div>
      <div className={styles.actions}>
        <Button size="small" disabled={props.busy || props.selectableShown === 0} onClick={props.onSelectAll}>
          {t("selectAll")}
        </Button>
        <Button size="small" disabled={props.busy || props.selectedCount === 0} onClick={props.onSelectNone}>
          {t("selectNone")}
        </Button>
        <Button
          appearance="primary"
          disabled={props.busy || props.selectedCount === 0}
          onClick={props.onImport}
        >
          {t("importButton", { count: props.selectedCount })}
        </Button>
      </div>
    </div>
  );
}
