/**
 * The embedded default's web host: HTTPS (self-signed) serving the built pane from dist/, with
 * `/crm/*` and `/graph/*` proxied to the stand-ins (X-Forwarded-Proto/Host/Prefix set, so the
 * Graph emulator's absolute links point back through this host) and a generated /config.json.
 * One origin for the browser: one certificate to accept, no CORS.
 *
 * @example
 *   const host = await startHttpsHost({ distDir: "dist", proxies: { "/crm": crm.url }, config: (h) => ({ ... }) });
 *   host.url; // "https://localhost:43121"
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { generate } from "selfsigned";

export interface HttpsHostOptions {
  distDir: string;
  port?: number;
  /** Listen address (default 127.0.0.1: loopback only). */
  listenHost?: string;
  /** Path prefix (e.g. "/crm") -> upstream origin (e.g. "http://127.0.0.1:4000"). */
  proxies: Record<string, string>;
  /** The body of GET /config.json, given the Host header the browser used. */
  config: (host: string) => unknown;
  /** A certificate to serve (PEM), e.g. a locally trusted one for real Outlook; default: self-signed. */
  tls?: { key: string; cert: string };
}

export interface HttpsHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".css": "text/css; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".ico": "image/x-icon",
};

const upstreamAgent = new https.Agent({ rejectUnauthorized: false, keepAlive: true }); // stand-ins are self-signed

async function certificate(): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    notAfterDate: new Date(Date.now() + 30 * 24 * 3600 * 1000),
    extensions: [
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

function proxy(req: IncomingMessage, res: ServerResponse, prefix: string, origin: string): void {
  const target = new URL(origin);
  const client = target.protocol === "https:" ? https : http;
  const headers = { ...req.headers };
  headers.host = target.host;
  headers["x-forwarded-proto"] = "https";
  headers["x-forwarded-host"] = req.headers.host ?? "localhost";
  headers["x-forwarded-prefix"] = prefix;
  const upstream = client.request(
    {
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: (req.url ?? "/").slice(prefix.length) || "/",
      headers,
      agent: target.protocol === "https:" ? upstreamAgent : undefined,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", (error) => {
    if (res.headersSent) {
      res.destroy(error);
      return;
    }
    res.writeHead(502, { "content-type": "application/problem+json" });
    res.end(
      JSON.stringify({ type: "about:blank", title: "Bad Gateway", status: 502, detail: error.message }),
    );
  });
  req.pipe(upstream);
}

async function serveFile(res: ServerResponse, distDir: string, urlPath: string): Promise<void> {
  const decoded = decodeURIComponent(urlPath === "/" ? "/taskpane.html" : urlPath);
  const file = path.resolve(distDir, `.${decoded}`);
  const root = path.resolve(distDir);
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found");
    return;
  }
  res.writeHead(200, {
    "content-type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
    "content-length": info.size,
    "cache-control": "no-cache",
  });
  createReadStream(file).pipe(res);
}

export async function startHttpsHost(options: HttpsHostOptions): Promise<HttpsHost> {
  const prefixes = Object.keys(options.proxies);
  const server = https.createServer(options.tls ?? (await certificate()), (req, res) => {
    const urlPath = (req.url ?? "/").split("?")[0];
    const prefix = prefixes.find((p) => urlPath === p || urlPath.startsWith(`${p}/`));
    if (prefix) {
      proxy(req, res, prefix, options.proxies[prefix]);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (urlPath === "/config.json") {
      const body = JSON.stringify(options.config(req.headers.host ?? "localhost"), null, 2);
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
      res.end(body);
      return;
    }
    serveFile(res, options.distDir, urlPath).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.listenHost ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://localhost:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
