/**
 * Entra-style JWT validation for the reference CRM server, so the real sign-in path is testable
 * here with locally signed tokens: signature against a JWKS (URL or file/object), issuer,
 * audience, expiry (60 s clock tolerance), and optionally a required delegated scope (`scp`).
 * The user is `preferred_username`, else `upn`, else `oid`.
 *
 * @example
 *   const verify = createJwtVerifier({ issuer, audience: "api://crm", jwks: { keys: [publicJwk] } });
 *   await verify(token); // { userId: "anna@contoso.com" } or null
 */
import { readFileSync } from "node:fs";
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet } from "jose";

export interface JwtVerifierOptions {
  issuer: string | string[];
  audience: string | string[];
  /** A JWKS object, a path to a JWKS JSON file, or an https URL serving it. */
  jwks: JSONWebKeySet | string;
  /** When set, the token's `scp` must contain it. */
  requiredScope?: string;
}

export type VerifiedUser = { userId: string };

export function createJwtVerifier(
  options: JwtVerifierOptions,
): (token: string) => Promise<VerifiedUser | null> {
  const keySet =
    typeof options.jwks === "string"
      ? /^https?:\/\//.test(options.jwks)
        ? createRemoteJWKSet(new URL(options.jwks))
        : createLocalJWKSet(JSON.parse(readFileSync(options.jwks, "utf8")) as JSONWebKeySet)
      : createLocalJWKSet(options.jwks);
  return async (token) => {
    if (token.split(".").length !== 3) return null;
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: 60,
        requiredClaims: ["exp"],
      });
      if (options.requiredScope) {
        const scopes = typeof payload.scp === "string" ? payload.scp.split(" ") : [];
        if (!scopes.includes(options.requiredScope)) return null;
      }
      const userId = [payload.preferred_username, payload.upn, payload.oid].find(
        (value): value is string => typeof value === "string" && value.length > 0,
      );
      return userId ? { userId } : null;
    } catch {
      return null; // any verification failure (signature, expiry, audience, issuer) is a 401, nothing more
    }
  };
}
