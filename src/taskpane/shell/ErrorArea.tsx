/** Shows the reported errors as dismissible Fluent MessageBars with translated messages. */
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarGroup,
  MessageBarTitle,
} from "@fluentui/react-components";
import { DismissRegular } from "@fluentui/react-icons";
import { useTranslation } from "react-i18next";
import { errorMessageKey, useErrorReporter } from "./error-reporter";

export function ErrorArea() {
  const { t } = useTranslation("common");
  const { errors, dismiss } = useErrorReporter();
  if (errors.length === 0) return null;
  return (
    <section aria-label={t("errorArea.label")}>
      <MessageBarGroup>
        {errors.map(({ id, error }) => (
          <MessageBar key={id} intent="error" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>{t("errorArea.title")}</MessageBarTitle>
              {t(errorMessageKey(error))}
            </MessageBarBody>
            <MessageBarActions
              containerAction={
                <Button
                  appearance="transparent"
                  aria-label={t("errorArea.dismiss")}
                  icon={<DismissRegular />}
                  onClick={() => dismiss(id)}
                />
              }
            />
          </MessageBar>
        ))}
      </MessageBarGroup>
    </section>
  );
}
