/**
 * What the pane shows before the app can run: the spinner with the product name while starting,
 * "Outlook did not start the add-in" when office.js did not get ready in time, and "Open this
 * add-in from Outlook" when a production build is opened in a plain browser (never sample data).
 */
import {
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";

const useStyles = makeStyles({
  root: {
    padding: tokens.spacingHorizontalM,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    overflowWrap: "anywhere",
  },
  list: { margin: `${tokens.spacingVerticalS} 0`, paddingInlineStart: tokens.spacingHorizontalXL },
  item: { marginBottom: tokens.spacingVerticalXS },
});

/** What to try when Outlook did not start the pane, in this order. */
const TIP_KEYS = ["t1", "t2", "t3", "t4"] as const;

export type StartupState = "starting" | "office-timeout" | "open-from-outlook";

export function StartupMessage({ state, supportUrl }: { state: StartupState; supportUrl: string }) {
  const { t } = useTranslation("common");
  const styles = useStyles();
  const tips = state === "office-timeout" ? TIP_KEYS.map((key) => t(`startup.timeout.tips.${key}`)) : [];
  return (
    <main className={styles.root}>
      <h1>
        <Text size={500} weight="semibold">
          {t("appTitle")}
        </Text>
      </h1>
      {state === "starting" && <Spinner label={t("startup.starting")} />}
      {state !== "starting" && (
        <MessageBar intent={state === "office-timeout" ? "warning" : "info"} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              {t(`startup.${state === "office-timeout" ? "timeout" : "outside"}.title`)}
            </MessageBarTitle>
            <p>{t(`startup.${state === "office-timeout" ? "timeout" : "outside"}.text`)}</p>
            {tips.length > 0 && (
              <ul className={styles.list} aria-label={t("startup.timeout.tipsLabel")}>
                {tips.map((tip) => (
                  <li key={tip} className={styles.item}>
                    {tip}
                  </li>
                ))}
              </ul>
            )}
            <p>
              <Link href={supportUrl} target="_blank" rel="noopener noreferrer">
                {t("startup.support")}
              </Link>
            </p>
          </MessageBarBody>
        </MessageBar>
      )}
    </main>
  );
}
