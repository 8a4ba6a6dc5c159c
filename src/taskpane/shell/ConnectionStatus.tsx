/** The status line: connected with counts, checking, or a translated reason and a retry button. */
import { Button, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { CheckmarkCircleRegular, ErrorCircleRegular } from "@fluentui/react-icons";
import { useTranslation } from "react-i18next";
import { errorMessageKey } from "./error-reporter";
import { useConnectionStatus } from "./use-connection-status";

const useStyles = makeStyles({
  line: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, minHeight: "24px" },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  bad: { color: tokens.colorPaletteRedForeground1 },
});

export function ConnectionStatus() {
  const { t } = useTranslation("common");
  const styles = useStyles();
  const { status, retry } = useConnectionStatus();
  return (
    <div role="status" className={styles.line} data-status={status.kind}>
      {status.kind === "checking" && <Spinner size="extra-tiny" label={t("status.checking")} />}
      {status.kind === "connected" && (
        <>
          <CheckmarkCircleRegular className={styles.ok} aria-hidden />
          <Text size={200}>{t("status.connected", { crm: status.crm, outlook: status.outlook })}</Text>
        </>
      )}
      {status.kind === "error" && (
        <>
          <ErrorCircleRegular className={styles.bad} aria-hidden />
          <Text size={200}>{t("status.notConnected", { reason: t(errorMessageKey(status.error)) })}</Text>
          <Button size="small" appearance="subtle" onClick={retry}>
            {t("status.retry")}
          </Button>
        </>
      )}
    </div>
  );
}
