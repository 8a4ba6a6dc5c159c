/**
 * The service's `TokenProvider`: app-only tokens by client credentials with a certificate
 * (MSAL Node `ConfidentialClientApplication`; tokens cached in memory and renewed by MSAL):
 * Graph with `https://graph.microsoft.com/.default` (application permission Contacts.ReadWrite,
 * scoped to the enrolled mailboxes by Exchange RBAC for Applications), the CRM with its
 * configured `.default` scope (the CRM service credentials). Local use against the stand-ins:
 * fixed tokens (config refuses them off localhost). Tokens never reach a log.
 *
 * @example
 *   const tokens = createAppTokenProvider(config);
 *   await tokens.getToken("graph");
 */
import { readFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { ConfidentialClientApplication } from "@azure/msal-node";
import { AppError } from "../../src/core/errors";
import type { TokenProvider } from "../../src/core/ports";
import type { ServiceConfig } from "../config";

const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

/** Reads a PEM holding the certificate and its private key into MSAL's certificate credential. */
export function certificateCredential(pem: string): {
  thumbprintSha256: string;
  privateKey: string;
  x5c: string;
} {
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const key = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(
    pem,
  )?.[0];
  if (!cert || !key)
    throw new AppError(
      "config-invalid",
      "certificatePath: the PEM must hold the certificate and its private key.",
    );
  const thumbprintSha256 = new X509Certificate(cert).fingerprint256.replace(/:/g, "");
  return { thumbprintSha256, privateKey: key, x5c: cert };
}

export function createAppTokenProvider(config: ServiceConfig): TokenProvider {
  let app: ConfidentialClientApplication | null = null;
  const msal = (): ConfidentialClientApplication => {
    if (app) return app;
    if (!config.certificatePath) throw new AppError("config-invalid", "certificatePath is not set.");
    let pem: string;
    try {
      pem = readFileSync(config.certificatePath, "utf8");
    } catch (error) {
      throw new AppError("config-invalid", "certificatePath could not be read.", { cause: error });
    }
    app = new ConfidentialClientApplication({
      auth: {
        clientId: config.clientId,
        authority: `https://login.microsoftonline.com/${config.tenantId}`,
        clientCertificate: certificateCredential(pem),
      },
    });
    return app;
  };
  return {
    async getToken(resource, options) {
      if (options?.signal?.aborted) throw new AppError("cancelled", "Token request cancelled.");
      const fixed = resource === "graph" ? config.staticGraphToken : config.staticCrmToken;
      if (fixed) return fixed;
      const scope = resource === "graph" ? GRAPH_SCOPE : config.crmScope;
      if (!scope) throw new AppError("config-invalid", `No scope configured for ${resource}.`);
      try {
        const result = await msal().acquireTokenByClientCredential({
          scopes: [scope],
          ...(options?.claims ? { claims: options.claims } : {}),
        });
        if (!result?.accessToken) throw new AppError("sign-in-failed", `No app-only token for ${resource}.`);
        return result.accessToken;
      } catch (error) {
        if (error instanceof AppError) throw error;
        // MSAL's message names the error code (e.g. AADSTS700027) but never the credential itself.
        throw new AppError(
          "unauthorized",
          `App-only sign-in for ${resource} failed: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    },
  };
}
