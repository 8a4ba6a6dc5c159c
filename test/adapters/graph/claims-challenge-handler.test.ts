/** The Graph claims-challenge middleware, driven through the middleware chain contract. */
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { ClaimsChallengeHandler } from "../../../src/adapters/graph/claims-challenge-handler";

function chain(responses: Response[], seenClaims: (string | undefined)[], handler: ClaimsChallengeHandler) {
  const next: Middleware = {
    execute: async (context: Context) => {
      seenClaims.push(handler.claimsForNextToken());
      context.response = responses.shift();
    },
  };
  handler.setNext(next);
}

const challenge = (status = 401) =>
  new Response(null, {
    status,
    headers: {
      "WWW-Authenticate": 'Bearer error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="',
    },
  });

describe("ClaimsChallengeHandler", () => {
  it.each([401, 403])("retries a claims challenge in a %i once with the decoded claims", async (status) => {
    const handler = new ClaimsChallengeHandler();
    const seen: (string | undefined)[] = [];
    chain([challenge(status), new Response("{}", { status: 200 })], seen, handler);
    const context: Context = { request: "https://graph/v1.0/me/contacts", options: {} };
    await handler.execute(context);
    expect(context.response?.status).toBe(200);
    expect(seen).toEqual([undefined, '{"access_token":{}}']);
    expect(handler.claimsForNextToken()).toBeUndefined();
  });

  it("does not loop when the retry is challenged again", async () => {
    const handler = new ClaimsChallengeHandler();
    const seen: (string | undefined)[] = [];
    chain([challenge(), challenge(), new Response("{}", { status: 200 })], seen, handler);
    const context: Context = { request: "https://graph/v1.0/me/contacts", options: {} };
    await handler.execute(context);
    expect(context.response?.status).toBe(401);
    expect(seen).toHaveLength(2);
  });

  it("leaves a plain 401 alone", async () => {
    const handler = new ClaimsChallengeHandler();
    const seen: (string | undefined)[] = [];
    chain([new Response(null, { status: 401 })], seen, handler);
    const context: Context = { request: "https://graph/v1.0/me/contacts", options: {} };
    await handler.execute(context);
    expect(seen).toHaveLength(1);
  });
});
