/**
 * Validation of the Entra ID access tokens the service API accepts (the reference CRM's
 * verifier approach, with jose): signature against the tenant's JWKS, issuer, audience, expiry
 * (60 s tolerance). A user token must carry the delegated scope (`scp`); admin endpoints need
 * the app role (`roles`, for users assigned to it or a monitoring app). The mailbox of a user is
 * their object id (`oid`), which is what Graph's `/users/{id}` takes.
 *
 * @example
 *   const verify = createServiceTokenVerifier({ issuer, audience, jwks, scope: "Sync.ReadWrite", adminRole: "Sync.Admin" });
 *   await verify(token); // { oid, upn, hasScope: true, isAdmin: false } or null
 */
import { readFileSync } from "node:fs";
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet } from "jose";

export interface Caller {
  oid: string;
  upn: string | null;
  hasScope: boolean;
  isAdmin: boolean;
}

export interface VerifierOptions {
  issuer: string | string[];
  audience: string | string[];
  /** https URL of the JWKS or a local JSON file. */
  jwks: string | JSONWebKeySet;
  scope: string;
  adminRole: string;
}

export function createServiceTokenVerifier(
  options: VerifierOptions,
): (token: string) => Promise<Caller | null> {
  const keys =
    typeof options.jwks === "string"
      ? /^https?:\/\//.test(options.jwks)
        ? createRemoteJWKSet(new URL(options.jwks))
        : createLocalJWKSet(JSON.parse(readFileSync(options.jwks, "utf8")) as JSONWebKeySet)
      : createLocalJWKSet(options.jwks);
  return async (token) => {
    if (token.split(".").length !== 3) return null;
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: 60,
        requiredClaims: ["exp"],
      });
      const oid = typeof payload.oid === "string" && payload.oid.length > 0 ? payload.oid : null;
      if (!oid) return null;
      const scopes = typeof payload.scp === "string" ? payload.scp.split(" ") : [];
      const roles = Array.isArray(payload.roles)
        ? payload.roles.filter((r): r is string => typeof r === "string")
        : [];
      const upn = [payload.preferred_username, payload.upn].find(
        (v): v is string => typeof v === "string" && v.length > 0,
      );
      return {
        oid,
        upn: upn ?? null,
        hasScope: scopes.includes(options.scope),
        isAdmin: roles.includes(options.adminRole),
      };
    } catch {
      return null; // any failure (signature, expiry, audience, issuer) is a plain 401
    }
  };
}
