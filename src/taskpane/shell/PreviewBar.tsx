/**
 * The preview host's bar (only outside Office): a discreet badge plus switches for language,
 * theme and the sample "selected e-mail".
 */
import { Badge, Field, Select, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ThemeName } from "../../adapters/office/office-theme";
import type { SampleMailbox } from "../../adapters/preview/sample-mailbox";
import { languages, type Language } from "../i18n/i18n";
import { themeNames } from "./themes";

const useStyles = makeStyles({
  bar: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "flex-end",
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  badgeRow: { flexBasis: "100%" },
  field: { flex: "1 1 6rem", minWidth: 0 },
  email: { flex: "3 1 12rem", minWidth: 0 },
  // A long sample subject must not widen the pane: the select shrinks and cuts its text.
  select: { minWidth: 0, maxWidth: "100%" },
  selectControl: { minWidth: 0, maxWidth: "100%", textOverflow: "ellipsis" },
});

export interface PreviewBarProps {
  mailbox: SampleMailbox;
  language: Language;
  onLanguageChange: (language: Language) => void;
  theme: ThemeName;
  onThemeChange: (theme: ThemeName) => void;
}

export function PreviewBar({ mailbox, language, onLanguageChange, theme, onThemeChange }: PreviewBarProps) {
  const { t } = useTranslation("common");
  const styles = useStyles();
  const [sample, setSample] = useState(mailbox.selectedId());
  return (
    <div role="group" aria-label={t("preview.toolbar")} className={styles.bar}>
      <div className={styles.badgeRow}>
        <Badge appearance="tint" color="informative">
          {t("preview.badge")}
        </Badge>
      </div>
      <Field className={styles.field} label={t("preview.language")} size="small">
        <Select
          size="small"
          value={language}
          onChange={(_e, data) => onLanguageChange(data.value as Language)}
        >
          {languages.map((lng) => (
            <option key={lng} value={lng} lang={lng}>
              {t(`preview.languages.${lng}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field className={styles.field} label={t("preview.theme")} size="small">
        <Select size="small" value={theme} onChange={(_e, data) => onThemeChange(data.value as ThemeName)}>
          {themeNames.map((name) => (
            <option key={name} value={name}>
              {t(`preview.themes.${name}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field className={styles.email} label={t("preview.email")} size="small">
        <Select
          size="small"
          className={styles.select}
          select={{ className: styles.selectControl }}
          value={sample}
          onChange={(_e, data) => {
            mailbox.select(data.value);
            setSample(mailbox.selectedId());
          }}
        >
          {mailbox.samples.map((s) => (
            <option key={s.id} value={s.id}>
              {s.people.length === 0 ? t("preview.noEmail") : `${s.people[0].displayName} – ${s.subject}`}
            </option>
          ))}
        </Select>
      </Field>
    </div>
  );
}
