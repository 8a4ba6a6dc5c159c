/**
 * MSAL's behaviour is simulated at its public API (IPublicClientApplication): silent, popup and
 * the dialog fallback, with MSAL's own error classes.
 */
import {
  BrowserAuthError,
  ClientAuthError,
  InteractionRequiredAuthError,
  ServerError,
  type Configuration,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import { claimsFromChallenge } from "../../../src/adapters/auth/claims-challenge";
import { createMsalTokenProvider, GRAPH_SCOPES } from "../../../src/adapters/auth/msal-token-provider";

const configs: Configuration[] = [];
jest.mock("@azure/msal-browser", () => {
  const actual = jest.requireActual<typeof import("@azure/msal-browser")>("@azure/msal-browser");
  return {
    ...actual,
    // Records the configuration MSAL would get; the application itself is not needed here.
    createNestablePublicClientApplication: async (config: Configuration) => {
      configs.push(config);
      throw new actual.ClientAuthError("nested_app_auth_bridge_disabled", "corr");
    },
  };
});
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

  it.each([
    // MSAL 5 under NAA: the host bridge's USER_CANCEL arrives as ClientAuthError user_canceled.
    [
      "NAA: ClientAuthError user_canceled",
      () => new ClientAuthError("user_canceled", "c"),
      "sign-in-cancelled",
    ],
    [
      "popup: BrowserAuthError user_cancelled",
      () => new BrowserAuthError("user_cancelled", "c"),
      "sign-in-cancelled",
    ],
    ["no network", () => new ClientAuthError("no_network_connectivity", "c"), "network"],
    ["server error", () => new ServerError("invalid_grant", "AADSTS50076"), "sign-in-failed"],
  ])("maps %s after interaction to %s", async (_name, error, code) => {
    const { application } = fakeApplication([{ error: interactionRequired() }], [{ error: error() }]);
    const tokens = createMsalTokenProvider({
      ...base,
      createApplication: async () => application,
      isNaaSupported: () => true,
    });
    const failure = await tokens.getToken("graph").catch((e: unknown) => e);
    expect(AppError.is(failure, code as AppError["code"])).toBe(true);
    expect(String((failure as Error).message)).not.toMatch(/eyJ/);
  });

  it("reports a cancel during silent sign-in (NAA prompt closed) as cancelled, without a popup", async () => {
    const { application, calls } = fakeApplication(
      [{ error: new ClientAuthError("user_canceled", "c") }],
      [],
    );
    const tokens = createMsalTokenProvider({
      ...base,
      createApplication: async () => application,
      isNaaSupported: () => true,
    });
    await expect(tokens.getToken("crm")).rejects.toMatchObject({ code: "sign-in-cancelled" });
    expect(calls.map((c) => c.method)).toEqual(["silent"]);
  });

  it("uses the dialog when the host's NAA bridge is disabled", async () => {
    const { application } = fakeApplication(
      [{ error: new ClientAuthError("nested_app_auth_bridge_disabled", "c") }],
      [],
    );
    const dialog = jest.fn(async () => "dialog-token");
    const tokens = createMsalTokenProvider({
      ...base,
      createApplication: async () => application,
      isNaaSupported: () => true,
      dialogFallback: dialog,
    });
    await expect(tokens.getToken("graph")).resolves.toBe("dialog-token");
  });

  it("declares the CP1 client capability to MSAL so CAE claims challenges are sent", async () => {
    const tokens = createMsalTokenProvider({ ...base, isNaaSupported: () => true });
    await tokens.getToken("graph").catch((e: unknown) => e);
    expect(configs.at(-1)?.auth.clientCapabilities).toEqual(["CP1"]);
    expect(configs.at(-1)?.auth.clientId).toBe(base.clientId);
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
