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
import type { AppConfig } from "../core/config";
import type { TokenProvider } from "../core/ports";

export type EntraAuth = Extract<AppConfig["auth"], { mode: "entra" }>;

/** `storagePersistent`: whether MSAL may keep its cache in localStorage (else in memory). */
export function createEntraTokenProvider(
  auth: EntraAuth,
  paneUrl: string,
  storagePersistent: boolean,
): TokenProvider {
  let fallback: Promise<(scopes: string[], claims?: string) => Promise<string>> | undefined;
  return createMsalTokenProvider({
    clientId: auth.clientId,
    authority: auth.authority,
    crmScope: auth.crmScope,
    cacheLocation: storagePersistent ? "localStorage" : "memoryStorage",
    // The Office dialog sign-in code is its own chunk, loaded only when the fallback is used;
    // one fallback per pane (it queues its dialogs).
    dialogFallback: async (scopes, claims) => {
      fallback ??= import(
        /* webpackChunkName: "sign-in-dialog" */ "../adapters/auth/office-dialog-fallback"
      ).then((m) => m.createOfficeDialogFallback(new URL("dialog.html", paneUrl).toString()));
      return (await fallback)(scopes, claims);
    },
  });
}
