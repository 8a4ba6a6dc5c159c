/**
 * `npm run start:outlook` builds what real Outlook can load: the development build with office.js
 * from Microsoft's CDN and no local copy of it (a local copy lacks the Outlook host scripts and the
 * NAA bridge), and the manifest pointing at https://localhost:3000.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

let outDir: string;

beforeAll(() => {
  outDir = mkdtempSync(path.join(os.tmpdir(), "outlook-build-"));
  execFileSync(
    process.execPath,
    [
      require.resolve("webpack-cli/bin/cli.js"),
      "--mode",
      "development",
      "--env",
      "outlook",
      "--output-path",
      outDir,
    ],
    { env: { ...process.env, ADDIN_URL: "" }, stdio: "pipe" },
  );
}, 180_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

test("loads office.js from the CDN on both pages and ships no local office.js", () => {
  for (const page of ["taskpane.html", "dialog.html"]) {
    const html = readFileSync(path.join(outDir, page), "utf8");
    expect(html).toContain('src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"');
    expect(html).not.toContain("office-js/office.js");
  }
  expect(existsSync(path.join(outDir, "office-js"))).toBe(false);
});

test("has a sideloadable manifest on https://localhost:3000", () => {
  const manifest = readFileSync(path.join(outDir, "manifest.xml"), "utf8");
  expect(manifest).toContain('<SourceLocation DefaultValue="https://localhost:3000/taskpane.html" />');
  expect(manifest).toContain('xsi:type="MobileMessageReadCommandSurface"');
});
