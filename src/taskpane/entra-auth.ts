/**
 * The Entra ID token provider for `auth.mode: "entra"`: MSAL nested app authentication, with the
 * Office dialog (`dialog.html` beside the pane) as the fallback when NAA is missing or its popup
 * is blocked. One MSAL application per pane; tokens per call, minimal scopes.
 *
 * @example
 *   const tokens = createEntraTokenProvider(config.auth, window.location.href, storage.persistent);
 *   await tokens.getToken("crm"); // token for config.auth.crmScope
 */
import { createMsalTokenProvider } from "../adapters/auth/msal-token-provider";
import { createOfficeDialogFallback } from "../adapters/auth/office-dialog-fallback";
import type { AppConfig } from "../core/config";
import type { TokenProvider } from "../core/ports";

export type EntraAuth = Extract<AppConfig["auth"], { mode: "entra" }>;

/** `storagePersistent`: whether MSAL may keep its cache in localStorage (else in memory). */
export function createEntraTokenProvider(
  auth: EntraAuth,
  paneUrl: string,
  storagePersistent: boolean,
): TokenProvider {
  return createMsalTokenProvider({
    clientId: auth.clientId,
    authority: auth.authority,
    crmScope: auth.crmScope,
    cacheLocation: storagePersistent ? "localStorage" : "memoryStorage",
    dialogFallback: createOfficeDialogFallback(new URL("dialog.html", paneUrl).toString()),
  });
}
