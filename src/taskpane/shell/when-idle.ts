/**
 * Runs `task` when the browser is idle (requestIdleCallback; a short timeout where it is missing,
 * as in Safari's webview). Used to prefetch the chunks the pane may need next without competing
 * with what the first view needs. Returns a function that cancels a task not yet run.
 *
 * @example
 *   useEffect(() => whenIdle(() => void import("./Heavy")), []);
 */
export function whenIdle(task: () => void): () => void {
  if (typeof window.requestIdleCallback === "function") {
    const handle = window.requestIdleCallback(task, { timeout: 5_000 });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = setTimeout(task, 300);
  return () => clearTimeout(timer);
}

/** Loads a chunk ahead of need; a failure is not reported here (the code loads again when needed). */
export function prefetch(load: () => Promise<unknown>): void {
  load().catch(() => undefined);
}
