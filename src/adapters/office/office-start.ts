/**
 * Waits for office.js with a deadline. `Office.onReady` never settles when office.js cannot finish
 * initialising inside Outlook (a blocked MicrosoftAjax.js or host script; Microsoft: "If the Office
 * JavaScript API library files are blocked ... Office.onReady will never resolve"), so the pane
 * must not wait for it before rendering, and must stop waiting at some point.
 *
 * @example
 *   const start = await waitForOffice(startupTimeoutMs());
 *   if (start.kind === "timeout") render(<StartupMessage kind="office-timeout" />);
 */
export type OfficeStart =
  | { kind: "outlook"; displayLanguage: string | undefined }
  | { kind: "outside" } // no office.js, or office.js loaded outside any Office host
  | { kind: "timeout" };

/** ~15 s: Outlook on a slow network starts well within it; the message shows within 20 s. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 15_000;

/**
 * The deadline for office.js. Tests of the built pane shorten it by defining the global
 * `crmAddinStartupTimeoutMs` before the page's scripts run (Playwright's addInitScript); nothing
 * in a real page sets it.
 */
export function startupTimeoutMs(): number {
  const override = (globalThis as { crmAddinStartupTimeoutMs?: unknown }).crmAddinStartupTimeoutMs;
  return typeof override === "number" && override > 0 ? override : DEFAULT_STARTUP_TIMEOUT_MS;
}

interface OfficeLike {
  onReady(): Promise<{ host: unknown }>;
  context?: { displayLanguage?: string };
}

/**
 * Whether Outlook opened this page: its pane URLs carry `_host_Info` in the query (web, Windows) or
 * in `window.name` (office.js reads both).
 */
export function openedByOutlook(search: string, windowName: string): boolean {
  return /(^|[?&])_host_Info=/.test(search) || windowName.includes("_host_Info");
}

export function waitForOffice(
  timeoutMs: number,
  office: OfficeLike | undefined = typeof Office === "undefined" ? undefined : Office,
  opened: () => boolean = () => openedByOutlook(window.location.search, window.name),
): Promise<OfficeStart> {
  // office.js itself did not load (CDN blocked): inside Outlook that is "Outlook did not start it".
  if (!office) return Promise.resolve(opened() ? { kind: "timeout" } : { kind: "outside" });
  return new Promise<OfficeStart>((resolve) => {
    const timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs);
    office.onReady().then(
      (info) => {
        clearTimeout(timer);
        if (info.host === null || info.host === undefined) resolve({ kind: "outside" });
        else resolve({ kind: "outlook", displayLanguage: office.context?.displayLanguage });
      },
      (error: unknown) => {
        void error; // office.js failing to start is the same outcome as never starting
        clearTimeout(timer);
        resolve({ kind: "timeout" });
      },
    );
  });
}

/** Whether the preview host may run: development builds, or the pane served from this machine. */
export function previewAllowed(hostname: string, developmentBuild: boolean): boolean {
  return developmentBuild || ["localhost", "127.0.0.1", "[::1]", "::1"].includes(hostname);
}

/**
 * The UI locale in Outlook's `_host_Info` query value (its fourth `$` field), known before
 * office.js is ready; undefined when absent.
 *
 * @example
 *   hostInfoLocale("?_host_Info=Outlook$Web$16.01$de-DE$$$$0") // "de-DE"
 */
export function hostInfoLocale(search: string): string | undefined {
  const value = new URLSearchParams(search).get("_host_Info");
  const locale = value?.split("$")[3];
  return locale && /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(locale) ? locale : undefined;
}
