/**
 * `npm start`: development build of the pane (rebuilt on change), the embedded default
 * (reference CRM server + Graph emulator + HTTPS host on port 3000, or a free port when 3000 is
 * taken) and the URL to open. Ctrl+C (SIGINT) or SIGTERM stops everything.
 * `npm start -- --once` builds once without watching. `npm start -- --service` also runs the sync
 * service (embedded PostgreSQL; scripts/start-service.ts).
 *
 * `npm run start:outlook` (`--outlook`): the same development build, but with office.js from
 * Microsoft's CDN and no local copy, so it can be sideloaded into real Outlook (dist/manifest.xml):
 * port 3000 exactly (the manifest's URLs), the certificate from HTTPS_CERT_FILE/HTTPS_KEY_FILE or
 * ~/.office-addin-dev-certs/localhost.{crt,key} when present (Outlook needs a trusted one), and
 * config.json from ADDIN_CONFIG (e.g. auth mode "entra") instead of the stand-ins' static tokens.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import webpack, { type Configuration, type Stats } from "webpack";
import { startStack, type Stack } from "../test/support/stack";
import { startEmbeddedService, type EmbeddedService } from "./start-service";

type ConfigFactory = (env: Record<string, unknown>, argv: { mode: string }) => Configuration;
const root = path.resolve(__dirname, "..");
const configFactory = createRequire(__filename)(path.join(root, "webpack.config.js")) as ConfigFactory;
const PORT = Number(process.env.PORT ?? 3000);

function report(stats: Stats | undefined): boolean {
  if (!stats) return false;
  const info = stats.toJson({ all: false, errors: true, warnings: true, timings: true });
  for (const e of info.errors ?? []) process.stderr.write(`${e.message}\n`);
  for (const w of info.warnings ?? []) process.stderr.write(`warning: ${w.message}\n`);
  process.stdout.write(`[build] ${stats.hasErrors() ? "failed" : "ok"} in ${info.time ?? 0} ms\n`);
  return !stats.hasErrors();
}

/** A locally trusted certificate for real Outlook, if the tester has one. */
function trustedCertificate(): { key: string; cert: string } | undefined {
  const devCerts = path.join(os.homedir(), ".office-addin-dev-certs");
  const certFile = process.env.HTTPS_CERT_FILE ?? path.join(devCerts, "localhost.crt");
  const keyFile = process.env.HTTPS_KEY_FILE ?? path.join(devCerts, "localhost.key");
  if (!existsSync(certFile) || !existsSync(keyFile)) return undefined;
  return { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") };
}

/** For real Outlook: port 3000 only (the manifest points there), trusted cert and config if given. */
async function startForOutlook(): Promise<{ stack: Stack; trusted: boolean; customConfig: boolean }> {
  const tls = trustedCertificate();
  const configFile = process.env.ADDIN_CONFIG;
  const config = configFile ? (JSON.parse(readFileSync(configFile, "utf8")) as unknown) : undefined;
  try {
    const stack = await startStack({ port: 3000, ...(tls ? { tls } : {}), ...(config ? { config } : {}) });
    return { stack, trusted: Boolean(tls), customConfig: Boolean(config) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
      throw new Error("Port 3000 is taken; the manifest's URLs need it. Stop what uses it and try again.");
    throw error;
  }
}

async function startOnFreePort(): Promise<Stack> {
  try {
    return await startStack({ port: PORT });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    process.stdout.write(`Port ${PORT} is taken; using a free port.\n`);
    return startStack({ port: 0 });
  }
}

async function main(): Promise<void> {
  const once = process.argv.includes("--once");
  const outlook = process.argv.includes("--outlook");
  const compiler = webpack(configFactory(outlook ? { outlook: true } : {}, { mode: "development" }));
  let watching: ReturnType<typeof compiler.watch> | undefined;

  const firstBuild = new Promise<void>((resolve, reject) => {
    const done = (error: Error | null, stats?: Stats) => {
      if (error) reject(error);
      else if (report(stats)) resolve();
      else if (once) reject(new Error("Build failed"));
    };
    if (once) compiler.run((error, stats) => done(error ?? null, stats));
    else watching = compiler.watch({ aggregateTimeout: 300 }, (error, stats) => done(error ?? null, stats));
  });
  await firstBuild;
  let stack: Stack;
  if (outlook) {
    const started = await startForOutlook();
    stack = started.stack;
    process.stdout.write(
      [
        "",
        "CRM contact replication – development build for real Outlook (office.js from Microsoft's CDN):",
        `  Task pane: ${stack.paneUrl}`,
        `  Manifest to sideload: ${path.join(root, "dist", "manifest.xml")}`,
        `  Certificate: ${started.trusted ? "trusted (office-addin-dev-certs or HTTPS_CERT_FILE)" : 'SELF-SIGNED – Outlook will refuse it; see README "Sideloading into Outlook"'}`,
        `  config.json: ${started.customConfig ? `from ${process.env.ADDIN_CONFIG}` : "static tokens for the stand-ins (CRM server, Graph emulator) – a quick look, not your mailbox"}`,
        "Sideload: Outlook > Get Add-ins > My add-ins > Add a custom add-in > Add from file. Ctrl+C stops everything.",
        "",
      ].join("\n"),
    );
  } else {
    stack = await startOnFreePort();
  }

  const service: EmbeddedService | null = process.argv.includes("--service")
    ? await startEmbeddedService(stack)
    : null;

  if (!outlook)
    process.stdout.write(
      [
        "",
        "CRM contact replication – embedded default is running:",
        `  Task pane (preview host): ${stack.paneUrl}`,
        `  Views: ${stack.paneUrl}?view=export | ?view=import | ?view=contact`,
        `  CRM server:     ${stack.crm.url} (proxied at ${stack.origin}/crm/api/v1, token ${stack.crm.token})`,
        `  Graph emulator: ${stack.graph.url} (proxied at ${stack.origin}/graph/v1.0)`,
        ...(service?.lines ?? []),
        "The certificate is self-signed: accept it once in the browser. Ctrl+C stops everything.",
        "",
      ].join("\n"),
    );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping…\n`);
    await new Promise<void>((resolve) => (watching ? watching.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => compiler.close(() => resolve()));
    await service?.close();
    await stack.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
