/**
 * The pane's views and the `?view=` parameter the ribbon buttons open them with.
 *
 * @example
 *   viewFromSearch("?view=import"); // "import"
 *   viewFromSearch("?view=nonsense"); // "contact" (the default)
 */
export const viewIds = ["export", "import", "contact", "sync", "settings"] as const;
export type ViewId = (typeof viewIds)[number];

export const defaultView: ViewId = "contact";

export function viewFromSearch(search: string): ViewId {
  const value = new URLSearchParams(search).get("view");
  return (viewIds as readonly string[]).includes(value ?? "") ? (value as ViewId) : defaultView;
}
