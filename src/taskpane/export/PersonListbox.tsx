/**
 * One side of the assignment table: a virtualised, multi-select listbox of contact persons
 * (role listbox + aria-multiselectable, options with aria-selected, aria-activedescendant for
 * the keyboard focus). Stays fast with 10,000 rows: only the visible rows are rendered.
 * By touch a tap toggles a row (as Ctrl+click does), so several rows can be chosen without keys.
 */
import { Badge, makeStyles, mergeClasses, Text, tokens } from "@fluentui/react-components";
import { observeElementRect, useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ListSelection } from "./use-list-selection";

export interface PersonRow {
  id: string;
  primary: string;
  secondary: string;
  exported: boolean;
}

const ROW_HEIGHT = 44;
/** Used while the layout is unknown (e.g. the first frame, or no layout engine in tests). */
const FALLBACK_RECT = { width: 320, height: 320 };

const useStyles = makeStyles({
  // Labels of different lengths wrap differently: the lists align at the bottom.
  root: {
    display: "flex",
    flexDirection: "column",
    justifyContent: "flex-end",
    gap: tokens.spacingVerticalXS,
    minWidth: 0,
    flex: 1,
  },
  list: {
    height: "320px",
    overflowY: "auto",
    position: "relative",
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  option: {
    position: "absolute",
    left: 0,
    top: 0,
    width: "100%",
    boxSizing: "border-box",
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
    padding: `0 ${tokens.spacingHorizontalS}`,
    cursor: "pointer",
    userSelect: "none",
  },
  selected: { backgroundColor: tokens.colorBrandBackground2, color: tokens.colorNeutralForeground1 },
  active: {
    outline: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralForeground2}`,
    outlineOffset: "-2px",
  },
  texts: { display: "flex", flexDirection: "column", minWidth: 0, flex: 1 },
  ellipsis: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
});

export interface PersonListboxProps {
  id: string;
  label: string;
  rows: readonly PersonRow[];
  selection: ListSelection;
  /** Enter or double-click: move the selected rows to the other side. */
  onMove: () => void;
}

export function PersonListbox({ id, label, rows, selection, onMove }: PersonListboxProps) {
  const { t } = useTranslation("export");
  const styles = useStyles();
  const scrollRef = useRef<HTMLDivElement>(null);
  /** The pointer of the last press on a row ("touch", "pen", "mouse"). */
  const lastPointer = useRef<string>("mouse");
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    initialRect: FALLBACK_RECT,
    observeElementRect: (instance, cb) =>
      observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : FALLBACK_RECT)),
  });
  const { active } = selection;

  useEffect(() => {
    if (active >= 0) virtualizer.scrollToIndex(active, { align: "auto" });
  }, [active, virtualizer]);

  const optionId = (rowId: string) => `${id}-option-${rowId}`;
  const activeRow = active >= 0 ? rows[active] : undefined;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      onMove();
      return;
    }
    selection.onKeyDown(event);
  };

  return (
    <div className={styles.root}>
      <Text id={`${id}-label`} weight="semibold">
        {label}
      </Text>
      <div
        ref={scrollRef}
        id={id}
        role="listbox"
        aria-multiselectable="true"
        aria-labelledby={`${id}-label`}
        aria-activedescendant={activeRow ? optionId(activeRow.id) : undefined}
        tabIndex={0}
        className={styles.list}
        onKeyDown={onKeyDown}
      >
        <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const isSelected = selection.selected.has(row.id);
            return (
              <div
                key={row.id}
                id={optionId(row.id)}
                role="option"
                aria-selected={isSelected}
                aria-setsize={rows.length}
                aria-posinset={item.index + 1}
                className={mergeClasses(
                  styles.option,
                  isSelected && styles.selected,
                  item.index === active && styles.active,
                )}
                style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                onPointerDown={(e) => (lastPointer.current = e.pointerType)}
                onClick={(e) =>
                  selection.click(item.index, {
                    ctrl: e.ctrlKey || e.metaKey || lastPointer.current === "touch",
                    shift: e.shiftKey,
                  })
                }
                // By touch a tap toggles; a double tap would toggle twice and then move: mouse only.
                onDoubleClick={() => {
                  if (lastPointer.current !== "touch") onMove();
                }}
              >
                <span className={styles.texts}>
                  <Text className={styles.ellipsis}>{row.primary}</Text>
                  <Text size={200} className={styles.ellipsis}>
                    {row.secondary}
                  </Text>
                </span>
                {row.exported ? (
                  <Badge appearance="tint" color="success" size="small">
                    {t("assign.exportedBadge")}
                  </Badge>
                ) : null}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
