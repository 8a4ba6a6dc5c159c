/** Shown instead of the app when config.json is missing or invalid: what is wrong, translated. */
import {
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { ConfigProblem } from "./config-problems";

const useStyles = makeStyles({
  root: { padding: tokens.spacingHorizontalM },
  list: { margin: `${tokens.spacingVerticalS} 0`, paddingInlineStart: tokens.spacingHorizontalXL },
});

export function ConfigErrorView({ problems }: { problems: ConfigProblem[] }) {
  const { t } = useTranslation("common");
  const styles = useStyles();
  return (
    <main className={styles.root}>
      <h1>
        <Text size={500} weight="semibold">
          {t("appTitle")}
        </Text>
      </h1>
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{t("config.title")}</MessageBarTitle>
          <p>{t("config.intro")}</p>
          <ul className={styles.list} aria-label={t("config.title")}>
            {problems.map((p, i) => (
              <li key={i}>{t(p.key, p.values)}</li>
            ))}
          </ul>
        </MessageBarBody>
      </MessageBar>
    </main>
  );
}
