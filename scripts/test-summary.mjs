// Prints one closing line for the whole `npm test` run from Jest's JSON reports:
// "Tests: N passed, N failed" (a plain line CI can read; Jest prints one per invocation).
import { readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}
process.stdout.write(`Tests: ${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
