/**
 * `TokenProvider` with fixed tokens, for local use against the reference CRM server and the Graph
 * emulator (auth mode "static"). Real Microsoft 365 sign-in uses the MSAL provider instead.
 *
 * @example
 *   const tokens = createStaticTokenProvider({ crm: "demo-token", graph: "demo-graph-token" });
 *   await tokens.getToken("graph"); // "demo-graph-token"
 */
import { AppError } from "../../core/errors";
import type { TokenProvider, TokenResource } from "../../core/ports";

export interface StaticTokens {
  crm: string;
  graph: string;
}

export function createStaticTokenProvider(tokens: StaticTokens): TokenProvider {
  return {
    getToken(resource: TokenResource, options?: { claims?: string; signal?: AbortSignal }): Promise<string> {
      if (options?.signal?.aborted)
        return Promise.reject(new AppError("cancelled", "Token request cancelled."));
      const token = resource === "graph" ? tokens.graph : tokens.crm;
      if (!token)
        return Promise.reject(new AppError("config-invalid", `No static token configured for ${resource}.`));
      return Promise.resolve(token);
    },
  };
}
