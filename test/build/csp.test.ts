/**
 * The Content-Security-Policy against what Outlook's office.js really loads: every URL literal in
 * office.js and the Outlook host scripts of @microsoft/office-js (Microsoft's copy of the CDN
 * files) is either admitted by the directive that governs it or listed below as a link that is
 * only shown, never loaded. A new office.js release that loads another host fails this test.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { contentSecurityPolicy, OFFICE_CDN_ORIGINS } from "../../scripts/content-security-policy";

const officeDist = path.dirname(require.resolve("@microsoft/office-js/dist/office.js"));

/** office.js, its mapping table, every Outlook host script and the telemetry it loads (no .debug). */
const scanned = [
  "office.js",
  "o15apptofilemappingtable.js",
  ...readdirSync(officeDist).filter((f) => /^outlook.*\.js$/.test(f) && !/debug/.test(f)),
  ...["telemetry", "ariatelemetry"].flatMap((dir) =>
    readdirSync(path.join(officeDist, dir))
      .filter((f) => f.endsWith(".js") && !/debug/.test(f))
      .map((f) => `${dir}/${f}`),
  ),
];

/** URLs that appear only as text (error messages, licence notes, help links), never as a load. */
const NOT_LOADED: Record<string, string> = {
  "http://go.microsoft.com/fwlink/": "help link in an error message",
  "https://support.microsoft.com/en-us/help/17479/windows-internet-explorer-11-change-security-privacy-settings":
    "help link shown to Internet Explorer users",
  "https://raw.githubusercontent.com/jakearchibald/es6-promise/master/LICENSE": "licence comment",
};

type Directive = "script-src" | "frame-src" | "connect-src";

function directiveFor(url: string): Directive | undefined {
  if (/\.js(\?|$)/.test(url)) return "script-src";
  if (/\.html?(\?|#|$)/.test(url)) return "frame-src";
  if (/\/Collector\//i.test(url)) return "connect-src";
  return undefined;
}

function sources(policy: string, directive: string): string[] {
  const part = policy
    .split(";")
    .map((p) => p.trim().split(/\s+/))
    .find(([name]) => name === directive);
  return part?.slice(1) ?? [];
}

/** CSP source matching for scheme + host sources ('self' never matches another origin). */
function admits(list: string[], url: string): boolean {
  const { protocol, host } = new URL(url);
  return list.some((source) => {
    const match = /^(https?):\/\/(\*\.)?([^/]+)$/.exec(source);
    if (!match) return false;
    if (`${match[1]}:` !== protocol) return false;
    return match[2] ? host.endsWith(`.${match[3]}`) : host === match[3];
  });
}

const urlsIn = (text: string): string[] =>
  [...text.matchAll(/["']((?:https?:)?\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/[^"'\s]*)?)["']/gi)].map((m) =>
    // Protocol-relative URLs take the page's scheme: the pane is always served over https.
    (m[1] ?? "").startsWith("//") ? `https:${m[1]}` : (m[1] ?? ""),
  );

describe("Content-Security-Policy vs. Outlook's office.js", () => {
  const policy = contentSecurityPolicy({ crmOrigin: "https://crm.contoso.example", localOffice: false });

  it("scans the Outlook host scripts of every client", () => {
    for (const host of ["web-16.01", "win32-16.02", "mac-16.00", "ios-16.00", "android-16.00"]) {
      expect(scanned).toContain(`outlook-${host}.js`);
    }
  });

  it("admits every host that office.js or an Outlook host script loads", () => {
    const found = new Map<string, string>();
    for (const file of scanned) {
      for (const url of urlsIn(readFileSync(path.join(officeDist, file), "utf8"))) found.set(url, file);
    }
    // MicrosoftAjax.js is the one that leaves Office.onReady pending when refused (issue 15).
    expect([...found.keys()]).toContain("https://ajax.aspnetcdn.com/ajax/3.5/MicrosoftAjax.js");
    const refused: string[] = [];
    for (const [url, file] of found) {
      if (url in NOT_LOADED) continue;
      const directive = directiveFor(url);
      if (!directive || !admits(sources(policy, directive), url))
        refused.push(`${url} (${file}, ${directive ?? "unclassified"})`);
    }
    expect(refused).toEqual([]);
  });

  it("admits office.js itself and what it loads beside it from both documented CDNs", () => {
    // The host scripts and strings load from office.js' own folder (getOfficeJsBasePath()).
    expect(OFFICE_CDN_ORIGINS).toEqual([
      "https://appsforoffice.microsoft.com",
      "https://officeapis.public.onecdn.static.microsoft",
    ]);
    for (const origin of OFFICE_CDN_ORIGINS) {
      expect(admits(sources(policy, "script-src"), `${origin}/lib/1/hosted/outlook-web-16.01.js`)).toBe(true);
    }
  });

  it("allows no eval and no inline script", () => {
    expect(policy).not.toContain("unsafe-eval");
    expect(sources(policy, "script-src")).not.toContain("'unsafe-inline'");
    expect(sources(policy, "object-src")).toEqual(["'none'"]);
  });
});
