/**
 * The views as separate chunks: the shell renders from the initial chunk and loads a view's code
 * when it is first shown (the composition root starts loading the first view together with the
 * config). Once the first view has loaded, the other views are prefetched when the browser is
 * idle (`prefetchOtherViews`), so a later tab switch finds them ready.
 *
 * @example
 *   void preloadView("import"); // starts fetching the chunk; `lazyView("import")` renders it
 */
import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import type { ViewId } from "./shell/views";
import { whenIdle } from "./shell/when-idle";

type ViewModule = { default: ComponentType };

const loaders: Record<ViewId, () => Promise<ViewModule>> = {
  export: () =>
    import(/* webpackChunkName: "view-export" */ "./export/ExportView").then((m) => ({
      default: m.ExportView,
    })),
  import: () =>
    import(/* webpackChunkName: "view-import" */ "./import/ImportView").then((m) => ({
      default: m.ImportView,
    })),
  contact: () =>
    import(/* webpackChunkName: "view-contact" */ "./contact/ContactView").then((m) => ({
      default: m.ContactView,
    })),
  sync: () =>
    import(/* webpackChunkName: "view-sync" */ "./sync/SyncLogView").then((m) => ({
      default: m.SyncLogView,
    })),
  settings: () =>
    import(/* webpackChunkName: "view-settings" */ "./settings/SettingsView").then((m) => ({
      default: m.SettingsView,
    })),
};

const pending = new Map<ViewId, Promise<ViewModule>>();
const components = new Map<ViewId, LazyExoticComponent<ComponentType>>();

/** Starts (once) loading a view's chunk; the same promise backs its lazy component. */
export function preloadView(view: ViewId): Promise<ViewModule> {
  let promise = pending.get(view);
  if (!promise) {
    promise = loaders[view]();
    // A failed load (e.g. offline) is forgotten, so the next render (Retry) loads it anew.
    promise.catch(() => {
      pending.delete(view);
      components.delete(view);
    });
    pending.set(view, promise);
  }
  return promise;
}

/** The view's lazy component (a new one after a failed load). */
export function lazyView(view: ViewId): LazyExoticComponent<ComponentType> {
  let component = components.get(view);
  if (!component) {
    component = lazy(() => preloadView(view));
    components.set(view, component);
  }
  return component;
}

/** After `first` has loaded: loads every other view's chunk, one per idle period. */
export function prefetchOtherViews(first: ViewId): () => void {
  let cancel = (): void => undefined;
  let stopped = false;
  const rest = (Object.keys(loaders) as ViewId[]).filter((view) => view !== first);
  const next = (): void => {
    const view = rest.shift();
    if (stopped || view === undefined) return;
    cancel = whenIdle(() => {
      // A failed prefetch is retried when the view is opened.
      preloadView(view).then(next, next);
    });
  };
  preloadView(first).then(next, next);
  return () => {
    stopped = true;
    cancel();
  };
}
