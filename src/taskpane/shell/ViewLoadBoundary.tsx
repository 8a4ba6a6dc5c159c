/**
 * Catches a view whose code could not be loaded (its chunk failed: webpack's ChunkLoadError, shown
 * as the network error) or that failed while rendering (its translated AppError): a message with
 * Retry instead of a blank pane. Retry renders the view again, which loads its chunk anew.
 */
import { Button, Text, makeStyles, tokens } from "@fluentui/react-components";
import { Component, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { AppError } from "../../core/errors";
import { errorMessageKey } from "./error-reporter";

// Plain Fluent text and button (no MessageBar): this is part of the pane's initial chunk.
const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", alignItems: "flex-start", gap: tokens.spacingVerticalS },
  message: { color: tokens.colorPaletteRedForeground1 },
});

function ViewFailed({ error, onRetry }: { error: AppError; onRetry: () => void }) {
  const { t } = useTranslation(["errors", "common"]);
  const styles = useStyles();
  return (
    <div role="alert" className={styles.root}>
      <Text className={styles.message}>{t(errorMessageKey(error))}</Text>
      <Button onClick={onRetry}>{t("common:status.retry")}</Button>
    </div>
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
