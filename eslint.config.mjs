// Lint rules, including the layer boundaries of DESIGN.md section 3:
//   taskpane -> app -> core, taskpane -> adapters -> core; core imports nothing with I/O.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

const ioPackages = [
  {
    group: ["react", "react-dom", "react/*", "react-dom/*", "@fluentui/*", "react-i18next", "@tanstack/*"],
    message: "src/core is pure: no React/UI imports.",
  },
  { group: ["axios", "axios/*"], message: "src/core is pure: no HTTP imports." },
  { group: ["@azure/msal-*", "@azure/*"], message: "src/core is pure: no MSAL imports." },
  {
    group: ["@microsoft/microsoft-graph-client", "@microsoft/microsoft-graph-client/*"],
    message: "src/core is pure: no Graph client imports.",
  },
  {
    group: ["@microsoft/office-js", "office-js", "office-ui-fabric-*"],
    message: "src/core is pure: no Office.js imports.",
  },
  {
    group: ["node:*", "fs", "http", "https", "net", "child_process"],
    message: "src/core is pure: no Node I/O.",
  },
];

export default tseslint.config(
  { ignores: ["dist/**", "coverage/**", "node_modules/**", ".tmp/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // CommonJS tool configs (webpack.config.js, jest.config.js) load their plugins with require().
  { files: ["*.config.js"], rules: { "@typescript-eslint/no-require-imports": "off" } },
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-empty": ["error", { allowEmptyCatch: false }],
      "no-throw-literal": "error",
      "no-restricted-globals": ["error", "alert", "confirm", "prompt"],
      "no-restricted-properties": [
        "error",
        { object: "window", property: "alert" },
        { object: "window", property: "confirm" },
        { object: "window", property: "prompt" },
      ],
    },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "no-console": "error",
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
    },
  },
  {
    files: ["src/core/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...ioPackages,
            {
              group: ["**/adapters/**", "**/taskpane/**", "**/app/**"],
              message: "src/core must not import adapters, app or UI.",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        "alert",
        "confirm",
        "prompt",
        "fetch",
        "XMLHttpRequest",
        "localStorage",
        "Office",
        "window",
        "document",
      ],
    },
  },
  {
    files: ["src/app/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...ioPackages.slice(0, 1),
            {
              group: ["**/adapters/**", "**/taskpane/**"],
              message: "src/app runs plans through ports only: no adapters or UI.",
            },
          ],
        },
      ],
    },
  },
  {
    // The sync service: a program of its own over src/core + src/app + src/adapters; never the UI or tests.
    files: ["service/**/*.ts"],
    rules: {
      "no-console": "error",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/taskpane/**", "**/test/**", "react", "react-dom", "@fluentui/*"],
              message: "The service uses core, app and adapters only: no UI or test code.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/adapters/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/taskpane/**", "**/app/**"],
              message: "Adapters implement ports; they never import the UI or app services.",
            },
          ],
        },
      ],
    },
  },
);
