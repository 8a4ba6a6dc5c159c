/**
 * A person of the e-mail with no CRM contact person: name, address, and "Import as contact person".
 */
import { Button, Caption1, makeStyles, Text, useRestoreFocusTarget } from "@fluentui/react-components";
import { PersonAddRegular } from "@fluentui/react-icons";
import { useTranslation } from "react-i18next";
import type { MailPerson } from "../../core/model";
import { PersonRowLayout } from "./PersonRowLayout";

const useStyles = makeStyles({
  action: { gridColumn: "2", justifySelf: "start" },
});

export interface UnknownPersonRowProps {
  mail: MailPerson;
  roleLabel: string;
  onImport: (mail: MailPerson) => void;
}

export function UnknownPersonRow({ mail, roleLabel, onImport }: UnknownPersonRowProps) {
  const { t } = useTranslation("contact");
  const styles = useStyles();
  // Focus returns to this button when the import dialog closes.
  const restoreFocusTarget = useRestoreFocusTarget();
  const name = mail.displayName.trim() || mail.emailAddress;
  return (
    <PersonRowLayout
      name={name}
      crmId={null}
      hasPhoto={false}
      action={
        <Button
          {...restoreFocusTarget}
          className={styles.action}
          icon={<PersonAddRegular />}
          aria-label={t("unknown.importLabel", { name })}
          onClick={() => onImport(mail)}
        >
          {t("unknown.import")}
        </Button>
      }
    >
      <Caption1>{roleLabel}</Caption1>
      <Caption1>{mail.emailAddress}</Caption1>
      <Text>{t("unknown.noMatch")}</Text>
    </PersonRowLayout>
  );
}
