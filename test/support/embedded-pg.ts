/**
 * Starts a throw-away embedded PostgreSQL in a child process (test/support/embedded-pg.mjs) and
 * resolves with its connection URL. `stop()` shuts it down and deletes its data.
 *
 * @example
 *   const pg = await startEmbeddedPostgres();
 *   // new pg.Pool({ connectionString: pg.url })
 *   await pg.stop();
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

export function startEmbeddedPostgres(): Promise<EmbeddedPostgresHandle> {
  const child = spawn(process.execPath, [join(__dirname, "embedded-pg.mjs")], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`embedded PostgreSQL did not start in 60 s: ${stderr}`));
    }, 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded PostgreSQL exited (${String(code)}): ${stderr}`));
    });
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const m = /READY (\S+)/.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1],
        async stop() {
          child.stdin.end();
          const timeout = setTimeout(() => child.kill("SIGKILL"), 15_000);
          await exited;
          clearTimeout(timeout);
        },
      });
    });
  });
}
