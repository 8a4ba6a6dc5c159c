/** A discreet note when browser storage is blocked: the pane works, the sync log does not persist. */
import { MessageBar, MessageBarBody } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import { useServices } from "../services";

export function StorageNote() {
  const { t } = useTranslation("common");
  const { storagePersistent } = useServices();
  if (storagePersistent !== false) return null;
  return (
    <MessageBar intent="info" layout="multiline" role="note">
      <MessageBarBody>{t("storage.notPersistent")}</MessageBarBody>
    </MessageBar>
  );
}
