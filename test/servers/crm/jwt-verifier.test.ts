/** JWT validation of the reference CRM server with locally signed tokens. */
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { createJwtVerifier } from "./jwt-verifier";

const issuer = "https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0";
const audience = "api://crm.example.com";

let signingKey: CryptoKey;
let otherKey: CryptoKey;
let publicJwk: JWK;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  const other = await generateKeyPair("RS256");
  signingKey = pair.privateKey;
  otherKey = other.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256" };
});

async function token(
  overrides: { key?: CryptoKey; aud?: string; iss?: string; exp?: number; scp?: string } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ preferred_username: "anna@contoso.com", scp: overrides.scp ?? "Contacts.ReadWrite" })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(overrides.iss ?? issuer)
    .setAudience(overrides.aud ?? audience)
    .setIssuedAt(now - 60)
    .setExpirationTime(overrides.exp ?? now + 3600)
    .sign(overrides.key ?? signingKey);
}

describe("createJwtVerifier", () => {
  const verifier = () =>
    createJwtVerifier({ issuer, audience, jwks: { keys: [publicJwk] }, requiredScope: "Contacts.ReadWrite" });

  it("accepts a good token and names the user", async () => {
    await expect(verifier()(await token())).resolves.toEqual({ userId: "anna@contoso.com" });
  });

  it.each([
    ["expired", { exp: Math.floor(Date.now() / 1000) - 3600 }],
    ["wrong audience", { aud: "api://someone-else" }],
    ["wrong issuer", { iss: "https://evil.example.com" }],
    ["missing scope", { scp: "User.Read" }],
  ])("rejects a token that is %s", async (_name, overrides) => {
    await expect(verifier()(await token(overrides))).resolves.toBeNull();
  });

  it("rejects a badly signed token", async () => {
    await expect(verifier()(await token({ key: otherKey }))).resolves.toBeNull();
  });

  it.each(["", "not-a-jwt", "a.b.c"])("rejects garbage %p", async (garbage) => {
    await expect(verifier()(garbage)).resolves.toBeNull();
  });
});

describe("reference CRM server with JWT validation", () => {
  it("accepts a signed Entra-style token and the static token, and rejects bad tokens with 401", async () => {
    const { startCrmServer } = await import("./server");
    const server = await startCrmServer({
      seed: "none",
      token: "static-demo",
      jwt: { issuer, audience, jwks: { keys: [publicJwk] } },
    });
    try {
      const status = async (bearer: string) =>
        (await fetch(`${server.url}/business-partners`, { headers: { Authorization: `Bearer ${bearer}` } }))
          .status;
      expect(await status(await token())).toBe(200);
      expect(await status("static-demo")).toBe(200);
      expect(await status(await token({ aud: "api://other" }))).toBe(401);
      expect(await status(await token({ key: otherKey }))).toBe(401);
      expect(await status(await token({ exp: Math.floor(Date.now() / 1000) - 3600 }))).toBe(401);
    } finally {
      await server.close();
    }
  });
});
