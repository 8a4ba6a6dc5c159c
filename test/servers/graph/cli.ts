/**
 * `npm run serve:graph -- --port <p> [--latency <ms>] [--fault-rate <0..1>] [--seed demo|none]
 *   [--batch-throttling modern|legacy] [--truncate-list-properties <n>]
 *   [--display-name-on-rename recompute|keep] [--claims-challenge 401|403]`:
 * starts the Graph emulator and prints its base URL and the demo token on one line; stops on
 * SIGINT/SIGTERM. The modes are the behaviours whose evidence is a field report or unknown
 * (docs/graph-emulator.md).
 */
import { startGraphEmulator } from "./emulator";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(arg("port") ?? "0");
  const latencyMs = Number(arg("latency") ?? "0");
  const faultRate = Number(arg("fault-rate") ?? "0");
  const seed = (arg("seed") ?? "demo") === "none" ? "none" : "demo";
  const batchThrottling = arg("batch-throttling") ?? "modern";
  const truncate = arg("truncate-list-properties");
  const truncateListProperties = truncate === undefined ? null : Number(truncate);
  const displayNameOnRename = arg("display-name-on-rename") ?? "recompute";
  const claimsChallenge = arg("claims-challenge") ?? null;
  if (
    !Number.isInteger(port) ||
    port < 0 ||
    !(latencyMs >= 0) ||
    !(faultRate >= 0 && faultRate <= 1) ||
    (batchThrottling !== "modern" && batchThrottling !== "legacy") ||
    (truncateListProperties !== null &&
      !(Number.isInteger(truncateListProperties) && truncateListProperties > 0)) ||
    (displayNameOnRename !== "recompute" && displayNameOnRename !== "keep") ||
    (claimsChallenge !== null && claimsChallenge !== "401" && claimsChallenge !== "403")
  ) {
    process.stderr.write(
      "usage: serve:graph -- --port <p> [--latency <ms>] [--fault-rate <0..1>] [--seed demo|none]\n" +
        "  [--batch-throttling modern|legacy] [--truncate-list-properties <n>]\n" +
        "  [--display-name-on-rename recompute|keep] [--claims-challenge 401|403]\n",
    );
    process.exit(2);
  }
  const graph = await startGraphEmulator({
    port,
    latencyMs,
    faultRate,
    seed,
    batchThrottling,
    truncateListProperties,
    displayNameOnRename,
    claimsChallenge,
  });
  process.stdout.write(`Graph emulator: ${graph.url} token: ${graph.token}\n`);
  const stop = (): void => {
    graph.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
