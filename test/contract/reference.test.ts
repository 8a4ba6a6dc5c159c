/**
 * Runs the contract suite against the reference CRM server (port 0, in-memory, demo seed), then
 * checks every recorded answer against the OpenAPI document (declared status, schema of the body).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { startCrmServer, type CrmServerHandle } from "../servers/crm/server";
import type { ContractExchange } from "./http";
import { conformanceProblems } from "./openapi-conformance";
import { contractSuite } from "./suite";

jest.setTimeout(30_000);

let server: CrmServerHandle | undefined;
const exchanges: ContractExchange[] = [];

beforeAll(async () => {
  server = await startCrmServer({ port: 0, db: ":memory:", seed: "demo" });
});

afterAll(async () => {
  await server?.close();
});

describe("CRM contract v1 against the reference server", () => {
  contractSuite(
    () => {
      if (server === undefined) throw new Error("reference server not started");
      return { baseUrl: server.url, token: server.token };
    },
    { onExchange: (exchange) => exchanges.push(exchange) },
  );
});

describe("OpenAPI conformance of the suite's traffic", () => {
  const spec = JSON.parse(
    readFileSync(path.resolve(__dirname, "../../openapi/crm-v1.json"), "utf8"),
  ) as Parameters<typeof conformanceProblems>[0];

  test("every status is declared and every body matches its schema", () => {
    expect(exchanges.length).toBeGreaterThan(150);
    expect(conformanceProblems(spec, exchanges)).toEqual([]);
  });

  test("the check itself reports an undeclared status and a body that breaks the schema", () => {
    const problems = conformanceProblems(spec, [
      { method: "GET", path: "/me", status: 418, contentType: "application/json", json: {}, bytes: 2 },
      {
        method: "GET",
        path: "/me",
        status: 200,
        contentType: "application/json",
        json: { user: 1 },
        bytes: 10,
      },
      {
        method: "GET",
        path: "/contact-persons/cp-1",
        status: 404,
        contentType: "application/problem+json",
        json: { title: "x" },
        bytes: 12,
      },
    ]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/status not declared/);
    expect(problems[1]).toMatch(/breaks the schema/);
    expect(problems[2]).toMatch(/breaks the schema/);
  });
});
