/**
 * Catches a view whose code could not be loaded (its chunk failed: webpack's ChunkLoadError, shown
 * as the network error) or that failed while rendering (its translated AppError): a message with
 * Retry instead of a blank pane. Retry renders the view again, which loads its chunk anew.
 */
import { Button, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import { Component, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { AppError } from "../../core/errors";
import { errorMessageKey } from "./error-reporter";

function ViewFailed({ error, onRetry }: { error: AppError; onRetry: () => void }) {
  const { t } = useTranslation(["errors", "common"]);
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>{t(errorMessageKey(error))}</MessageBarBody>
      <MessageBarActions>
        <Button onClick={onRetry}>{t("common:status.retry")}</Button>
      </MessageBarActions>
    </MessageBar>
  );
}

/** `render` is called on every render, so Retry picks up a newly created lazy component. */
export class ViewLoadBoundary extends Component<{ render: () => ReactNode }, { error: AppError | null }> {
  override state: { error: AppError | null } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: AppError } {
    const chunkFailed = error instanceof Error && error.name === "ChunkLoadError";
    return { error: chunkFailed ? new AppError("network", error.message) : AppError.from(error) };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (error) return <ViewFailed error={error} onRetry={() => this.setState({ error: null })} />;
    return this.props.render();
  }
}
