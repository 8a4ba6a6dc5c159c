/**
 * "Import as contact person" for one person of the e-mail: names, business partner (pre-assigned
 * when unambiguous), the duplicate status with the matching persons, then Import — or, for a
 * certain duplicate, "Link to ..." the existing person instead. The Dialog stays mounted and is
 * opened and closed through `open` so Fluent runs its own close path: unmounting an open Dialog
 * can dispose tabster while its modalizer still has the page aria-hidden, which then stays hidden
 * from screen readers (microsoft/tabster#530, microsoft/fluentui#35139). The form inside is
 * mounted per request, so each import starts fresh.
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
import { useEffect, useState } from "react";
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
  /** The person to import; null closes the dialog. */
  mail: MailPerson | null;
  onCancel: () => void;
  onImported: (name: string) => void;
}

export function ImportPersonDialog({ mail, onCancel, onImported }: ImportPersonDialogProps) {
  const styles = useStyles();
  const [working, setWorking] = useState(false);
  return (
    <Dialog
      open={mail !== null}
      modalType="modal"
      onOpenChange={(_, data) => !data.open && !working && onCancel()}
    >
      <DialogSurface className={styles.surface}>
        {mail && (
          <ImportPersonForm
            mail={mail}
            onCancel={onCancel}
            onImported={onImported}
            onWorkingChange={setWorking}
          />
        )}
      </DialogSurface>
    </Dialog>
  );
}

function ImportPersonForm({
  mail,
  onCancel,
  onImported,
  onWorkingChange,
}: {
  mail: MailPerson;
  onCancel: () => void;
  onImported: (name: string) => void;
  onWorkingChange: (working: boolean) => void;
}) {
  const { t } = useTranslation(["contact", "errors"]);
  const styles = useStyles();
  const s = useImportPerson(mail, onImported);
  const name = mail.displayName.trim() || mail.emailAddress;
  const working = s.status === "working";
  useEffect(() => {
    onWorkingChange(working);
    return () => onWorkingChange(false);
  }, [working, onWorkingChange]);

  return (
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
              <Input value={s.firstName} disabled={working} onChange={(_, d) => s.setFirstName(d.value)} />
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
              <DuplicateStatus duplicate={s.duplicate} disabled={working} onLink={(id) => void s.link(id)} />
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
  );
}
