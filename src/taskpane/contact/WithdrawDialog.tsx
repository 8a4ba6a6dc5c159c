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
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";

export interface WithdrawDialogProps {
  /** The person's display name. */
  name: string;
  onConfirm: () => void;
  onCancel: () => void;
}

export function WithdrawDialog({ name, onConfirm, onCancel }: WithdrawDialogProps) {
  const { t } = useTranslation("contact");
  return (
    <Dialog open modalType="alert" onOpenChange={(_, data) => !data.open && onCancel()}>
      <DialogSurface>
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
