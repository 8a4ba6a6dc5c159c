/**
 * Graph client middleware for the claims challenge (Conditional Access / continuous access
 * evaluation): a 401 (CAE) or 403 (conditional access; Graph errors page, FIDELITY 19) whose
 * `WWW-Authenticate` carries `claims="<base64>"` is retried once with a token requested for those
 * claims. Sits before the AuthenticationHandler, which then asks the
 * token provider again (and gets the claims through `claimsForNextToken`).
 *
 * @example
 *   const claims = new ClaimsChallengeHandler();
 *   const auth = { getAccessToken: () => tokens.getToken("graph", { claims: claims.claimsForNextToken() }) };
 *   Client.initWithMiddleware({ middleware: [claims, new AuthenticationHandler(auth), ...] });
 */
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { claimsFromChallenge } from "../auth/claims-challenge";

export class ClaimsChallengeHandler implements Middleware {
  private next: Middleware | undefined;
  private pendingClaims: string | undefined;

  setNext(next: Middleware): void {
    this.next = next;
  }

  /** The claims to request the next token with (undefined when there is no open challenge). */
  claimsForNextToken(): string | undefined {
    return this.pendingClaims;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) return;
    await this.next.execute(context);
    const response = context.response;
    if (response?.status !== 401 && response?.status !== 403) return;
    const claims = claimsFromChallenge(response.headers.get("WWW-Authenticate"));
    if (!claims) return;
    this.pendingClaims = claims;
    // The AuthenticationHandler appends its header: drop the old one, or the retry would carry both.
    dropAuthorization(context);
    try {
      await this.next.execute(context);
    } finally {
      this.pendingClaims = undefined;
    }
  }
}

function dropAuthorization(context: Context): void {
  if (typeof Request !== "undefined" && context.request instanceof Request)
    context.request.headers.delete("Authorization");
  const headers = context.options?.headers;
  if (!headers) return;
  if (headers instanceof Headers) headers.delete("Authorization");
  else if (Array.isArray(headers)) {
    const kept = headers.filter(([key]) => key.toLowerCase() !== "authorization");
    headers.splice(0, headers.length, ...kept);
  } else
    for (const key of Object.keys(headers))
      if (key.toLowerCase() === "authorization") delete (headers as Record<string, string>)[key];
}
