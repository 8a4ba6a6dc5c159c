/** An expandable list of plan steps (name + reason) in the preview; long lists are virtualised. */
import { makeStyles, Text, tokens } from "@fluentui/react-components";
import { observeElementRect, useVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import type { ExportStep } from "../../core/plans/export-plan";

const ROW_HEIGHT = 28;
const FALLBACK_RECT = { width: 320, height: 200 };

const useStyles = makeStyles({
  scroll: { maxHeight: "200px", overflowY: "auto", position: "relative" },
  row: {
    position: "absolute",
    left: 0,
    top: 0,
    width: "100%",
    display: "flex",
    gap: tokens.spacingHorizontalS,
    alignItems: "center",
  },
});

export function StepList({ steps, label }: { steps: readonly ExportStep[]; label: string }) {
  const { t } = useTranslation("export");
  const styles = useStyles();
  const ref = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: steps.length,
    getScrollElement: () => ref.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    initialRect: FALLBACK_RECT,
    observeElementRect: (instance, cb) =>
      observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : FALLBACK_RECT)),
  });
  return (
    // Focusable, so that keyboard users can scroll a long list.
    <div
      ref={ref}
      className={styles.scroll}
      style={{ height: Math.min(200, steps.length * ROW_HEIGHT) }}
      tabIndex={0}
      role="group"
      aria-label={label}
    >
      <ul
        aria-label={label}
        style={{
          height: virtualizer.getTotalSize(),
          position: "relative",
          margin: 0,
          padding: 0,
          listStyle: "none",
        }}
      >
        {virtualizer.getVirtualItems().map((item) => {
          const step = steps[item.index];
          if (!step) return null;
          return (
            <li
              key={`${step.kind}-${step.crmId}-${step.outlookId ?? ""}`}
              className={styles.row}
              style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
            >
              <Text>{step.label}</Text>
              <Text size={200}>{t(`reason.${step.reason}`)}</Text>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
