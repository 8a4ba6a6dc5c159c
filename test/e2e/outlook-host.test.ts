/**
 * The PRODUCTION build as Outlook loads it (test/support/outlook-web-host.ts): taskpane.html and
 * dialog.html framed by an Outlook-on-the-web page with Outlook's `_host_Info`, office.js and its
 * Outlook host scripts from @microsoft/office-js at the CDN path, MicrosoftAjax.js stubbed, the
 * Content-Security-Policy in force. The stand-in Outlook never completes office.js' handshake, so
 * Office.onReady stays pending: the pane must still render at once and then say, translated, that
 * Outlook did not start it. The office.js deadline is shortened for the test (the real default,
 * 15 s, is checked with fake timers in test/taskpane/shell/startup.test.tsx).
 */
import type { Browser, Frame, Page } from "playwright-core";
import { launchBrowser, type LaunchedBrowser } from "../support/browser";
import {
  ADDIN_URL,
  observeScript,
  outlookPaneUrl,
  outlookWebUrl,
  routeOutlookWorld,
} from "../support/outlook-web-host";
import { buildProduction } from "../support/production-build";

jest.setTimeout(180_000);

const TIMEOUT_MS = 1500;
let build: ReturnType<typeof buildProduction>;
let launched: LaunchedBrowser;

beforeAll(async () => {
  [build, launched] = await Promise.all([
    Promise.resolve().then(() =>
      buildProduction({ ADDIN_URL, CRM_BASE_URL: "https://crm.contoso.example/api/v1" }),
    ),
    launchBrowser(),
  ]);
}, 180_000);

afterAll(async () => {
  await launched?.close();
  build?.remove();
});

interface Opened {
  page: Page;
  pane: Frame;
  requested: string[];
  pageErrors: string[];
  refusals: string[];
  close(): Promise<void>;
}

async function openInOutlook(
  browser: Browser,
  url: string,
  locale = "en-US",
  framed = true,
  unreachable: string[] = [],
): Promise<Opened> {
  const context = await browser.newContext({ locale, viewport: { width: 400, height: 760 } });
  const requested = await routeOutlookWorld(context, build.outDir, unreachable);
  await context.addInitScript({ content: observeScript(TIMEOUT_MS) });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const refusals: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (/Refused to|Content Security Policy/i.test(message.text())) refusals.push(message.text());
  });
  await page.goto(framed ? outlookWebUrl(url) : url);
  const pane = framed ? await waitForPaneFrame(page) : page.mainFrame();
  return { page, pane, requested, pageErrors, refusals, close: () => context.close() };
}

async function waitForPaneFrame(page: Page): Promise<Frame> {
  const element = await page.waitForSelector("iframe");
  const frame = await element.contentFrame();
  if (!frame) throw new Error("no pane frame");
  await frame.waitForLoadState("domcontentloaded");
  return frame;
}

const violations = (frame: Frame) =>
  frame.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

describe("production build inside Outlook on the web (office.js host scripts, CSP in force)", () => {
  it("taskpane.html: loads the host script and MicrosoftAjax.js without a CSP refusal or page error, then says Outlook did not start it", async () => {
    const opened = await openInOutlook(
      launched.browser,
      outlookPaneUrl("taskpane.html", "Outlook$Web$16.01$en-US$$$$0"),
    );
    try {
      // Rendered at once: the product name is there before office.js could have finished.
      await opened.pane.getByRole("heading", { name: "CRM Contact Replication" }).waitFor();
      await opened.pane.getByText("Outlook did not start the add-in").waitFor({ timeout: 20_000 });
      await opened.pane.getByRole("link", { name: "Help and support" }).waitFor();
      expect(await opened.pane.getByRole("link", { name: "Help and support" }).getAttribute("href")).toBe(
        `${ADDIN_URL}/support.html`,
      );
      expect(opened.requested).toEqual(
        expect.arrayContaining([
          "https://appsforoffice.microsoft.com/lib/1/hosted/office.js",
          "https://appsforoffice.microsoft.com/lib/1/hosted/outlook-web-16.01.js",
          "https://ajax.aspnetcdn.com/ajax/3.5/MicrosoftAjax.js",
        ]),
      );
      expect(await violations(opened.pane)).toEqual([]);
      expect(opened.refusals).toEqual([]);
      expect(opened.pageErrors).toEqual([]);
      // Never sample data: no preview host inside Outlook.
      expect(await opened.pane.getByText(/Preview/).count()).toBe(0);
    } finally {
      await opened.close();
    }
  });

  it("dialog.html: the sign-in page says the same, without a CSP refusal or page error", async () => {
    const opened = await openInOutlook(
      launched.browser,
      outlookPaneUrl("dialog.html", "Outlook$Web$16.01$en-US$$$$0"),
    );
    try {
      await opened.pane.getByRole("heading", { name: "CRM Contact Replication" }).waitFor();
      await opened.pane.getByText("Outlook did not start the add-in").waitFor({ timeout: 20_000 });
      expect(opened.requested).toContain("https://ajax.aspnetcdn.com/ajax/3.5/MicrosoftAjax.js");
      expect(await violations(opened.pane)).toEqual([]);
      expect(opened.refusals).toEqual([]);
      expect(opened.pageErrors).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it("says Outlook did not start it when office.js itself cannot be loaded (CDN blocked)", async () => {
    const opened = await openInOutlook(
      launched.browser,
      outlookPaneUrl("taskpane.html", "Outlook$Web$16.01$en-US$$$$0"),
      "en-US",
      true,
      ["appsforoffice.microsoft.com"],
    );
    try {
      await opened.pane.getByText("Outlook did not start the add-in").waitFor({ timeout: 20_000 });
      expect(await opened.pane.getByText("Open this add-in from Outlook").count()).toBe(0);
      expect(opened.pageErrors).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it("says it in German for a German browser (de-AT)", async () => {
    const opened = await openInOutlook(
      launched.browser,
      outlookPaneUrl("taskpane.html", "Outlook$Web$16.01$de-AT$$$$0"),
      "de-AT",
    );
    try {
      await opened.pane.getByText("Outlook hat das Add-in nicht gestartet").waitFor({ timeout: 20_000 });
      await opened.pane.getByRole("link", { name: "Hilfe und Support" }).waitFor();
    } finally {
      await opened.close();
    }
  });

  // The native clients' host scripts talk to window.external / webkit / agaveHost, which only the
  // real apps provide; their own errors about that are expected here. What must hold: every host
  // they load is admitted by the CSP, and the pane still tells the user what happened.
  it.each([
    "Outlook$Win32$16.02$en-US$$$$0",
    "Outlook$Mac$16.00$en-US$$$$0",
    "Outlook$iOS$16.00$en-US$$$$0",
    "Outlook$Android$16.00$en-US$$$$0",
  ])("%s: host script and MicrosoftAjax.js admitted by the CSP, message shown", async (hostInfo) => {
    const script = `outlook-${hostInfo.split("$")[1]?.toLowerCase()}-${hostInfo.split("$")[2]}.js`;
    const opened = await openInOutlook(
      launched.browser,
      outlookPaneUrl("taskpane.html", hostInfo),
      "en-US",
      false,
    );
    try {
      await opened.pane.getByText("Outlook did not start the add-in").waitFor({ timeout: 20_000 });
      expect(opened.requested).toEqual(
        expect.arrayContaining([
          `https://appsforoffice.microsoft.com/lib/1/hosted/${script}`,
          "https://ajax.aspnetcdn.com/ajax/3.5/MicrosoftAjax.js",
        ]),
      );
      expect(await violations(opened.pane)).toEqual([]);
      expect(opened.refusals).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});

describe("production build opened outside Office", () => {
  it("on its own (non-localhost) origin shows 'Open this add-in from Outlook', never sample data", async () => {
    const opened = await openInOutlook(launched.browser, `${ADDIN_URL}/taskpane.html`, "en-US", false);
    try {
      await opened.pane.getByText("Open this add-in from Outlook").waitFor();
      expect(await opened.pane.getByRole("link", { name: "Help and support" }).getAttribute("href")).toBe(
        `${ADDIN_URL}/support.html`,
      );
      expect(await opened.pane.getByText(/Preview|Anna Schmidt|Selected e-mail/).count()).toBe(0);
      expect(await opened.pane.getByRole("tablist").count()).toBe(0);
      expect(await violations(opened.pane)).toEqual([]);
      expect(opened.pageErrors).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});
