/** Pure helpers of the CRM adapter: Retry-After parsing, claims challenges, problem mapping. */
import { claimsFromChallenge } from "../../../src/adapters/auth/claims-challenge";
import { parseRetryAfter, problemToAppError } from "../../../src/adapters/crm/crm-errors";

describe("parseRetryAfter", () => {
  test("delta seconds, HTTP dates and garbage", () => {
    expect(parseRetryAfter("7")).toBe(7);
    const now = Date.parse("2026-01-01T10:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 10:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("Thu, 01 Jan 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe("claimsFromChallenge", () => {
  test("extracts the claims of a Bearer challenge", () => {
    expect(
      claimsFromChallenge('Bearer realm="crm", error="insufficient_claims", claims="eyJ4Ijp7fX0="'),
    ).toBe('{"x":{}}'); // decoded: MSAL takes the claims JSON
    expect(claimsFromChallenge('Bearer realm="crm", error="invalid_token"')).toBeUndefined();
    expect(claimsFromChallenge(undefined)).toBeUndefined();
  });
});

describe("problemToAppError", () => {
  test.each([
    [400, "validation"],
    [401, "unauthorized"],
    [403, "forbidden"],
    [404, "not-found"],
    [409, "conflict"],
    [422, "conflict"],
    [412, "precondition-failed"],
    [428, "precondition-failed"],
    [413, "payload-too-large"],
    [415, "photo-invalid"],
    [429, "throttled"],
    [500, "server"],
    [503, "server"],
    [418, "unknown"],
  ])("HTTP %i -> %s", (status, code) => {
    expect(problemToAppError(status, { title: "t" }, null).code).toBe(code);
  });

  test("keeps detail, field and Retry-After; tolerates non-problem bodies", () => {
    const error = problemToAppError(
      400,
      {
        title: "Invalid request",
        detail: "lastName: required",
        errors: [{ field: "lastName", message: "required" }],
      },
      null,
    );
    expect(error).toMatchObject({ message: "lastName: required", field: "lastName", status: 400 });
    expect(problemToAppError(429, "<html/>", "12")).toMatchObject({
      code: "throttled",
      retryAfterSeconds: 12,
    });
  });
});
