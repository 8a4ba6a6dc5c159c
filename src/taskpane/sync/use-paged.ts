/**
 * Shows a long list a page at a time ("Show more"), so a run with thousands of details stays fast.
 *
 * @example
 *   const { visible, rest, more } = usePaged(entry.conflicts); // first 100, rest = the others
 */
import { useState } from "react";

export const PAGE_SIZE = 100;

export function usePaged<T>(items: readonly T[], pageSize = PAGE_SIZE) {
  const [shown, setShown] = useState(pageSize);
  return {
    visible: items.slice(0, shown),
    rest: Math.max(0, items.length - shown),
    more: () => setShown((n) => n + pageSize),
  };
}
