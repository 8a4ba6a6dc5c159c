// Build of the task pane. `webpack --mode production` is the deployable build (office.js from
// Microsoft's CDN, hashed names); `--mode development` and `--env e2e` serve a local copy of
// office.js from @microsoft/office-js so nothing needs the internet (TOOLCHAIN traps 2 and 7).
// ADDIN_URL (default https://localhost:3000) replaces that prefix in dist/manifest.xml and is the
// base of the support link in dist/config.json.
const path = require("node:path");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const CopyWebpackPlugin = require("copy-webpack-plugin");
// webpack's own minimizer plugin (a dependency of webpack 5.112), run with @swc/core instead of
// terser: the production build takes a few seconds instead of ~25 s.
const MinimizerPlugin = require("minimizer-webpack-plugin");
const { contentSecurityPolicy, cspMetaTag } = require("./scripts/content-security-policy");

const DEV_URL = "https://localhost:3000";
const OFFICE_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const officeDist = path.dirname(require.resolve("@microsoft/office-js/dist/office.js"));

/** office.js and what it loads outside Office (host mapping table, default-locale strings). */
const officeFiles = [
  "office.js",
  "o15apptofilemappingtable.js",
  "en-us/office_strings.js",
  "en-us/outlook_strings.js",
];

function addinUrl() {
  const raw = (process.env.ADDIN_URL || DEV_URL).replace(/\/+$/, "");
  const url = new URL(raw);
  if (url.protocol !== "https:") throw new Error(`ADDIN_URL must be https, got ${raw}`);
  return raw;
}

/** The CRM contract's base URL for production (CRM_BASE_URL; a placeholder the admin replaces otherwise). */
function crmBaseUrl() {
  const raw = process.env.CRM_BASE_URL || "https://crm.example.com/api/v1";
  if (new URL(raw).protocol !== "https:") throw new Error(`CRM_BASE_URL must be https, got ${raw}`);
  return raw.replace(/\/+$/, "");
}

/** Production config template: the admin replaces the placeholders (see README "Configuration"). */
function productionConfig(baseUrl) {
  return {
    crmBaseUrl: crmBaseUrl(),
    graphBaseUrl: "https://graph.microsoft.com/v1.0",
    auth: {
      mode: "entra",
      clientId: "00000000-0000-0000-0000-000000000000",
      authority: "https://login.microsoftonline.com/organizations",
      crmScope: "api://crm.example.com/Contacts.ReadWrite",
    },
    defaultPhoneRegion: "DE",
    defaults: {
      folderName: null,
      withdrawDeselected: true,
      conflictRule: "crm-wins",
      fieldDirections: {},
      syncOnOpen: true,
    },
    supportUrl: `${baseUrl}/support.html`,
  };
}

/** The production pages' Content-Security-Policy (scripts/content-security-policy.js). */
function pageCsp(localOffice) {
  return contentSecurityPolicy({ crmOrigin: new URL(crmBaseUrl()).origin, localOffice });
}

module.exports = (env = {}, argv = {}) => {
  const production = argv.mode === "production";
  // `--env outlook` (npm run start:outlook): a development build that loads office.js from the
  // CDN like production, so it can be sideloaded into real Outlook (host scripts, NAA bridge).
  const localOffice = production ? Boolean(env.e2e) : !env.outlook;
  const baseUrl = addinUrl();
  return {
    mode: production ? "production" : "development",
    // No source maps in production: nothing of the sources (or any value in them) is published.
    devtool: production ? false : "eval-cheap-module-source-map",
    entry: { taskpane: "./src/taskpane/index.tsx", dialog: "./src/dialog/dialog.ts" },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: production ? "[name].[contenthash:8].js" : "[name].js",
      chunkFilename: production ? "[name].[contenthash:8].js" : "[name].js",
      clean: true,
    },
    resolve: {
      extensions: [".tsx", ".ts", ".js", ".json"],
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: [
            // Griffel's build-time transform (after swc, on plain JS): our makeStyles calls become
            // precomputed __styles like Fluent's own, so the pane ships no CSS-in-JS compiler
            // (stylis, rtl-css-js) and computes no styles at start-up (README "Start-up").
            { loader: "@griffel/webpack-loader" },
            {
              loader: "swc-loader",
              options: {
                jsc: {
                  parser: { syntax: "typescript", tsx: true },
                  transform: { react: { runtime: "automatic", development: !production } },
                  target: "es2020",
                },
              },
            },
          ],
        },
      ],
    },
    performance: { hints: false },
    optimization: {
      // Code splitting (README "Start-up and bundle size"): views, language strings and MSAL are
      // chunks loaded on demand; code shared by several of them is split out once rather than
      // copied into each (webpack's default copies shared modules below 20 kB).
      splitChunks: { chunks: (chunk) => chunk.name !== "dialog", minSize: 2000 },
      minimizer: [
        new MinimizerPlugin({
          minify: MinimizerPlugin.swcMinify,
          minimizerOptions: { compress: true, mangle: true },
        }),
      ],
    },
    plugins: [
      new HtmlWebpackPlugin({
        template: "./src/taskpane/taskpane.html",
        filename: "taskpane.html",
        chunks: ["taskpane"],
        officeJs: localOffice ? "office-js/office.js" : OFFICE_CDN,
        csp: production ? pageCsp(localOffice) : null,
      }),
      new HtmlWebpackPlugin({
        template: "./src/dialog/dialog.html",
        filename: "dialog.html",
        chunks: ["dialog"],
        officeJs: localOffice ? "office-js/office.js" : OFFICE_CDN,
        csp: production ? pageCsp(localOffice) : null,
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*.png", to: "assets/[name][ext]" },
          {
            from: "src/taskpane/support.html",
            to: "support.html",
            // The same Content-Security-Policy as the other pages (the support page is static).
            transform: (content) =>
              production
                ? content
                    .toString()
                    .replace(
                      /<meta charset="utf-8" \/>/,
                      (m) => `${m}\n    ${cspMetaTag(pageCsp(localOffice))}`,
                    )
                : content,
          },
          {
            from: "manifest.xml",
            to: "manifest.xml",
            transform: (content) => content.toString().split(DEV_URL).join(baseUrl),
          },
          {
            from: "manifest.xml",
            to: "config.json",
            transform: () => `${JSON.stringify(productionConfig(baseUrl), null, 2)}\n`,
          },
          ...(localOffice
            ? officeFiles.map((file) => ({
                from: path.join(officeDist, file),
                to: `office-js/${file}`,
                info: { minimized: true },
              }))
            : []),
        ],
      }),
    ],
  };
};
