/** The claims challenge of a 401, shared by the CRM and Graph adapters. */
/**
 * Parses the claims challenge of a 401 (`WWW-Authenticate: Bearer ..., claims="<base64>"`).
 * Returns the decoded claims JSON string, or undefined when there is none.
 *
 * @example
 *   claimsFromChallenge('Bearer error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="')
 *   // '{"access_token":{}}'
 */
export function claimsFromChallenge(header: string | null | undefined): string | undefined {
  const match = /claims="([^"]+)"/i.exec(header ?? "");
  if (!match?.[1]) return undefined;
  try {
    return atob(match[1]);
  } catch {
    return undefined; // not base64: treat as no usable challenge, the caller reports the 401 as is
  }
}
