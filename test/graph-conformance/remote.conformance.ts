/**
 * Entry of `npm run test:graph-conformance`: the conformance suite against the Graph endpoint named
 * by the environment (set by test/graph-conformance/cli.ts): GRAPH_CONFORMANCE_BASE_URL and
 * GRAPH_CONFORMANCE_TOKEN. Prints which assumptions held at the end.
 */
import { insecureFetchOptions } from "../servers/graph/insecure-fetch";
import { formatReport, graphConformanceSuite } from "./suite";

jest.setTimeout(120_000);

const baseUrl = (process.env.GRAPH_CONFORMANCE_BASE_URL ?? "").replace(/\/+$/, "");
const token = process.env.GRAPH_CONFORMANCE_TOKEN ?? "";
const insecure = process.env.GRAPH_CONFORMANCE_INSECURE === "1";

describe(`Graph conformance against ${baseUrl}`, () => {
  const suite = graphConformanceSuite(() => ({
    baseUrl,
    token,
    fetchOptions: insecure ? insecureFetchOptions() : undefined, // --insecure: a local emulator
  }));
  afterAll(() => {
    process.stdout.write(`\nWhich assumptions held (FIDELITY.md points):\n${formatReport(suite.report())}\n`);
  });
  it("ran", () => expect(baseUrl).not.toBe(""));
});
