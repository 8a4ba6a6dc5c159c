/**
 * `npm run test:graph-conformance -- --base-url <…/v1.0> --token <delegated token> [--insecure]`:
 * runs the Graph conformance suite (test/graph-conformance/suite.ts) with jest against a real
 * tenant's test mailbox (or the emulator; `--insecure` accepts its self-signed certificate). It
 * prints which FIDELITY.md assumptions held; the exit code is non-zero when a relied-on one did not.
 *
 * @example
 *   npm run test:graph-conformance -- --base-url https://graph.microsoft.com/v1.0 --token eyJ0eXAi…
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { "base-url": { type: "string" }, token: { type: "string" }, insecure: { type: "boolean" } },
  strict: true,
});
const baseUrl = values["base-url"];
const token = values.token ?? process.env.GRAPH_CONFORMANCE_TOKEN;
if (baseUrl === undefined || token === undefined) {
  process.stderr.write(
    "usage: npm run test:graph-conformance -- --base-url <url ending in /v1.0> --token <token>\n",
  );
  process.exit(2);
}
try {
  new URL(baseUrl);
} catch {
  process.stderr.write(`--base-url is not a URL: ${baseUrl}\n`);
  process.exit(2);
}

const root = path.resolve(__dirname, "../..");
const config = {
  rootDir: root,
  testEnvironment: "node",
  testMatch: ["<rootDir>/test/graph-conformance/remote.conformance.ts"],
  transform: { "^.+\\.(t|j)sx?$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  moduleFileExtensions: ["ts", "tsx", "js", "mjs", "json"],
};
const child = spawn(
  process.execPath,
  [require.resolve("jest/bin/jest"), "--config", JSON.stringify(config), "--runInBand", "--verbose"],
  {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      GRAPH_CONFORMANCE_BASE_URL: baseUrl,
      GRAPH_CONFORMANCE_TOKEN: token,
      GRAPH_CONFORMANCE_INSECURE: values.insecure ? "1" : "0",
    },
  },
);
child.on("exit", (code, signal) => {
  const failed = code !== 0 || signal !== null;
  process.stdout.write(`\nGraph conformance suite against ${baseUrl}: ${failed ? "FAILED" : "PASSED"}\n`);
  process.exit(code ?? 1);
});
