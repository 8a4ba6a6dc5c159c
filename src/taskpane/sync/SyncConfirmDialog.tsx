/**
 * The mass-delete guard's question: lists what would be deleted, with Confirm and Cancel. Stays
 * mounted and is opened and closed through `open` (confirmation null = closed) so Fluent runs its
 * own close path: unmounting an open Dialog can dispose tabster while its modalizer still has the
 * page aria-hidden, which then stays hidden from screen readers (microsoft/tabster#530,
 * microsoft/fluentui#35139).
 */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SyncConfirmation } from "./sync-controller";

const useStyles = makeStyles({
  // Portalled outside the pane's <main>: long names and addresses must wrap here too.
  surface: { overflowWrap: "anywhere" },
  list: {
    maxHeight: "240px",
    overflowY: "auto",
    margin: `${tokens.spacingVerticalS} 0`,
    paddingLeft: "20px",
  },
});

export function SyncConfirmDialog({
  confirmation,
  onConfirm,
  onCancel,
}: {
  confirmation: SyncConfirmation | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation("sync");
  const styles = useStyles();
  // Keeps the last question for the closing animation.
  const [shown, setShown] = useState(confirmation);
  if (confirmation !== null && confirmation !== shown) setShown(confirmation);
  const count = shown?.deletes.length ?? 0;
  return (
    <Dialog
      open={confirmation !== null}
      modalType="alert"
      onOpenChange={(_e, data) => {
        if (!data.open) onCancel();
      }}
    >
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>{t("confirm.title", { count })}</DialogTitle>
          <DialogContent>
            <Text>{t("confirm.body", { count, linked: shown?.linkedCount ?? 0 })}</Text>
            <ul className={styles.list} aria-label={t("confirm.listLabel")}>
              {shown?.deletes.map((step) => (
                <li key={step.contactId}>
                  {step.name} — {t(`deleteReason.${step.reason}`)}
                </li>
              ))}
            </ul>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onConfirm}>
              {t("confirm.confirm")}
            </Button>
            <Button onClick={onCancel}>{t("confirm.cancel")}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
