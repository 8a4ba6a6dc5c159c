/**
 * Real parts for the sync service's integration tests and bench: an embedded PostgreSQL, the
 * reference CRM (demo data on a SQLite file), the Graph emulator with an app-only token and one
 * `/users/{id}` mailbox per user, and worker processes of the real service (`service/main.ts`
 * via tsx) that can be killed with any signal.
 *
 * @example
 *   const w = await startServiceWorld({ users: 50 });
 *   const worker = w.spawnWorker("w1");
 *   await worker.kill("SIGKILL");
 *   await w.close();
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import pg from "pg";
import { createStaticTokenProvider } from "../../src/adapters/auth/static-token-provider";
import { createGraphContactStore } from "../../src/adapters/graph/graph-contact-store";
import { toJpeg } from "../../src/adapters/graph/photo-jpeg";
import type { ContactStore } from "../../src/core/ports";
import { migrate } from "../../service/db/migrations";
import { startEmbeddedPostgres, testPool, type EmbeddedPostgresHandle } from "../support/embedded-pg";
import { insecureFetchOptions } from "../servers/graph/insecure-fetch";
import type { GraphEmulatorOptions } from "../servers/graph/emulator";
import { startWorld, type Mailbox, type World } from "../app/sync-world";

export const APP_TOKEN = "service-app-only-token";
const ROOT = join(__dirname, "..", "..");

export interface ServiceUser {
  id: string;
  upn: string;
  contacts: ContactStore;
  /** For sync-world's exportPersons (links persons as the pane's export would). */
  mailbox: Mailbox;
}

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  /** Everything the worker wrote (stdout + stderr). */
  output(): string;
  /** Resolves once the worker has started (its "sync service started" line); rejects if it exits first. */
  ready(): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface ServiceWorld {
  world: World;
  pg: EmbeddedPostgresHandle;
  pool: pg.Pool;
  users: ServiceUser[];
  env: Record<string, string>;
  spawnWorker(name: string, env?: Record<string, string>): WorkerProcess;
  /** Every worker spawned so far (killed ones too, with their output). */
  workers(): WorkerProcess[];
  close(): Promise<void>;
}

export function userId(i: number): string {
  return `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
}

export async function startServiceWorld(options: {
  users: number;
  graph?: GraphEmulatorOptions;
  env?: Record<string, string>;
}): Promise<ServiceWorld> {
  const pgHandle = await startEmbeddedPostgres();
  const world = await startWorld({ graph: options.graph });
  const pool = testPool(pgHandle, { max: 8 });
  await migrate(pool);
  world.graph.appOnly.addAppToken(APP_TOKEN);
  const tokens = createStaticTokenProvider({ crm: world.crmServer.token, graph: APP_TOKEN });
  const users: ServiceUser[] = [];
  for (let i = 1; i <= options.users; i++) {
    const id = userId(i);
    const upn = `user${i}@contoso.example`;
    world.graph.appOnly.addUser(id, { upn });
    const contacts = createGraphContactStore({
      toJpeg,
      baseUrl: world.graph.url,
      tokens,
      mailboxPath: `/users/${id}`,
      fetchOptions: insecureFetchOptions(),
    });
    const mailbox = { token: APP_TOKEN, contacts } as unknown as Mailbox; // exportPersons reads only `contacts`
    users.push({ id, upn, contacts, mailbox });
  }
  const env: Record<string, string> = {
    DATABASE_URL: pgHandle.url,
    ENTRA_TENANT_ID: "contoso.example",
    ENTRA_CLIENT_ID: "11111111-2222-4333-8444-555555555555",
    STATIC_GRAPH_TOKEN: APP_TOKEN,
    STATIC_CRM_TOKEN: world.crmServer.token,
    GRAPH_BASE_URL: world.graph.url,
    CRM_BASE_URL: world.crmServer.url,
    SYNC_INTERVAL_MINUTES: "0.1",
    JOBS_PER_WORKER: "4",
    JOB_EXPIRY_SECONDS: "6",
    MAINTENANCE_SECONDS: "1",
    RETRY_DELAY_SECONDS: "1",
    PARK_RETRY_MINUTES: "1",
    ...options.env,
  };
  const workers: WorkerProcess[] = [];
  return {
    world,
    pg: pgHandle,
    pool,
    users,
    env,
    spawnWorker(name, extra = {}) {
      // NODE_ARGS: extra Node flags for this worker (e.g. --cpu-prof), not passed on as env.
      const { NODE_ARGS: nodeArgs, ...extraEnv } = extra;
      const flags = nodeArgs ? nodeArgs.split(" ").filter(Boolean) : [];
      const child = spawn(process.execPath, [...flags, "--import", "tsx", join(ROOT, "service", "main.ts")], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          ...env,
          ...extraEnv,
          WORKER_NAME: name,
          // The emulator's self-signed certificate (this child only talks to local stand-ins).
          NODE_TLS_REJECT_UNAUTHORIZED: "0",
          NODE_NO_WARNINGS: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      let started: () => void = () => undefined;
      const ready = new Promise<void>((resolve, reject) => {
        started = resolve;
        child.once("exit", (code, signal) =>
          reject(
            new Error(`worker ${name} exited (${String(code ?? signal)}) before it started:\n${output}`),
          ),
        );
      });
      ready.catch(() => undefined); // reported to whoever awaits ready()
      const collect = (c: Buffer) => {
        output += c.toString("utf8");
        if (output.includes("sync service started")) started();
      };
      child.stdout?.on("data", collect);
      child.stderr?.on("data", collect);
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      const handle: WorkerProcess = {
        name,
        child,
        output: () => output,
        ready: () => ready,
        async kill(signal) {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      };
      workers.push(handle);
      return handle;
    },
    workers: () => [...workers],
    async close() {
      await Promise.all(workers.map((w) => w.kill("SIGTERM")));
      await pool.end();
      await world.close();
      await pgHandle.stop();
    },
  };
}

/** Polls `check` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
