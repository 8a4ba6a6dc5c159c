/**
 * Multi-selection of a list of ids, the way file lists behave (WAI-ARIA listbox, multi-select):
 * click selects one, Ctrl/Cmd+click toggles, Shift+click selects a range from the anchor;
 * arrows move the active row and select it, Shift+arrows extend the range, Ctrl+arrows move
 * without selecting, Space toggles the active row, Ctrl+A selects all, Home/End jump.
 *
 * @example
 *   const sel = useListSelection(ids);
 *   <div role="listbox" aria-multiselectable onKeyDown={sel.onKeyDown} ... />
 *   sel.selected; // Set of selected ids (always a subset of `ids`)
 */
import { useCallback, useMemo, useState, type KeyboardEvent } from "react";

export interface ListSelection {
  selected: ReadonlySet<string>;
  /** Index of the active (focused) row, or -1 for an empty list. */
  active: number;
  /** Mouse: click on the row at `index` with its modifier keys. */
  click: (index: number, modifiers: { ctrl: boolean; shift: boolean }) => void;
  /** Keyboard handler for the listbox; returns true when the key was handled. */
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => boolean;
  clear: () => void;
}

interface State {
  selected: Set<string>;
  anchor: number;
  active: number;
}

const rangeOf = (ids: readonly string[], from: number, to: number): Set<string> => {
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  return new Set(ids.slice(Math.max(0, lo), hi + 1));
};

export function useListSelection(ids: readonly string[], pageSize = 10): ListSelection {
  const [state, setState] = useState<State>({ selected: new Set(), anchor: 0, active: 0 });

  // Keep the selection within the current ids (rows move between lists).
  const selected = useMemo(() => {
    const present = new Set(ids);
    return new Set([...state.selected].filter((id) => present.has(id)));
  }, [ids, state.selected]);
  const clamp = useCallback((i: number) => Math.max(0, Math.min(ids.length - 1, i)), [ids.length]);
  const active = ids.length === 0 ? -1 : clamp(state.active);

  const click = useCallback(
    (index: number, { ctrl, shift }: { ctrl: boolean; shift: boolean }) => {
      const id = ids[index];
      if (id === undefined) return;
      setState((s) => {
        if (shift) return { ...s, selected: rangeOf(ids, clamp(s.anchor), index), active: index };
        if (ctrl) {
          const next = new Set(s.selected);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          return { selected: next, anchor: index, active: index };
        }
        return { selected: new Set([id]), anchor: index, active: index };
      });
    },
    [ids, clamp],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>): boolean => {
      if (ids.length === 0) return false;
      const ctrl = event.ctrlKey || event.metaKey;
      const move = (to: number) => {
        const index = clamp(to);
        setState((s) => {
          if (event.shiftKey) return { ...s, selected: rangeOf(ids, clamp(s.anchor), index), active: index };
          if (ctrl) return { ...s, active: index };
          return { selected: new Set([ids[index] as string]), anchor: index, active: index };
        });
      };
      switch (event.key) {
        case "ArrowDown":
          move(active + 1);
          break;
        case "ArrowUp":
          move(active - 1);
          break;
        case "PageDown":
          move(active + pageSize);
          break;
        case "PageUp":
          move(active - pageSize);
          break;
        case "Home":
          move(0);
          break;
        case "End":
          move(ids.length - 1);
          break;
        case " ":
          setState((s) => {
            const id = ids[active] as string;
            const next = new Set(s.selected);
            if (next.has(id)) next.delete(id);
            else next.add(id);
            return { selected: next, anchor: active, active };
          });
          break;
        case "a":
        case "A":
          if (!ctrl) return false;
          setState((s) => ({ ...s, selected: new Set(ids) }));
          break;
        default:
          return false;
      }
      event.preventDefault();
      return true;
    },
    [ids, active, clamp, pageSize],
  );

  const clear = useCallback(() => setState({ selected: new Set(), anchor: 0, active: 0 }), []);

  return { selected, active, click, onKeyDown, clear };
}
