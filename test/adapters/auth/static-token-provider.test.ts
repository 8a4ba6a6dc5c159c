import { createStaticTokenProvider } from "../../../src/adapters/auth/static-token-provider";
import { AppError } from "../../../src/core/errors";

describe("static token provider", () => {
  it("returns the configured token per resource", async () => {
    const tokens = createStaticTokenProvider({ crm: "crm-token", graph: "graph-token" });
    await expect(tokens.getToken("crm")).resolves.toBe("crm-token");
    await expect(tokens.getToken("graph")).resolves.toBe("graph-token");
  });

  it("rejects with AppErrors for a missing token or a cancelled request", async () => {
    const tokens = createStaticTokenProvider({ crm: "", graph: "g" });
    const missing = await tokens.getToken("crm").catch((e: unknown) => e);
    expect(AppError.is(missing, "config-invalid")).toBe(true);
    const controller = new AbortController();
    controller.abort();
    const cancelled = await tokens.getToken("graph", { signal: controller.signal }).catch((e: unknown) => e);
    expect(AppError.is(cancelled, "cancelled")).toBe(true);
  });
});
