// Four projects: core (pure, node), ui (jsdom), integration (real HTTP to the stand-ins), e2e
// (headless Chromium against the built pane). `npm test` runs all four after tsc and eslint.
const esmPackages = [
  "jose",
  "msw",
  "@mswjs",
  "until-async",
  "headers-polyfill",
  "outvariant",
  "strict-event-emitter",
  "is-node-process",
  "@bundled-es-modules",
  "rettime",
];
const transform = {
  "^.+\\.(t|j)sx?$": [
    "@swc/jest",
    { jsc: { transform: { react: { runtime: "automatic" } }, target: "es2022" } },
  ],
  "^.+\\.mjs$": ["@swc/jest"],
};
const transformIgnorePatterns = [`node_modules/(?!(?:.*/)?(?:${esmPackages.join("|")})/)`];
const base = { transform, transformIgnorePatterns, moduleFileExtensions: ["ts", "tsx", "js", "mjs", "json"] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...base,
      displayName: "core",
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/core/**/*.test.ts"],
    },
    {
      ...base,
      displayName: "ui",
      testEnvironment: "jest-fixed-jsdom",
      testMatch: [
        "<rootDir>/test/taskpane/**/*.test.{ts,tsx}",
        "<rootDir>/test/adapters/office/**/*.test.{ts,tsx}",
        "<rootDir>/test/adapters/preview/**/*.test.{ts,tsx}",
        "<rootDir>/test/adapters/auth/**/*.test.{ts,tsx}",
        "<rootDir>/test/adapters/browser/**/*.test.{ts,tsx}",
      ],
      setupFilesAfterEnv: ["<rootDir>/test/support/setup-ui.ts"],
    },
    {
      ...base,
      displayName: "integration",
      testEnvironment: "node",
      testMatch: [
        "<rootDir>/test/adapters/{crm,graph}/**/*.test.ts",
        "<rootDir>/test/servers/**/*.test.ts",
        "<rootDir>/test/app/**/*.test.ts",
        "<rootDir>/test/contract/**/*.test.ts",
        "<rootDir>/test/service/**/*.test.ts",
        "<rootDir>/test/graph-conformance/**/*.test.ts",
      ],
    },
    {
      ...base,
      displayName: "e2e",
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts", "<rootDir>/test/build/**/*.test.ts"],
    },
  ],
};
