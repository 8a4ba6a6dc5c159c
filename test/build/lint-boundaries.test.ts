/**
 * The layer rule of DESIGN.md section 3, proven with ESLint itself: code under src/core that
 * imports React, Office.js, axios, MSAL, the Graph client or an adapter fails the lint.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "../..");

/** [name, file the snippet pretends to be, code, rule expected (null = no problem at all)] */
const cases: [string, string, string, string | null][] = [
  ["core: React", "src/core/probe.ts", 'import "react";', "no-restricted-imports"],
  [
    "core: axios",
    "src/core/probe.ts",
    'import axios from "axios";\nexport { axios };',
    "no-restricted-imports",
  ],
  [
    "core: MSAL",
    "src/core/probe.ts",
    'export { PublicClientApplication } from "@azure/msal-browser";',
    "no-restricted-imports",
  ],
  [
    "core: Graph client",
    "src/core/probe.ts",
    'export { Client } from "@microsoft/microsoft-graph-client";',
    "no-restricted-imports",
  ],
  [
    "core: Fluent UI",
    "src/core/probe.ts",
    'export { Button } from "@fluentui/react-components";',
    "no-restricted-imports",
  ],
  [
    "core: an adapter",
    "src/core/probe.ts",
    'export { createCrmClient } from "../adapters/crm/crm-client";',
    "no-restricted-imports",
  ],
  ["core: the UI", "src/core/probe.ts", 'export { App } from "../taskpane/App";', "no-restricted-imports"],
  ["core: Node I/O", "src/core/probe.ts", 'export { readFileSync } from "node:fs";', "no-restricted-imports"],
  [
    "core: the Office global",
    "src/core/probe.ts",
    "export const host = Office.context;",
    "no-restricted-globals",
  ],
  ["core: fetch", "src/core/probe.ts", 'export const r = fetch("x");', "no-restricted-globals"],
  [
    "service: the UI",
    "service/probe.ts",
    'export { App } from "../src/taskpane/App";',
    "no-restricted-imports",
  ],
  ["service: console", "service/probe.ts", 'console.log("x");', "no-console"],
  [
    "adapters: the UI",
    "src/adapters/crm/probe.ts",
    'export { App } from "../../taskpane/App";',
    "no-restricted-imports",
  ],
  [
    "app: an adapter",
    "src/app/probe.ts",
    'export { createCrmClient } from "../adapters/crm/crm-client";',
    "no-restricted-imports",
  ],
  ["ui: confirm()", "src/taskpane/probe.ts", 'export const ok = confirm("sure?");', "no-restricted-globals"],
  ["ui: console.log", "src/taskpane/probe.ts", 'console.log("x");\nexport {};', "no-console"],
  [
    "core: pure imports pass",
    "src/core/probe.ts",
    'export { z } from "zod";\nexport { normalizeEmail } from "./normalize";',
    null,
  ],
];

// ESLint loads eslint.config.mjs with a dynamic import, which Jest's VM cannot do: lint all
// snippets once in a plain Node child process through ESLint's API (the config `npx eslint .` uses).
const linter = `
import { ESLint } from "eslint";
import path from "node:path";
const cases = JSON.parse(process.argv[1]);
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const [, file, code] of cases) {
  const [result] = await eslint.lintText(code + "\\n", { filePath: path.join(process.cwd(), file) });
  out.push(result.messages.map((m) => m.ruleId ?? m.message));
}
process.stdout.write(JSON.stringify(out));
`;

let results: string[][] = [];

beforeAll(() => {
  const stdout = execFileSync(
    process.execPath,
    ["--input-type=module", "-e", linter, JSON.stringify(cases)],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  results = JSON.parse(stdout) as string[][];
}, 120_000);

describe("layer boundaries", () => {
  it.each(cases.map((c, index) => [c[0], c[3], index] as const))("%s -> %s", (_name, expected, index) => {
    const ruleIds = results[index] ?? ["(not linted)"];
    if (expected === null) expect(ruleIds).toEqual([]);
    else expect(ruleIds).toContain(expected);
  });
});
