/**
 * The TokenProvider for real use inside Outlook: MSAL nested app authentication (NAA).
 * Order per call: silent (the host's signed-in account) -> popup when interaction is required ->
 * the Office dialog fallback when the popup is blocked. Where NAA is not supported
 * (requirement set NestedAppAuth 1.1 missing), the dialog fallback is used directly; when that is
 * missing too, the call fails with a clear `office-unsupported` error.
 * Scopes are requested per call and minimal: Graph gets only Contacts.ReadWrite, the CRM only its
 * API scope from the config. Tokens are never logged, stored by us, or put into URLs.
 *
 * @example
 *   const tokens = createMsalTokenProvider({ clientId, authority, crmScope, dialogUrl });
 *   await tokens.getToken("graph"); // "eyJ0eXAi..." for https://graph.microsoft.com/Contacts.ReadWrite
 */
import {
  BrowserAuthError,
  createNestablePublicClientApplication,
  InteractionRequiredAuthError,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import { AppError } from "../../core/errors";
import type { TokenProvider, TokenResource } from "../../core/ports";

export const GRAPH_SCOPES = ["https://graph.microsoft.com/Contacts.ReadWrite"] as const;

/** Popup errors after which the Office dialog is the way left to sign in. */
const POPUP_BLOCKED_CODES = new Set(["popup_window_error", "empty_window_error", "block_nested_popups"]);

export interface MsalTokenProviderOptions {
  clientId: string;
  authority: string;
  /** The CRM API scope, e.g. "api://crm.example.com/Contacts.ReadWrite". */
  crmScope: string;
  /** For tests: builds the MSAL application (default: NAA's createNestablePublicClientApplication). */
  createApplication?: () => Promise<IPublicClientApplication>;
  /** Whether the host supports NAA (default: Office requirement set NestedAppAuth 1.1). */
  isNaaSupported?: () => boolean;
  /** The Office dialog sign-in (default: none -> popup-blocked error). */
  dialogFallback?: (scopes: string[], claims?: string) => Promise<string>;
}

export function isNestedAppAuthSupported(): boolean {
  return (
    typeof Office !== "undefined" &&
    Office.context?.requirements?.isSetSupported("NestedAppAuth", "1.1") === true
  );
}

export function scopesFor(resource: TokenResource, crmScope: string): string[] {
  return resource === "graph" ? [...GRAPH_SCOPES] : [crmScope];
}

export function createMsalTokenProvider(options: MsalTokenProviderOptions): TokenProvider {
  const isNaaSupported = options.isNaaSupported ?? isNestedAppAuthSupported;
  const createApplication =
    options.createApplication ??
    (() =>
      createNestablePublicClientApplication({
        auth: { clientId: options.clientId, authority: options.authority },
      }));
  let application: Promise<IPublicClientApplication> | null = null;

  const viaDialog = async (scopes: string[], claims?: string): Promise<string> => {
    if (!options.dialogFallback) {
      throw new AppError(
        "office-unsupported",
        "Neither nested app authentication nor the Office dialog is available",
      );
    }
    return options.dialogFallback(scopes, claims);
  };

  const signInFailed = (cause: unknown): AppError =>
    AppError.is(cause)
      ? cause
      : new AppError("sign-in-failed", "Sign-in failed", {
          cause,
          details: { errorCode: cause instanceof BrowserAuthError ? cause.errorCode : undefined },
        });

  return {
    async getToken(resource, callOptions) {
      const scopes = scopesFor(resource, options.crmScope);
      const claims = callOptions?.claims;
      if (!isNaaSupported()) return viaDialog(scopes, claims);
      application ??= createApplication().catch((cause: unknown) => {
        application = null;
        throw signInFailed(cause);
      });
      const pca = await application;
      const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
      try {
        const result = await pca.acquireTokenSilent({ scopes, claims, ...(account ? { account } : {}) });
        return result.accessToken;
      } catch (silentError) {
        if (
          !(silentError instanceof InteractionRequiredAuthError) &&
          !(silentError instanceof BrowserAuthError)
        ) {
          throw signInFailed(silentError);
        }
      }
      try {
        const result = await pca.acquireTokenPopup({ scopes, claims });
        if (result.account) pca.setActiveAccount(result.account);
        return result.accessToken;
      } catch (popupError) {
        if (popupError instanceof BrowserAuthError && POPUP_BLOCKED_CODES.has(popupError.errorCode)) {
          return viaDialog(scopes, claims);
        }
        if (popupError instanceof BrowserAuthError && popupError.errorCode === "user_cancelled") {
          throw new AppError("interaction-required", "Sign-in was cancelled", { cause: popupError });
        }
        throw signInFailed(popupError);
      }
    },
  };
}
