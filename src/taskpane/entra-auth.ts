/**
 * The Entra ID token provider for `auth.mode: "entra"`: MSAL nested app authentication, with the
 * Office dialog (`dialog.html` beside the pane) as the fallback when NAA is missing or its popup
 * is blocked. One MSAL application per pane; tokens per call, minimal scopes.
 *
 * @example
 *   const tokens = createEntraTokenProvider(config.auth, window.location.href);
 *   await tokens.getToken("crm"); // token for config.auth.crmScope
 */
import { createMsalTokenProvider } from "../adapters/auth/msal-token-provider";
import type { AppConfig } from "../core/config";
import type { TokenProvider } from "../core/ports";

export type EntraAuth = Extract<AppConfig["auth"], { mode: "entra" }>;

export function createEntraTokenProvider(auth: EntraAuth, paneUrl: string): TokenProvider {
  return createMsalTokenProvider({
    clientId: auth.clientId,
    authority: auth.authority,
    crmScope: auth.crmScope,
    // The Office dialog sign-in code is its own chunk, loaded only when the fallback is used.
    dialogFallback: async (scopes, claims) => {
      const { createOfficeDialogFallback } = await import(
        /* webpackChunkName: "sign-in-dialog" */ "../adapters/auth/office-dialog-fallback"
      );
      return createOfficeDialogFallback(new URL("dialog.html", paneUrl).toString())(scopes, claims);
    },
  });
}
