/**
 * Confirmation before a person's Outlook contact is deleted (moved to Deleted Items). Mounted
 * only while a confirmation is pending (a fresh dialog per request).
 */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";

const useStyles = makeStyles({
  // The dialog is portalled outside the pane's <main>: long names must wrap here too.
  surface: { overflowWrap: "anywhere" },
});

export interface WithdrawDialogProps {
  /** The person's display name. */
  name: string;
  onConfirm: () => void;
  onCancel: () => void;
}

export function WithdrawDialog({ name, onConfirm, onCancel }: WithdrawDialogProps) {
  const { t } = useTranslation("contact");
  const styles = useStyles();
  return (
    <Dialog open modalType="alert" onOpenChange={(_, data) => !data.open && onCancel()}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>{t("withdraw.title", { name })}</DialogTitle>
          <DialogContent>{t("withdraw.body", { name })}</DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onConfirm}>
              {t("withdraw.confirm")}
            </Button>
            <Button appearance="secondary" onClick={onCancel}>
              {t("withdraw.cancel")}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
