/**
 * Business partner choice inside the import dialog: a search box (searches the CRM as the user
 * types) and the results as a radio group. Deliberately no popup list: a Combobox's popup nested
 * in a Fluent Dialog leaves `aria-hidden` on the page after the dialog closes (tabster modalizer,
 * microsoft/fluentui#35139), hiding the whole pane from screen readers.
 */
import { Field, Radio, RadioGroup, SearchBox, Text } from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { AppError } from "../../core/errors";
import type { BusinessPartner } from "../../core/model";
import { useServices } from "../services";

export interface PartnerPickerProps {
  value: BusinessPartner | null;
  preassigned: boolean;
  disabled: boolean;
  onChange: (partner: BusinessPartner | null) => void;
  onError: (error: AppError) => void;
}

export const PARTNER_SEARCH_DELAY_MS = 250;

export function PartnerPicker({ value, preassigned, disabled, onChange, onError }: PartnerPickerProps) {
  const { t } = useTranslation("contact");
  const { crm } = useServices();
  const [text, setText] = useState("");
  const [options, setOptions] = useState<BusinessPartner[]>(value ? [value] : []);
  const reportError = useRef(onError);
  reportError.current = onError;

  useEffect(() => {
    const search = text.trim();
    if (search === "") return undefined;
    let current = true;
    const timer = setTimeout(() => {
      crm
        .searchBusinessPartners({ search, limit: 10 })
        .then((page) => current && setOptions(page.items))
        .catch((e: unknown) => current && reportError.current(AppError.from(e)));
    }, PARTNER_SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [crm, text]);

  const shown = value && !options.some((p) => p.id === value.id) ? [value, ...options] : options;
  return (
    <>
      <Field label={t("import.partnerSearch")}>
        <SearchBox
          value={text}
          disabled={disabled}
          placeholder={t("import.partnerPlaceholder")}
          onChange={(_, data) => setText(data.value)}
        />
      </Field>
      <Field
        label={t("import.partner")}
        required
        hint={preassigned && value ? t("import.partnerPreassigned") : undefined}
        validationMessage={value ? undefined : t("import.missingPartner")}
        validationState={value ? "none" : "warning"}
      >
        {shown.length === 0 ? (
          <Text>{t("import.partnerNone")}</Text>
        ) : (
          <RadioGroup
            value={value?.id ?? ""}
            disabled={disabled}
            onChange={(_, data) => onChange(shown.find((p) => p.id === data.value) ?? null)}
          >
            {shown.map((p) => (
              <Radio
                key={p.id}
                value={p.id}
                label={p.address.city ? `${p.name} (${p.address.city})` : p.name}
              />
            ))}
          </RadioGroup>
        )}
      </Field>
    </>
  );
}
