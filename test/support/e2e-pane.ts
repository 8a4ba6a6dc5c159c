/**
 * The shared set-up of the pane's end-to-end tests: registers `beforeAll`/`afterAll` hooks that
 * start the stack (CRM server + Graph emulator behind one HTTPS host) and a headless browser, make
 * a CRM client on the stand-in, open the built pane on `?view=<view>`, and close it all afterwards.
 * The returned object is filled in by `beforeAll`; read its fields inside tests and hooks only.
 *
 * @example
 *   const e2e = setUpE2ePane("contact");
 *   test("...", async () => {
 *     const { page } = e2e.pane;
 *     await e2e.crm.lookup({ emails: ["anna.schmidt@mueller-bau.de"], phones: [], lastNames: [] });
 *   });
 */
import { createStaticTokenProvider } from "../../src/adapters/auth/static-token-provider";
import { createCrmClient } from "../../src/adapters/crm/crm-client";
import type { CrmClient } from "../../src/core/ports";
import { launchBrowser, openPane, type LaunchedBrowser, type Pane } from "./browser";

type PaneOptions = Parameters<typeof openPane>[2];
import { startStack, type Stack } from "./stack";

export interface E2ePane {
  stack: Stack;
  browser: LaunchedBrowser;
  pane: Pane;
  /** A CRM client on the stack's CRM server with its static token. */
  crm: CrmClient;
}

/** Registers the hooks that open the pane on `?view=<view>` for the whole test file (options: see openPane). */
export function setUpE2ePane(view: string, options?: PaneOptions): E2ePane {
  const e2e = {} as E2ePane;

  beforeAll(async () => {
    [e2e.stack, e2e.browser] = await Promise.all([startStack(), launchBrowser()]);
    e2e.crm = createCrmClient({
      baseUrl: e2e.stack.crm.url,
      tokens: createStaticTokenProvider({ crm: e2e.stack.crm.token, graph: e2e.stack.graph.token }),
    });
    e2e.pane = await openPane(e2e.browser, `${e2e.stack.paneUrl}?view=${view}`, options);
  });

  afterAll(async () => {
    await e2e.pane?.close();
    await e2e.browser?.close();
    await e2e.stack?.close();
  });

  return e2e;
}
