/**
 * `npm run test:contract -- --base-url <url> --token <t>`: runs the CRM contract suite
 * (test/contract/suite.ts) with jest against any implementation of contract v1. The output ends
 * with jest's pass/fail counts; the exit code is non-zero when a test failed.
 *
 * @example
 *   npm run test:contract -- --base-url http://127.0.0.1:4000/api/v1 --token s3cret
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { "base-url": { type: "string" }, token: { type: "string" } },
  strict: true,
});
const baseUrl = values["base-url"];
const token = values.token ?? process.env.CRM_CONTRACT_TOKEN;
if (baseUrl === undefined || token === undefined) {
  process.stderr.write(
    "usage: npm run test:contract -- --base-url <url ending in /api/v1> --token <token>\n",
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
  testMatch: ["<rootDir>/test/contract/remote.contract.ts"],
  transform: { "^.+\\.(t|j)sx?$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  moduleFileExtensions: ["ts", "tsx", "js", "mjs", "json"],
};
const child = spawn(
  process.execPath,
  [require.resolve("jest/bin/jest"), "--config", JSON.stringify(config), "--runInBand", "--verbose"],
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, CRM_CONTRACT_BASE_URL: baseUrl, CRM_CONTRACT_TOKEN: token },
  },
);
child.on("exit", (code, signal) => {
  const failed = code !== 0 || signal !== null;
  process.stdout.write(`\nCRM contract suite against ${baseUrl}: ${failed ? "FAILED" : "PASSED"}\n`);
  process.exit(code ?? 1);
});
