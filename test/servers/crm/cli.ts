/**
 * `npm run serve:crm -- --port <p> [--db <file>|:memory:] [--seed demo|none] [--token <t>] [--host <h>]
 *   [--jwt-issuer <iss> --jwt-audience <aud> --jwks <file-or-url> [--jwt-scope <scp>]]`
 * Starts the reference CRM server, prints "CRM <baseUrl> token <token>" on one line and stops
 * cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { startCrmServer } from "./server";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      db: { type: "string", default: ":memory:" },
      seed: { type: "string", default: "demo" },
      token: { type: "string" },
      "jwt-issuer": { type: "string" },
      "jwt-audience": { type: "string" },
      jwks: { type: "string" },
      "jwt-scope": { type: "string" },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, got ${values.port}`);
  if (values.seed !== "demo" && values.seed !== "none")
    throw new Error(`--seed must be demo or none, got ${values.seed}`);
  const server = await startCrmServer({
    port,
    host: values.host,
    db: values.db,
    seed: values.seed,
    ...(values.token === undefined ? {} : { token: values.token }),
    ...(values["jwt-issuer"] && values["jwt-audience"] && values.jwks
      ? {
          jwt: {
            issuer: values["jwt-issuer"],
            audience: values["jwt-audience"],
            jwks: values.jwks,
            ...(values["jwt-scope"] ? { requiredScope: values["jwt-scope"] } : {}),
          },
        }
      : {}),
  });
  process.stdout.write(`CRM ${server.url} token ${server.token}\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => {
        process.stderr.write(`CRM server stopped (${signal})\n`);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`CRM server failed to stop: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
