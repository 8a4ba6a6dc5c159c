/**
 * The sign-in dialog page (dialog.html), opened by the Office dialog fallback when nested app
 * authentication is unavailable or its popup is blocked. It shows "Signing in…" at once, waits for
 * office.js with the same deadline as the pane (then says that Outlook did not start it), and runs
 * MSAL inside the dialog: a silent sign-in first (MSAL's cache in localStorage, so a second dialog
 * usually closes by itself), the redirect flow otherwise. The access token and its expiry go to
 * the task pane with `Office.context.ui.messageParent`; nothing goes into a URL.
 * Reads only `scopes`/`claims` from its URL and the client id/authority from config.json.
 */
import "../taskpane/zod-jitless"; // first: before any zod schema is built
import {
  InteractionRequiredAuthError,
  PublicClientApplication,
  type AuthenticationResult,
} from "@azure/msal-browser";
import { openGuardedStorage } from "../adapters/browser/guarded-storage";
import { CLIENT_CAPABILITIES } from "../adapters/auth/msal-token-provider";
import { startupTimeoutMs, waitForOffice } from "../adapters/office/office-start";
import { parseConfig } from "../core/config";
import deCommon from "../taskpane/i18n/locales/de/common.json";
import enCommon from "../taskpane/i18n/locales/en/common.json";

/** German for any de-* language, else English (as the pane's pickLanguage; not imported, to keep i18next out of this page). */
const pickLanguage = (language: string | undefined): "de" | "en" =>
  language?.toLowerCase().startsWith("de") ? "de" : "en";

type DialogAnswer = { ok: true; accessToken: string; expiresOn?: number } | { ok: false; code: string };

const REQUEST_MARKER = "crm-addin:dialog.request";

function answer(message: DialogAnswer): void {
  Office.context.ui.messageParent(JSON.stringify(message));
}

function show(language: string | undefined, key: "starting" | "timeout" | "outside"): void {
  const strings = pickLanguage(language) === "de" ? deCommon : enCommon;
  document.documentElement.lang = pickLanguage(language);
  const status = document.getElementById("status");
  if (!status) return;
  if (key === "starting") {
    status.textContent = strings.dialog.signingIn;
    return;
  }
  status.textContent = "";
  const title = document.createElement("strong");
  title.textContent = key === "timeout" ? strings.startup.timeout.title : strings.startup.outside.title;
  const text = document.createElement("p");
  text.textContent = key === "timeout" ? strings.dialog.timeout : strings.startup.outside.text;
  const link = document.createElement("a");
  link.href = new URL("support.html", window.location.href).toString();
  link.target = "_blank";
  link.rel = "noopener noreferrer";
  link.textContent = strings.startup.support;
  status.append(title, text, link);
}

/** localStorage when it works (silent sign-in next time), else sessionStorage, else memory. */
function cacheLocation(): "localStorage" | "sessionStorage" | "memoryStorage" {
  if (openGuardedStorage(() => window.localStorage).persistent) return "localStorage";
  if (openGuardedStorage(() => window.sessionStorage).persistent) return "sessionStorage";
  return "memoryStorage";
}

const tokenAnswer = (result: AuthenticationResult): DialogAnswer => ({
  ok: true,
  accessToken: result.accessToken,
  ...(result.expiresOn ? { expiresOn: result.expiresOn.getTime() } : {}),
});

async function run(): Promise<void> {
  const response = await fetch(new URL("config.json", window.location.href));
  const parsed = parseConfig(await response.json());
  if (!parsed.ok || parsed.config.auth.mode !== "entra") {
    answer({ ok: false, code: "config-invalid" });
    return;
  }
  const params = new URLSearchParams(window.location.search);
  const scopes = (params.get("scopes") ?? "").split(" ").filter(Boolean);
  const claims = params.get("claims") ?? undefined;
  const redirectUri = new URL("dialog.html", window.location.href).toString();
  const pca = new PublicClientApplication({
    auth: {
      clientId: parsed.config.auth.clientId,
      authority: parsed.config.auth.authority,
      redirectUri,
      clientCapabilities: CLIENT_CAPABILITIES,
    },
    cache: { cacheLocation: cacheLocation() },
  });
  await pca.initialize();
  const session = openGuardedStorage(() => window.sessionStorage);
  const redirected = await pca.handleRedirectPromise();
  if (redirected) {
    session.removeItem(REQUEST_MARKER);
    answer(tokenAnswer(redirected));
    return;
  }
  const account = pca.getAllAccounts()[0];
  if (account && !claims) {
    try {
      answer(tokenAnswer(await pca.acquireTokenSilent({ scopes, account })));
      return;
    } catch (error) {
      if (!(error instanceof InteractionRequiredAuthError)) throw error;
    }
  }
  if (session.getItem(REQUEST_MARKER)) {
    // We came back from a redirect without a result: do not loop.
    session.removeItem(REQUEST_MARKER);
    answer({ ok: false, code: "no-result" });
    return;
  }
  session.setItem(REQUEST_MARKER, "1");
  await pca.acquireTokenRedirect({ scopes, claims, redirectUri, ...(account ? { account } : {}) });
}

async function main(): Promise<void> {
  show(navigator.language, "starting");
  const start = await waitForOffice(startupTimeoutMs());
  if (start.kind !== "outlook") {
    // No pane to answer to: office.js not ready in time, or opened in a plain browser (e.g. the
    // redirect after an admin granted consent).
    show(navigator.language, start.kind === "timeout" ? "timeout" : "outside");
    return;
  }
  show(start.displayLanguage, "starting");
  await run().catch((error: unknown) => {
    const code = error instanceof Error && "errorCode" in error ? String(error.errorCode) : "unknown";
    answer({ ok: false, code });
  });
}

void main();
