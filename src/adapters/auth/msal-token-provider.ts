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
  AuthError,
  BrowserAuthError,
  ClientAuthError,
  createNestablePublicClientApplication,
  InteractionRequiredAuthError,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import { AppError } from "../../core/errors";
import type { TokenProvider, TokenResource } from "../../core/ports";

export const GRAPH_SCOPES = ["https://graph.microsoft.com/Contacts.ReadWrite"] as const;

/**
 * Declared client capabilities: "CP1" tells Entra ID that this client handles claims challenges,
 * so continuous access evaluation (CAE) is applied and its challenges are sent (Microsoft identity
 * platform: "Claims challenges, claims requests and client capabilities").
 */
export const CLIENT_CAPABILITIES = ["CP1"];

/** What to do after an MSAL error: try interactively, use the Office dialog, or give up. */
type Next = "interactive" | "dialog" | AppError;

/**
 * MSAL 5's error codes, by class. Under NAA MSAL maps the host bridge's answers to these
 * (webBrokerBridge/WebBrokerBridgeErrorMap): a user closing the sign-in window is
 * `ClientAuthError user_canceled`; in a popup it is `BrowserAuthError user_cancelled`.
 */
const CANCELLED = new Set(["user_canceled", "user_cancelled"]);
/** Popup errors after which the Office dialog is the way left to sign in. */
const POPUP_BLOCKED_CODES = new Set(["popup_window_error", "empty_window_error", "block_nested_popups"]);
/** The host's NAA bridge is off or missing: the dialog is the way to sign in. */
const BRIDGE_UNAVAILABLE = new Set(["nested_app_auth_bridge_disabled"]);
/** Silent failures that a sign-in with the user can fix. */
const NEEDS_USER = new Set(["no_account_found", "token_refresh_required", "no_account_in_silent_request"]);
const NO_NETWORK = new Set(["no_network_connectivity", "network_error"]);

/** Maps an MSAL failure (silent or interactive) to the next step. */
export function nextAfter(error: unknown, phase: "silent" | "interactive"): Next {
  if (AppError.is(error)) return error;
  const code = error instanceof AuthError ? error.errorCode : undefined;
  const details = { errorCode: code };
  if (code && CANCELLED.has(code))
    return new AppError("sign-in-cancelled", "Sign-in was cancelled", { cause: error, details });
  if (code && NO_NETWORK.has(code))
    return new AppError("network", "Sign-in could not reach Microsoft", { cause: error, details });
  if (code && BRIDGE_UNAVAILABLE.has(code)) return "dialog";
  if (phase === "interactive" && error instanceof BrowserAuthError && code && POPUP_BLOCKED_CODES.has(code))
    return "dialog";
  if (phase === "silent") {
    if (error instanceof InteractionRequiredAuthError || error instanceof BrowserAuthError)
      return "interactive";
    if (error instanceof ClientAuthError && code && NEEDS_USER.has(code)) return "interactive";
  }
  return new AppError("sign-in-failed", "Sign-in failed", { cause: error, details });
}

export interface MsalTokenProviderOptions {
  clientId: string;
  authority: string;
  /** The CRM API scope, e.g. "api://crm.example.com/Contacts.ReadWrite". */
  crmScope: string;
  /** MSAL's cache: "localStorage" when browser storage works, else "memoryStorage" (default). */
  cacheLocation?: "localStorage" | "memoryStorage";
  /** For tests: builds the MSAL application (default: NAA's createNestablePublicClientApplication). */
  createApplication?: () => Promise<IPublicClientApplication>;
  /** Whether the host supports NAA (default: Office requirement set NestedAppAuth 1.1). */
  isNaaSupported?: () => boolean;
  /** The Office dialog sign-in (default: none -> office-unsupported error). */
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
        auth: {
          clientId: options.clientId,
          authority: options.authority,
          clientCapabilities: CLIENT_CAPABILITIES,
        },
        cache: { cacheLocation: options.cacheLocation ?? "memoryStorage" },
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

  return {
    async getToken(resource, callOptions) {
      const scopes = scopesFor(resource, options.crmScope);
      const claims = callOptions?.claims;
      if (!isNaaSupported()) return viaDialog(scopes, claims);
      application ??= createApplication().catch((cause: unknown) => {
        application = null;
        const next = nextAfter(cause, "interactive");
        throw next === "dialog" || next === "interactive"
          ? new AppError("sign-in-failed", "Sign-in failed", { cause })
          : next;
      });
      const pca = await application;
      const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
      try {
        const result = await pca.acquireTokenSilent({ scopes, claims, ...(account ? { account } : {}) });
        return result.accessToken;
      } catch (silentError) {
        const next = nextAfter(silentError, "silent");
        if (next === "dialog") return viaDialog(scopes, claims);
        if (next !== "interactive") throw next;
      }
      try {
        const result = await pca.acquireTokenPopup({ scopes, claims });
        if (result.account) pca.setActiveAccount(result.account);
        return result.accessToken;
      } catch (popupError) {
        const next = nextAfter(popupError, "interactive");
        if (next === "dialog") return viaDialog(scopes, claims);
        throw next === "interactive"
          ? new AppError("sign-in-failed", "Sign-in failed", { cause: popupError })
          : next;
      }
    },
  };
}
