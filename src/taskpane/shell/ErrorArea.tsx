/**
 * Shows the reported errors as dismissible Fluent MessageBars with translated messages. A
 * cancelled sign-in is not an error: it shows as a notice with "Sign in again", which asks for
 * both tokens interactively and, once signed in, lets the views re-read.
 */
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
import { useServices } from "../services";
import { errorMessageKey, useErrorReporter } from "./error-reporter";

export function ErrorArea() {
  const { t } = useTranslation("common");
  const { tokens, linkEvents } = useServices();
  const { errors, dismiss, report } = useErrorReporter();
  if (errors.length === 0) return null;
  const signInAgain = (id: number) => {
    dismiss(id);
    tokens
      .getToken("crm")
      .then(() => tokens.getToken("graph"))
      .then(() => linkEvents.notify(), report);
  };
  return (
    <section aria-label={t("errorArea.label")}>
      <MessageBarGroup>
        {errors.map(({ id, error }) => {
          const cancelled = error.code === "sign-in-cancelled";
          return (
            <MessageBar key={id} intent={cancelled ? "warning" : "error"} layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>
                  {t(cancelled ? "signIn.cancelledTitle" : "errorArea.title")}
                </MessageBarTitle>
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
              >
                {cancelled && <Button onClick={() => signInAgain(id)}>{t("signIn.again")}</Button>}
              </MessageBarActions>
            </MessageBar>
          );
        })}
      </MessageBarGroup>
    </section>
  );
}
