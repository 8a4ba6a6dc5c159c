// One closing line for the whole `npm test` run, from Jest's JSON reports:
// "Tests: N passed, N failed" (a plain line CI can read; Jest prints one per invocation).
//   node scripts/test-summary.mjs --reset          creates .tmp/ and removes old reports
//   node scripts/test-summary.mjs a.json b.json    sums the reports and prints the line
import { mkdirSync, readFileSync, rmSync } from "node:fs";

const args = process.argv.slice(2);
if (args[0] === "--reset") {
  mkdirSync(".tmp", { recursive: true });
  for (const name of ["jest-main.json", "jest-e2e.json"]) rmSync(`.tmp/${name}`, { force: true });
} else {
  let passed = 0;
  let failed = 0;
  for (const file of args) {
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
  }
  process.stdout.write(`Tests: ${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}
