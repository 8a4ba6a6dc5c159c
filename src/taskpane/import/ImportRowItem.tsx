/**
 * One Outlook contact in the import list: tick box (disabled with the reason when it cannot be
 * imported yet), avatar, name, company, e-mail and phones as plain text, data problems with inline
 * completion, the business partner picker, the duplicate badge with its matches on demand, and for
 * duplicates "Link to existing contact person".
 */
import { Avatar, Button, Caption1, Checkbox, makeStyles, Text, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { BusinessPartner, ContactPerson } from "../../core/model";
import type { ImportField } from "../../core/plans/import-plan";
import { DuplicateBadge } from "./DuplicateBadge";
import type { ImportRow } from "./import-rows";
import { MatchesDialog } from "./MatchesDialog";
import { PartnerPicker } from "./PartnerPicker";
import { ProblemFields } from "./ProblemFields";

const useStyles = makeStyles({
  row: {
    display: "grid",
    gridTemplateColumns: "auto auto 1fr",
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXS}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    alignItems: "start",
  },
  details: { display: "flex", flexDirection: "column", minWidth: 0, overflowWrap: "anywhere", gap: "2px" },
  wide: {
    gridColumn: "2 / 4",
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    minWidth: 0,
  },
  status: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
  noName: { fontStyle: "italic", color: tokens.colorNeutralForeground3 },
  /** Very long values (odd data) take at most two lines; the full text is in the tooltip. */
  clamp: { display: "-webkit-box", WebkitLineClamp: "2", WebkitBoxOrient: "vertical", overflow: "hidden" },
  blocked: { color: tokens.colorNeutralForeground3 },
});

export interface ImportRowItemProps {
  row: ImportRow;
  busy: boolean;
  personOf: (id: string) => ContactPerson | undefined;
  onToggle: (id: string, selected: boolean) => void;
  onPartner: (id: string, partner: BusinessPartner) => void;
  onEdit: (id: string, field: ImportField, value: string) => void;
  onReviewed: (id: string) => void;
  onLink: (id: string, crmId: string) => void;
}

/** Names in labels and titles: at most 60 characters (odd data can be much longer). */
function shorten(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function ImportRowItem({
  row,
  busy,
  personOf,
  onToggle,
  onPartner,
  onEdit,
  onReviewed,
  onLink,
}: ImportRowItemProps) {
  const { t } = useTranslation("import");
  const styles = useStyles();
  const [matchesOpen, setMatchesOpen] = useState(false);
  const fullName = row.name || t("row.noName");
  const name = shorten(fullName);
  const { edited: c, duplicate } = row;
  const phones = [
    ...c.businessPhones.map((value) => t("fields.phoneValue", { value })),
    ...(c.mobilePhone ? [t("fields.mobileValue", { value: c.mobilePhone })] : []),
  ];
  const openMatches = () => {
    setMatchesOpen(true);
    onReviewed(row.id);
  };

  return (
    <div className={styles.row} role="listitem" aria-label={name}>
      <Checkbox
        checked={row.selected}
        disabled={busy || row.blocked !== null}
        aria-label={t("row.select", { name })}
        onChange={(_, data) => onToggle(row.id, data.checked === true)}
      />
      <Avatar name={row.name || undefined} size={32} aria-hidden />
      <div className={styles.details}>
        <Text weight="semibold" className={row.name ? styles.clamp : styles.noName} title={fullName}>
          {fullName}
        </Text>
        {c.companyName && (
          <Caption1 className={styles.clamp} title={c.companyName}>
            {c.companyName}
          </Caption1>
        )}
        {c.emailAddresses[0]?.address && (
          <Caption1>{t("fields.emailValue", { value: c.emailAddresses[0].address })}</Caption1>
        )}
        {phones.map((p, i) => (
          <Caption1 key={i}>{p}</Caption1>
        ))}
      </div>
      <div className={styles.wide}>
        <ProblemFields
          rowName={name}
          contact={c}
          problems={row.problems}
          onEdit={(field, value) => onEdit(row.id, field, value)}
        />
        {duplicate?.status !== "certain" && (
          <PartnerPicker
            rowName={name}
            partner={row.partner}
            source={row.partnerSource}
            disabled={busy}
            onChange={(partner) => onPartner(row.id, partner)}
          />
        )}
        <div className={styles.status}>
          <DuplicateBadge duplicate={duplicate} />
          {duplicate && duplicate.status !== "none" && (
            <Button
              size="small"
              appearance={duplicate.status === "certain" ? "primary" : "secondary"}
              onClick={openMatches}
            >
              {duplicate.status === "certain"
                ? t("row.linkExisting")
                : t("row.showMatches", { count: duplicate.matches.length })}
            </Button>
          )}
        </div>
        {row.blocked && row.blocked !== "checking" && (
          <Caption1 className={styles.blocked}>{t(`blocked.${row.blocked}`)}</Caption1>
        )}
      </div>
      {duplicate && matchesOpen && (
        <MatchesDialog
          open={matchesOpen}
          rowName={name}
          duplicate={duplicate}
          personOf={personOf}
          busy={busy}
          onLink={(crmId) => {
            setMatchesOpen(false);
            onLink(row.id, crmId);
          }}
          onClose={() => setMatchesOpen(false)}
        />
      )}
    </div>
  );
}
