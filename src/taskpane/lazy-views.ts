/**
 * The views as separate chunks: the shell renders from the initial chunk and loads a view's code
 * when it is first shown (the composition root starts loading the first view together with the
 * config). Every view chunk is prefetched by the browser when it is idle (webpackPrefetch), so a
 * later tab switch finds it in the cache.
 *
 * @example
 *   void preloadView("import"); // starts fetching the chunk; `lazyView("import")` renders it
 */
import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import type { ViewId } from "./shell/views";

type ViewModule = { default: ComponentType };

const loaders: Record<ViewId, () => Promise<ViewModule>> = {
  export: () =>
    import(/* webpackChunkName: "view-export", webpackPrefetch: true */ "./export/ExportView").then((m) => ({
      default: m.ExportView,
    })),
  import: () =>
    import(/* webpackChunkName: "view-import", webpackPrefetch: true */ "./import/ImportView").then((m) => ({
      default: m.ImportView,
    })),
  contact: () =>
    import(/* webpackChunkName: "view-contact", webpackPrefetch: true */ "./contact/ContactView").then(
      (m) => ({ default: m.ContactView }),
    ),
  sync: () =>
    import(/* webpackChunkName: "view-sync", webpackPrefetch: true */ "./sync/SyncLogView").then((m) => ({
      default: m.SyncLogView,
    })),
  settings: () =>
    import(/* webpackChunkName: "view-settings", webpackPrefetch: true */ "./settings/SettingsView").then(
      (m) => ({ default: m.SettingsView }),
    ),
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
