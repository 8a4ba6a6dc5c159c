/**
 * Confirmation before a person's Outlook contact is deleted (moved to Deleted Items). Stays
 * mounted and is opened and closed through `open` so Fluent runs its own close path: unmounting
 * an open Dialog can dispose tabster while its modalizer still has the page aria-hidden, which
 * then stays hidden from screen readers (microsoft/tabster#530, microsoft/fluentui#35139).
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
import { useState } from "react";
import { useTranslation } from "react-i18next";

const useStyles = makeStyles({
  // The dialog is portalled outside the pane's <main>: long names must wrap here too.
  surface: { overflowWrap: "anywhere" },
});

export interface WithdrawDialogProps {
  /** The person's display name while a confirmation is pending; null closes the dialog. */
  name: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

export function WithdrawDialog({ name, onConfirm, onCancel }: WithdrawDialogProps) {
  const { t } = useTranslation("contact");
  const styles = useStyles();
  // Keeps the last name for the closing animation.
  const [shownName, setShownName] = useState(name ?? "");
  if (name !== null && name !== shownName) setShownName(name);
  return (
    <Dialog open={name !== null} modalType="alert" onOpenChange={(_, data) => !data.open && onCancel()}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>{t("withdraw.title", { name: shownName })}</DialogTitle>
          <DialogContent>{t("withdraw.body", { name: shownName })}</DialogContent>
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
