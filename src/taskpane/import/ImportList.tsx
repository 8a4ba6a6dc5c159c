/**
 * The import rows as an accessible list. Short lists render every row; long ones are virtualised
 * (@tanstack/react-virtual, measured row heights) so thousands of contacts stay fast.
 */
import { makeStyles, tokens } from "@fluentui/react-components";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import type { ImportRow } from "./import-rows";
import { ImportRowItem, type ImportRowItemProps } from "./ImportRowItem";

/** Above this many rows the list is virtualised. */
export const VIRTUALIZE_ABOVE = 40;

const useStyles = makeStyles({
  scroller: {
    maxHeight: "65vh",
    overflowY: "auto",
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  inner: { position: "relative", width: "100%" },
  item: { position: "absolute", top: 0, left: 0, width: "100%" },
});

type RowHandlers = Omit<ImportRowItemProps, "row">;

export function ImportList({ rows, ...handlers }: { rows: ImportRow[] } & RowHandlers) {
  const { t } = useTranslation("import");
  const styles = useStyles();
  if (rows.length <= VIRTUALIZE_ABOVE) {
    return (
      <div className={styles.scroller} role="list" aria-label={t("list.label")}>
        {rows.map((row) => (
          <ImportRowItem key={row.id} row={row} {...handlers} />
        ))}
      </div>
    );
  }
  return <VirtualList rows={rows} label={t("list.label")} {...handlers} />;
}

function VirtualList({ rows, label, ...handlers }: { rows: ImportRow[]; label: string } & RowHandlers) {
  const styles = useStyles();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 150,
    overscan: 6,
    getItemKey: (index) => rows[index]?.id ?? index,
  });
  return (
    <div ref={scrollRef} className={styles.scroller} role="list" aria-label={label}>
      <div role="none" className={styles.inner} style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <div
              key={item.key}
              ref={virtualizer.measureElement}
              role="none"
              data-index={item.index}
              className={styles.item}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <ImportRowItem row={row} {...handlers} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
