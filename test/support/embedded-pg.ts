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
import pg from "pg";

export interface EmbeddedPostgresHandle {
  url: string;
  /** What the server process wrote on stderr (why it stopped, if it did on its own). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * A pg.Pool for tests with an 'error' listener: a connection the server drops while idle is
 * reported with the embedded server's own explanation instead of crashing the test process.
 */
export function testPool(
  handle: EmbeddedPostgresHandle,
  options: Omit<pg.PoolConfig, "connectionString"> = {},
): pg.Pool {
  const pool = new pg.Pool({ ...options, connectionString: handle.url });
  pool.on("error", (error) => {
    process.stderr.write(`test database connection lost: ${error.message}\n${handle.log()}\n`);
  });
  return pool;
}

export function startEmbeddedPostgres(): Promise<EmbeddedPostgresHandle> {
  // Its own process group: a signal to the test runner's group (a terminal hang-up, Ctrl-C) does
  // not reach the server; it still stops when this process goes away (its stdin ends).
  const child = spawn(process.execPath, [join(__dirname, "embedded-pg.mjs")], {
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
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
        log: () => stderr,
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
