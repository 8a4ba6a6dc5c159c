/**
 * A tiny in-pane event feed: any view that changes links (export, import, the replication switch,
 * sync) calls `notify()`, and views that show link state re-read it. Keeps views in step without
 * a reload. Lives in Services (one per pane).
 *
 * @example
 *   const off = services.linkEvents.subscribe(() => reload());
 *   services.linkEvents.notify(); // after an export finished
 */
export class LinkEvents {
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
