/**
 * Token verification of the reference CRM server, kept pluggable: the server only needs a
 * function from a bearer token to the user behind it. Today a static token (user "demo.user");
 * the auth work can add an Entra ID JWT verifier with the same signature.
 *
 * @example
 *   const verify = staticTokenVerifier("s3cret");
 *   verify("s3cret"); // { userId: "demo.user" }
 *   verify("other"); // null
 */
import { timingSafeEqual } from "node:crypto";

export interface TokenIdentity {
  userId: string;
}

/** Returns the identity behind a bearer token, or null when the token is not acceptable. */
export type TokenVerifier = (token: string) => TokenIdentity | null | Promise<TokenIdentity | null>;

export const DEMO_USER_ID = "demo.user";

/** Accepts exactly one static token (compared in constant time) as `userId`. */
export function staticTokenVerifier(expected: string, userId: string = DEMO_USER_ID): TokenVerifier {
  const expectedBytes = Buffer.from(expected, "utf8");
  return (token) => {
    const given = Buffer.from(token, "utf8");
    if (given.length !== expectedBytes.length) return null;
    return timingSafeEqual(given, expectedBytes) ? { userId } : null;
  };
}

/** Extracts the token of an `Authorization: Bearer <token>` header; null when absent/malformed. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
