import { configure } from "@testing-library/react";
import "@testing-library/jest-dom";
// user-event drives real Fluent components: on a loaded 2-core CI machine a view test can take
// longer than Jest's 5 s default, and a findBy/waitFor longer than Testing Library's 1 s. The
// tests assert outcomes and request counts, never durations, so the limits only guard against hangs.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 5_000 });

// jsdom gaps (no layout engine): `offsetParent` is always null and every getBoundingClientRect()
// is 0×0. Tabster (Fluent's focus management) reads a null offsetParent as display:none
// (Utils.isDisplayNone) and a 0×0 <body> as "document in a hidden iframe" (Focusable.isVisible),
// so in jsdom it finds no focusable element at all: a Fluent Dialog then focuses its surface
// instead of its first button, tabster does not activate a modalizer whose own element is
// focused, and its aria-hidden pass hides the open dialog itself. In a browser the first button
// is focused and the modalizer activates. Both polyfills follow the browser's definitions:
// offsetParent is null when the element or an ancestor is display:none (or it is detached),
// otherwise the nearest positioned ancestor, table cell or table, or <body>.
Object.defineProperty(HTMLElement.prototype, "offsetParent", {
  configurable: true,
  get(this: HTMLElement): Element | null {
    const body = this.ownerDocument.body;
    if (!this.isConnected || this === body || this === this.ownerDocument.documentElement) return null;
    const view = this.ownerDocument.defaultView;
    if (!view) return null;
    const own = view.getComputedStyle(this);
    if (own.display === "none" || own.position === "fixed") return null;
    let parent: Element | null = null;
    for (let e = this.parentElement; e && e !== body; e = e.parentElement) {
      const style = view.getComputedStyle(e);
      if (style.display === "none") return null;
      if (!parent && (style.position !== "static" || ["TD", "TH", "TABLE"].includes(e.tagName))) parent = e;
    }
    return parent ?? body;
  },
});
Object.defineProperty(HTMLBodyElement.prototype, "getBoundingClientRect", {
  configurable: true,
  writable: true,
  value(): DOMRect {
    return new DOMRect(0, 0, window.innerWidth, window.innerHeight);
  },
});
