/** Runs the contract suite against the reference CRM server (port 0, in-memory, demo seed). */
import { startCrmServer, type CrmServerHandle } from "../servers/crm/server";
import { contractSuite } from "./suite";

jest.setTimeout(30_000);

let server: CrmServerHandle | undefined;

beforeAll(async () => {
  server = await startCrmServer({ port: 0, db: ":memory:", seed: "demo" });
});

afterAll(async () => {
  await server?.close();
});

describe("CRM contract v1 against the reference server", () => {
  contractSuite(() => {
    if (server === undefined) throw new Error("reference server not started");
    return { baseUrl: server.url, token: server.token };
  });
});
