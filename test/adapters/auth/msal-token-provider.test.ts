/**
 * MSAL's behaviour is simulated at its public API (IPublicClientApplication): silent, popup and
 * the dialog fallback, with MSAL's own error classes.
 */
import {
  BrowserAuthError,
  InteractionRequiredAuthError,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import { claimsFromChallenge } from "../../../src/adapters/auth/claims-challenge";
import { createMsalTokenProvider, GRAPH_SCOPES } from "../../../src/adapters/auth/msal-token-provider";
import { AppError } from "../../../src/core/errors";

type Step = { token: string } | { error: Error };

function fakeApplication(silent: Step[], popup: Step[]) {
  const calls: { method: string; scopes: string[]; claims?: string }[] = [];
  const next = (queue: Step[], method: string) => async (request: { scopes: string[]; claims?: string }) => {
    calls.push({ method, scopes: request.scopes, claims: request.claims });
    const step = queue.shift();
    if (!step) throw new Error(`unexpected ${method}`);
    if ("error" in step) throw step.error;
    return { accessToken: step.token, account: { homeAccountId: "a" } };
  };
  const application = {
    getActiveAccount: () => null,
    getAllAccounts: () => [],
    setActiveAccount: jest.fn(),
    acquireTokenSilent: next(silent, "silent"),
    acquireTokenPopup: next(popup, "popup"),
  } as unknown as IPublicClientApplication; // only the public methods the provider uses are simulated
  return { application, calls };
}

const base = {
  clientId: "00000000-0000-0000-0000-000000000001",
  authority: "https://login.microsoftonline.com/organizations",
  crmScope: "api://crm/Contacts.ReadWrite",
};
const interactionRequired = () => new InteractionRequiredAuthError("interaction_required", "corr");
const popupBlocked = () => new BrowserAuthError("popup_window_error", "corr");

describe("createMsalTokenProvider", () => {
  it("returns the silent token with Graph's minimal scope", async () => {
    const { application, calls } = fakeApplication([{ token: "silent-token" }], []);
    const tokens = createMsalTokenProvider({
      ...base,
      createApplication: async () => application,
      isNaaSupported: () => true,
    });
    await expect(tokens.getToken("graph")).resolves.toBe("silent-token");
    expect(calls).toEqual([{ method: "silent", scopes: [...GRAPH_SCOPES], claims: undefined }]);
  });

  it("asks the CRM API scope from the config for CRM tokens", async () => {
    const { application, calls } = fakeApplication([{ token: "crm-token" }], []);
    const tokens = createMsalTokenProvider({
      ...base,
      createApplication: async () => application,
      isNaaSupported: () => true,
    });
    await tokens.getToken("crm");
    expect(calls[0]?.scopes).toEqual(["api://crm/Contacts.ReadWrite"]);
  });

  it("falls back to the popup when silent needs interaction", async () => {
    const { application, calls } = fakeApplication(
      [{ error: interactionRequired() }],
      [{ token: "popup-token" }],
    );
    const tokens = createMsalTokenProvider({
      ...base,
      createApplication: async () => application,
      isNaaSupported: () => true,
    });
    await expect(tokens.getToken("graph")).resolves.toBe("popup-token");
    expect(calls.map((c) => c.method)).toEqual(["silent", "popup"]);
  });

  it("falls back to the Office dialog when the popup is blocked", async () => {
    const { application } = fakeApplication([{ error: interactionRequired() }], [{ error: popupBlocked() }]);
    const dialog = jest.fn(async () => "dialog-token");
    const tokens = createMsalTokenProvider({
      ...base,
      createApplication: async () => application,
      isNaaSupported: () => true,
      dialogFallback: dialog,
    });
    await expect(tokens.getToken("graph")).resolves.toBe("dialog-token");
    expect(dialog).toHaveBeenCalledWith([...GRAPH_SCOPES], undefined);
  });

  it("uses the dialog directly when the host lacks NestedAppAuth 1.1", async () => {
    const createApplication = jest.fn();
    const dialog = jest.fn(async () => "dialog-token");
    const tokens = createMsalTokenProvider({
      ...base,
      createApplication,
      isNaaSupported: () => false,
      dialogFallback: dialog,
    });
    await expect(tokens.getToken("crm")).resolves.toBe("dialog-token");
    expect(createApplication).not.toHaveBeenCalled();
  });

  it("says clearly when neither NAA nor the dialog is available", async () => {
    const tokens = createMsalTokenProvider({ ...base, isNaaSupported: () => false });
    await expect(tokens.getToken("graph")).rejects.toMatchObject({ code: "office-unsupported" });
  });

  it("passes a claims challenge through to MSAL", async () => {
    const { application, calls } = fakeApplication([{ token: "t" }], []);
    const tokens = createMsalTokenProvider({
      ...base,
      createApplication: async () => application,
      isNaaSupported: () => true,
    });
    await tokens.getToken("graph", { claims: '{"access_token":{"acrs":{"essential":true}}}' });
    expect(calls[0]?.claims).toBe('{"access_token":{"acrs":{"essential":true}}}');
  });

  it("maps other failures to a sign-in AppError without leaking a token", async () => {
    const { application } = fakeApplication(
      [{ error: interactionRequired() }],
      [{ error: new BrowserAuthError("user_cancelled", "c") }],
    );
    const tokens = createMsalTokenProvider({
      ...base,
      createApplication: async () => application,
      isNaaSupported: () => true,
    });
    const error = await tokens.getToken("graph").catch((e: unknown) => e);
    expect(AppError.is(error, "interaction-required")).toBe(true);
  });
});

describe("claimsFromChallenge", () => {
  it.each([
    [
      'Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="',
      '{"access_token":{}}',
    ],
    ['Bearer error="invalid_token"', undefined],
    [null, undefined],
  ])("%s -> %s", (header, expected) => {
    expect(claimsFromChallenge(header)).toBe(expected);
  });
});
