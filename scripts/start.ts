/**
 * `npm start`: development build of the pane (rebuilt on change), the embedded default
 * (reference CRM server + Graph emulator + HTTPS host on port 3000, or a free port when 3000 is
 * taken) and the URL to open. Ctrl+C (SIGINT) or SIGTERM stops everything.
 * `npm start -- --once` builds once without watching. `npm start -- --service` also runs the sync
 * service (embedded PostgreSQL; scripts/start-service.ts).
 */
import { createRequire } from "node:module";
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
  const compiler = webpack(configFactory({}, { mode: "development" }));
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
  const stack = await startOnFreePort();
  const service: EmbeddedService | null = process.argv.includes("--service")
    ? await startEmbeddedService(stack)
    : null;

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
