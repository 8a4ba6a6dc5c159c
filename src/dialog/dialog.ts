/**
 * The sign-in dialog page (dialog.html), opened by the Office dialog fallback when nested app
 * authentication is unavailable or its popup is blocked. It runs MSAL's redirect flow inside the
 * dialog and hands the access token to the task pane with `Office.context.ui.messageParent`.
 * Reads only `scopes`/`claims` from its URL and the client id/authority from config.json.
 */
import { PublicClientApplication } from "@azure/msal-browser";
import { parseConfig } from "../core/config";

type DialogAnswer = { ok: true; accessToken: string } | { ok: false; code: string };

function answer(message: DialogAnswer): void {
  Office.context.ui.messageParent(JSON.stringify(message));
}

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
    auth: { clientId: parsed.config.auth.clientId, authority: parsed.config.auth.authority, redirectUri },
    cache: { cacheLocation: "sessionStorage" },
  });
  await pca.initialize();
  const result = await pca.handleRedirectPromise();
  if (result) {
    answer({ ok: true, accessToken: result.accessToken });
    return;
  }
  const stored = sessionStorage.getItem("dialog.request");
  if (stored) {
    // We came back from a redirect without a result: do not loop.
    sessionStorage.removeItem("dialog.request");
    answer({ ok: false, code: "no-result" });
    return;
  }
  sessionStorage.setItem("dialog.request", "1");
  await pca.acquireTokenRedirect({ scopes, claims, redirectUri });
}

Office.onReady(() => {
  run().catch((error: unknown) => {
    const code = error instanceof Error && "errorCode" in error ? String(error.errorCode) : "unknown";
    answer({ ok: false, code });
  });
});
