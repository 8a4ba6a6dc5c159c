/** The view's inline messages: the last failure (translated by its code) and the last success notice. */
import { Button, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import { DismissRegular } from "@fluentui/react-icons";
import { useTranslation } from "react-i18next";
import type { AppError } from "../../core/errors";
import type { Notice } from "./use-contact-replication";

export interface ContactMessagesProps {
  error: AppError | null;
  notice: Notice | null;
  onDismissError: () => void;
  onDismissNotice: () => void;
}

export function ContactMessages({ error, notice, onDismissError, onDismissNotice }: ContactMessagesProps) {
  const { t } = useTranslation(["contact", "errors"]);
  return (
    <div aria-live="polite">
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{t(`errors:${error.code}`)}</MessageBarBody>
          <MessageBarActions
            containerAction={
              <Button
                appearance="transparent"
                icon={<DismissRegular />}
                aria-label={t("contact:dismiss")}
                onClick={onDismissError}
              />
            }
          />
        </MessageBar>
      )}
      {notice && (
        <MessageBar intent={notice.intent}>
          <MessageBarBody>
            {t(`contact:${notice.key}`, {
              name: notice.name,
              reason: notice.reason ? t(`errors:${notice.reason}`) : "",
            })}
          </MessageBarBody>
          <MessageBarActions
            containerAction={
              <Button
                appearance="transparent"
                icon={<DismissRegular />}
                aria-label={t("contact:dismiss")}
                onClick={onDismissNotice}
              />
            }
          />
        </MessageBar>
      )}
    </div>
  );
}
