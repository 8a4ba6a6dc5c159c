/**
 * The production build as an admin deploys it: built here into a temp folder with a production
 * URL, then read file by file. No localhost, no static token, no secret, no source map; the
 * manifest and config point at the given URLs; the pages carry the Content-Security-Policy.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "../../src/core/config";

const ADDIN_URL = "https://addin.contoso.example/crm-replication";
const CRM_BASE_URL = "https://crm.contoso.example/api/v1";
let outDir: string;
let files: Record<string, string>;

beforeAll(() => {
  outDir = mkdtempSync(path.join(os.tmpdir(), "prod-build-"));
  execFileSync(
    process.execPath,
    [require.resolve("webpack-cli/bin/cli.js"), "--mode", "production", "--output-path", outDir],
    { env: { ...process.env, ADDIN_URL, CRM_BASE_URL }, stdio: "pipe" },
  );
  files = {};
  for (const name of readdirSync(outDir, { recursive: true }) as string[]) {
    if (/\.(js|html|json|xml|txt|map)$/.test(name))
      files[name] = readFileSync(path.join(outDir, name), "utf8");
  }
}, 180_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("production build", () => {
  it("emits hashed bundles and no source maps", () => {
    const names = Object.keys(files);
    expect(names.some((name) => /^taskpane\.[0-9a-f]{8}\.js$/.test(name))).toBe(true);
    expect(names.some((name) => /^dialog\.[0-9a-f]{8}\.js$/.test(name))).toBe(true);
    expect(names.filter((name) => name.endsWith(".map"))).toEqual([]);
    expect(Object.values(files).some((text) => text.includes("sourceMappingURL"))).toBe(false);
  });

  it("has no localhost anywhere in the manifest, config and pages", () => {
    for (const name of ["manifest.xml", "config.json", "taskpane.html", "dialog.html"]) {
      expect(files[name]).toBeDefined();
      expect(files[name]).not.toMatch(/localhost|127\.0\.0\.1/i);
    }
  });

  it("has no dev-server URL in the bundles", () => {
    // Libraries keep generic fallbacks such as axios' `window.location.href || "http://localhost"`;
    // what must never ship is an address with a port (our dev host, the stand-ins).
    for (const [name, text] of Object.entries(files)) {
      expect([name, text.match(/(localhost|127\.0\.0\.1):\d+/)?.[0]]).toEqual([name, undefined]);
    }
  });

  it("contains no static token and no secret", () => {
    const config = JSON.parse(files["config.json"] ?? "{}") as { auth?: { mode?: string } };
    expect(config.auth?.mode).toBe("entra");
    for (const [name, text] of Object.entries(files)) {
      expect([name, /"mode"\s*:\s*"static"/.test(name.endsWith(".json") ? text : "")]).toEqual([name, false]);
      expect([name, /client[_-]?secret\s*[:=]\s*["'][^"']+/i.test(text)]).toEqual([name, false]);
      expect([name, /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)]).toEqual([name, false]);
      expect([name, /Bearer [A-Za-z0-9._~+/-]{20,}/.test(text)]).toEqual([name, false]);
    }
  });

  it("points the manifest and config at the production URL and CRM", () => {
    const manifest = files["manifest.xml"] ?? "";
    const urls = [...manifest.matchAll(/DefaultValue="(https?:\/\/[^"]+)"/g)].map((match) => match[1] ?? "");
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls.filter((u) => !u.startsWith("https://aka.ms"))) {
      expect(url.startsWith(`${ADDIN_URL}/`)).toBe(true);
    }
    const parsed = parseConfig(JSON.parse(files["config.json"] ?? "{}"));
    expect(parsed.ok && parsed.config.crmBaseUrl).toBe(CRM_BASE_URL);
    expect(parsed.ok && parsed.config.supportUrl?.startsWith(ADDIN_URL)).toBe(true);
  });

  it("loads office.js from Microsoft's CDN and sets a Content-Security-Policy on every page", () => {
    for (const page of ["taskpane.html", "dialog.html"]) {
      expect(files[page] ?? "").toContain('src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"');
    }
    for (const page of ["taskpane.html", "dialog.html", "support.html"]) {
      const html = files[page] ?? "";
      const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? "";
      const directive = (name: string) =>
        csp
          .split(";")
          .map((d) => d.trim().split(" "))
          .find(([n]) => n === name)
          ?.slice(1) ?? [];
      expect([page, directive("script-src")]).toEqual([
        page,
        expect.arrayContaining([
          "'self'",
          "https://appsforoffice.microsoft.com",
          "https://ajax.aspnetcdn.com",
        ]),
      ]);
      expect([page, directive("connect-src")]).toEqual([
        page,
        expect.arrayContaining([
          "'self'",
          "https://login.microsoftonline.com",
          "https://graph.microsoft.com",
          "https://crm.contoso.example",
        ]),
      ]);
      expect(csp).not.toContain("unsafe-eval");
      expect(csp).toContain("object-src 'none'");
    }
  });

  it("gives the support page the same Content-Security-Policy as the other pages", () => {
    const cspOf = (page: string) =>
      /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(files[page] ?? "")?.[1];
    expect(files["support.html"]).toContain("<h1>CRM Contact Replication</h1>");
    expect(cspOf("support.html")).toBeDefined();
    expect(cspOf("support.html")).toBe(cspOf("taskpane.html"));
  });
});
