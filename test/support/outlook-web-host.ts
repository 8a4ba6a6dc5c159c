/**
 * The production build as Outlook loads it, without Microsoft 365: every request of a browser
 * context is answered by Playwright's request interception.
 * - https://addin.contoso.example/crm-replication/* -> the production build in `outDir`;
 * - Microsoft's office.js CDN (both documented domains) -> @microsoft/office-js/dist, Microsoft's
 *   copy of the CDN files, including the Outlook host scripts and locale strings;
 * - https://ajax.aspnetcdn.com/ajax/3.5/MicrosoftAjax.js -> test/support/microsoft-ajax-stub.js;
 * - https://outlook.office.com/mail/ -> a page that frames the pane cross-origin, as Outlook on the
 *   web does, with the `_host_Info` query and `_xdm_Info` fragment office.js reads. It never
 *   answers office.js' handshake: this is "Outlook did not start the add-in";
 * - anything else (telemetry) -> 204.
 * Each request is recorded so tests can say which hosts were asked for.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { BrowserContext } from "playwright-core";

export const ADDIN_ORIGIN = "https://addin.contoso.example";
export const ADDIN_URL = `${ADDIN_ORIGIN}/crm-replication`;
const officeDist = path.dirname(require.resolve("@microsoft/office-js/dist/office.js"));
const OFFICE_CDN_PATHS: Record<string, string> = {
  "appsforoffice.microsoft.com": "/lib/1/hosted/",
  "officeapis.public.onecdn.static.microsoft": "/1/",
};

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".xml": "application/xml",
};

function file(full: string) {
  if (!existsSync(full)) return { status: 404, body: "" };
  return {
    status: 200,
    body: readFileSync(full),
    contentType: TYPES[path.extname(full)] ?? "application/octet-stream",
  };
}

/** The pane's URL inside Outlook on the web (`_host_Info` like Outlook's own, e.g. "Outlook$Web$16.01$en-US$$$$0"). */
export function outlookPaneUrl(page: string, hostInfo: string): string {
  return `${ADDIN_URL}/${page}?_host_Info=${hostInfo}#&_xdm_Info=conversation-1$app-1$https://outlook.office.com/mail/`;
}

/** Outlook on the web's page framing `paneUrl`. */
export function outlookWebUrl(paneUrl: string): string {
  return `https://outlook.office.com/mail/?pane=${encodeURIComponent(paneUrl)}`;
}

/** `unreachable`: hosts whose requests fail as if blocked by a proxy (e.g. the office.js CDN). */
export async function routeOutlookWorld(
  context: BrowserContext,
  outDir: string,
  unreachable: string[] = [],
): Promise<string[]> {
  const requested: string[] = [];
  await context.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    requested.push(url.href);
    if (unreachable.includes(url.host)) return route.abort("connectionrefused");
    const cdnPath = OFFICE_CDN_PATHS[url.host];
    if (url.origin === ADDIN_ORIGIN && url.pathname.startsWith("/crm-replication/")) {
      return route.fulfill(file(path.join(outDir, url.pathname.slice("/crm-replication/".length))));
    }
    if (cdnPath && url.pathname.startsWith(cdnPath)) {
      // The CDN serves office.js' files with CORS (office.js loads them with crossOrigin=anonymous).
      const found = file(path.join(officeDist, url.pathname.slice(cdnPath.length)));
      return route.fulfill({ ...found, headers: { "access-control-allow-origin": "*" } });
    }
    if (url.href === "https://ajax.aspnetcdn.com/ajax/3.5/MicrosoftAjax.js") {
      const found = file(path.join(__dirname, "microsoft-ajax-stub.js"));
      return route.fulfill({ ...found, headers: { "access-control-allow-origin": "*" } });
    }
    if (url.origin === "https://outlook.office.com" && url.pathname === "/mail/") {
      const pane = url.searchParams.get("pane") ?? "";
      const html = `<!doctype html><title>Outlook</title><iframe title="add-in" style="width:360px;height:720px;border:0" src="${pane.replace(/"/g, "&quot;")}"></iframe>`;
      return route.fulfill({ status: 200, contentType: "text/html", body: html });
    }
    return route.fulfill({ status: 204, body: "" });
  });
  return requested;
}

/**
 * Script for `addInitScript`: records CSP refusals of every frame in `window.cspViolations` and
 * shortens the pane's office.js deadline to `timeoutMs` (the page reads `crmAddinStartupTimeoutMs`).
 */
export function observeScript(timeoutMs: number): string {
  return `
    window.crmAddinStartupTimeoutMs = ${timeoutMs};
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
    });`;
}
