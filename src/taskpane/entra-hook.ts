/**
 * HOOK(msal): where the Entra ID token provider plugs in for `auth.mode: "entra"`.
 * Until the MSAL provider (nested app authentication, popup/Office dialog fallback) is wired in
 * here, every token request fails with a translated "sign-in not available yet" AppError, and
 * the shell shows it at start-up.
 *
 * @example
 *   const tokens = createEntraTokenProvider(config.auth); // rejects with errors:sign-in-unavailable
 */
import type { AppConfig } from "../core/config";
import { AppError } from "../core/errors";
import type { TokenProvider } from "../core/ports";

export type EntraAuth = Extract<AppConfig["auth"], { mode: "entra" }>;

/** The error shown while Entra sign-in is not wired in. */
export function signInUnavailable(): AppError {
  return new AppError("sign-in-failed", "Entra ID sign-in is not available yet", {
    details: { i18nKey: "errors:sign-in-unavailable" },
  });
}

/** Whether sign-in works in this build; the composition root shows `signInUnavailable()` if not. */
export const entraSignInAvailable = false;

export function createEntraTokenProvider(_auth: EntraAuth): TokenProvider {
  return { getToken: () => Promise.reject(signInUnavailable()) };
}
