/** The duplicate status of the person to import, with the matching CRM persons (and "Link to" for certain ones). */
import { Button, makeStyles, MessageBar, MessageBarBody, tokens } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { DuplicateResult } from "../../core/duplicates";
import type { ContactPerson } from "../../core/model";

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  item: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
});

export interface DuplicateStatusProps {
  duplicate: DuplicateResult & { persons: ContactPerson[] };
  disabled: boolean;
  onLink: (crmId: string) => void;
}

const nameOf = (p: ContactPerson) => [p.firstName, p.lastName].filter(Boolean).join(" ");

export function DuplicateStatus({ duplicate, disabled, onLink }: DuplicateStatusProps) {
  const { t } = useTranslation("contact");
  const styles = useStyles();
  const intent =
    duplicate.status === "certain" ? "error" : duplicate.status === "possible" ? "warning" : "success";
  return (
    <section aria-label={t("import.duplicate.label")}>
      <MessageBar intent={intent}>
        <MessageBarBody>{t(`import.duplicate.${duplicate.status}`)}</MessageBarBody>
      </MessageBar>
      {duplicate.persons.length > 0 && (
        <ul className={styles.list}>
          {duplicate.persons.map((p) => (
            <li key={p.id} className={styles.item}>
              <span>{t("import.match", { name: nameOf(p), email: p.email ?? "—" })}</span>
              {duplicate.status === "certain" && (
                <Button size="small" disabled={disabled} onClick={() => onLink(p.id)}>
                  {t("import.link", { name: nameOf(p) })}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
