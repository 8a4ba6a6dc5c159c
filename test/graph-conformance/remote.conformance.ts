/**
 * Entry of `npm run test:graph-conformance`: the conformance suite against the Graph endpoint named
 * by the environment (set by test/graph-conformance/cli.ts): GRAPH_CONFORMANCE_BASE_URL and
 * GRAPH_CONFORMANCE_TOKEN. Prints which assumptions held at the end.
 */
import { formatReport, graphConformanceSuite } from "./suite";

jest.setTimeout(120_000);

const baseUrl = (process.env.GRAPH_CONFORMANCE_BASE_URL ?? "").replace(/\/+$/, "");
const token = process.env.GRAPH_CONFORMANCE_TOKEN ?? "";
const insecure = process.env.GRAPH_CONFORMANCE_INSECURE === "1";

describe(`Graph conformance against ${baseUrl}`, () => {
  const suite = graphConformanceSuite(() => ({
    baseUrl,
    token,
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- only for a local emulator
    fetchOptions: insecure
      ? (
          require("../servers/graph/insecure-fetch") as typeof import("../servers/graph/insecure-fetch")
        ).insecureFetchOptions()
      : undefined,
  }));
  afterAll(() => {
    process.stdout.write(`\nWhich assumptions held (FIDELITY.md points):\n${formatReport(suite.report())}\n`);
  });
  it("ran", () => expect(baseUrl).not.toBe(""));
});
