/**
 * The embedded default in one call: reference CRM server + Graph emulator + the HTTPS host that
 * serves the built pane (dist/) with both proxied under its own origin and a generated
 * config.json (auth mode static, the stand-ins' demo tokens). Used by `npm start` and e2e tests.
 *
 * @example
 *   const stack = await startStack();
 *   await page.goto(stack.paneUrl); // https://localhost:PORT/taskpane.html
 *   await stack.close();
 */
import path from "node:path";
import { startCrmServer, type CrmServerHandle, type CrmServerOptions } from "../servers/crm/server";
import {
  startGraphEmulator,
  type GraphEmulatorHandle,
  type GraphEmulatorOptions,
} from "../servers/graph/emulator";
import { startHttpsHost } from "./https-host";

export interface StackOptions {
  crm?: Partial<CrmServerOptions>;
  graph?: Partial<GraphEmulatorOptions>;
  /** Port of the HTTPS host (default: a free port). */
  port?: number;
  /** The built pane (default: $PANE_DIST, else <repo>/dist). */
  distDir?: string;
  /** Certificate for the HTTPS host (default: self-signed). */
  tls?: { key: string; cert: string };
  /** Serve this config.json instead of the generated static-token one (e.g. auth mode "entra"). */
  config?: unknown;
}

export interface Stack {
  /** e.g. https://localhost:PORT/taskpane.html */
  paneUrl: string;
  /** The host's origin, e.g. https://localhost:PORT */
  origin: string;
  crm: CrmServerHandle;
  graph: GraphEmulatorHandle;
  close(): Promise<void>;
}

export const DEFAULT_DIST = process.env.PANE_DIST ?? path.resolve(__dirname, "..", "..", "dist");

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const crm = await startCrmServer({ seed: "demo", ...opts.crm });
  let graph: GraphEmulatorHandle | undefined;
  try {
    graph = await startGraphEmulator({ seed: "demo", ...opts.graph });
    const graphHandle = graph;
    const crmOrigin = new URL(crm.url).origin;
    const graphOrigin = new URL(graph.url).origin;
    const crmPath = new URL(crm.url).pathname.replace(/\/+$/, ""); // "/api/v1"
    const graphPath = new URL(graph.url).pathname.replace(/\/+$/, ""); // "/v1.0"
    const host = await startHttpsHost({
      distDir: opts.distDir ?? DEFAULT_DIST,
      port: opts.port,
      ...(opts.tls ? { tls: opts.tls } : {}),
      proxies: { "/crm": crmOrigin, "/graph": graphOrigin },
      config: (hostHeader) =>
        opts.config ?? {
          crmBaseUrl: `https://${hostHeader}/crm${crmPath}`,
          graphBaseUrl: `https://${hostHeader}/graph${graphPath}`,
          auth: { mode: "static", crmToken: crm.token, graphToken: graphHandle.token },
          defaultPhoneRegion: "DE",
        },
    });
    return {
      paneUrl: `${host.url}/taskpane.html`,
      origin: host.url,
      crm,
      graph,
      async close() {
        await Promise.allSettled([host.close(), crm.close(), graphHandle.close()]);
      },
    };
  } catch (error) {
    await Promise.allSettled([crm.close(), graph?.close()]);
    throw error;
  }
}
