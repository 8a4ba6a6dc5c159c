/**
 * The business partner of one import row: a combobox that shows the assigned partner and searches
 * the CRM as the user types (debounced), listing name and city to pick from. Keyboard: type, arrow
 * keys, Enter. The search itself goes through the CRM port; results are plain text.
 */
import { Caption1, Combobox, makeStyles, Option, Spinner, tokens } from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { AppError } from "../../core/errors";
import type { BusinessPartner } from "../../core/model";
import { useServices } from "../services";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, minWidth: 0 },
  combo: { minWidth: 0, width: "100%" },
});

export interface PartnerPickerProps {
  rowName: string;
  partner: BusinessPartner | null;
  source: "preassigned" | "user" | null;
  disabled?: boolean;
  onChange: (partner: BusinessPartner) => void;
}

const SEARCH_DELAY_MS = 250;

export function PartnerPicker({ rowName, partner, source, disabled, onChange }: PartnerPickerProps) {
  const { t } = useTranslation("import");
  const { crm } = useServices();
  const styles = useStyles();
  const [query, setQuery] = useState(partner?.name ?? "");
  const [results, setResults] = useState<BusinessPartner[]>(partner ? [partner] : []);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const typed = useRef(false);

  useEffect(() => {
    setQuery(partner?.name ?? "");
    typed.current = false;
  }, [partner]);

  useEffect(() => {
    if (!typed.current || query.trim().length < 2) return undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setSearching(true);
      crm
        .searchBusinessPartners({ search: query.trim(), limit: 10 }, { signal: controller.signal })
        .then((page) => {
          setResults(page.items);
          setError(null);
        })
        .catch((e: unknown) => {
          const appError = AppError.from(e);
          if (appError.code !== "cancelled") setError(appError);
        })
        .finally(() => setSearching(false));
    }, SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [crm, query]);

  const hint = error
    ? t(`errors:${error.code}`)
    : searching
      ? null
      : partner && source === "preassigned"
        ? t("partner.preassigned")
        : !partner
          ? t("partner.required")
          : null;

  return (
    <div className={styles.root}>
      <Combobox
        className={styles.combo}
        aria-label={t("partner.label", { name: rowName })}
        placeholder={t("partner.placeholder")}
        freeform
        // Inline: the shell's FluentProvider class (min-height 100vh) is copied onto portal mount
        // nodes, so a portalled listbox that stays mounted would cover the pane (see report).
        inlinePopup
        disabled={disabled}
        value={query}
        selectedOptions={partner ? [partner.id] : []}
        onChange={(event) => {
          typed.current = true;
          setQuery(event.target.value);
        }}
        onOptionSelect={(_, data) => {
          const chosen = results.find((p) => p.id === data.optionValue);
          if (chosen) onChange(chosen);
        }}
      >
        {results.map((p) => (
          <Option key={p.id} value={p.id} text={p.name}>
            {p.address.city ? t("partner.option", { name: p.name, city: p.address.city }) : p.name}
          </Option>
        ))}
        {typed.current && !searching && results.length === 0 && query.trim().length >= 2 && (
          <Option key="__none" value="" text="" disabled>
            {t("partner.noResults")}
          </Option>
        )}
      </Combobox>
      {searching && <Spinner size="extra-tiny" label={t("partner.searching")} />}
      {hint && <Caption1>{hint}</Caption1>}
    </div>
  );
}
