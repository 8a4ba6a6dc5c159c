/**
 * "Import as contact person" for one person of the e-mail: names, business partner (pre-assigned
 * when unambiguous), the duplicate status with the matching persons, then Import — or, for a
 * certain duplicate, "Link to ..." the existing person instead.
 */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Spinner,
  tokens,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { MailPerson } from "../../core/model";
import { DuplicateStatus } from "./DuplicateStatus";
import { PartnerPicker } from "./PartnerPicker";
import { useImportPerson } from "./use-import-person";

const useStyles = makeStyles({
  // Portalled outside the pane's <main>: long names and addresses must wrap here too.
  surface: { overflowWrap: "anywhere" },
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export interface ImportPersonDialogProps {
  mail: MailPerson;
  onCancel: () => void;
  onImported: (name: string) => void;
}

export function ImportPersonDialog({ mail, onCancel, onImported }: ImportPersonDialogProps) {
  const { t } = useTranslation(["contact", "errors"]);
  const styles = useStyles();
  const s = useImportPerson(mail, onImported);
  const name = mail.displayName.trim() || mail.emailAddress;
  const working = s.status === "working";

  return (
    <Dialog open modalType="modal" onOpenChange={(_, data) => !data.open && !working && onCancel()}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>{t("contact:import.title", { name })}</DialogTitle>
          <DialogContent className={styles.content}>
            {s.error && (
              <MessageBar intent="error">
                <MessageBarBody>{t(`errors:${s.error.code}`)}</MessageBarBody>
              </MessageBar>
            )}
            {s.status === "loading" && <Spinner size="small" label={t("contact:import.loading")} />}
            {s.draft && (
              <>
                <Field label={t("contact:import.firstName")}>
                  <Input
                    value={s.firstName}
                    disabled={working}
                    onChange={(_, d) => s.setFirstName(d.value)}
                  />
                </Field>
                <Field
                  label={t("contact:import.lastName")}
                  required
                  validationMessage={s.lastName.trim() ? undefined : t("contact:import.missingLastName")}
                >
                  <Input value={s.lastName} disabled={working} onChange={(_, d) => s.setLastName(d.value)} />
                </Field>
                <Field label={t("contact:import.emailLabel")}>
                  <Input value={s.draft.email} readOnly />
                </Field>
                <PartnerPicker
                  value={s.partner}
                  preassigned={s.draft.partner !== null && s.partner?.id === s.draft.partner.id}
                  disabled={working}
                  onChange={s.setPartner}
                  onError={s.setError}
                />
                {s.duplicate && (
                  <DuplicateStatus
                    duplicate={s.duplicate}
                    disabled={working}
                    onLink={(id) => void s.link(id)}
                  />
                )}
              </>
            )}
            {working && <Spinner size="small" label={t("contact:import.working")} />}
          </DialogContent>
          <DialogActions>
            <Button
              appearance="primary"
              disabled={!s.canImport && !working}
              disabledFocusable={working}
              onClick={() => void s.submit()}
            >
              {t("contact:import.submit")}
            </Button>
            <Button appearance="secondary" disabled={working} onClick={onCancel}>
              {t("contact:import.cancel")}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
