/**
 * The sync service's entry point (composition root): `tsx service/main.ts` (or `npm run service`).
 * Reads the config from the environment / SERVICE_CONFIG_FILE (service/config.ts), starts one
 * worker process, stops gracefully on SIGTERM/SIGINT. Exit code 2 = invalid config.
 */
import { AppError } from "../src/core/errors";
import { loadServiceConfig } from "./config";
import { createLogger, redact } from "./logger";
import { startSyncService } from "./sync-service";

async function main(): Promise<void> {
  const log = createLogger(process.env.WORKER_NAME ?? `pid-${process.pid}`);
  let config;
  try {
    config = loadServiceConfig(process.env);
  } catch (error) {
    log.error(AppError.from(error).message);
    process.exit(2);
  }
  const service = await startSyncService(config, { log });
  const stop = (): void => {
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error("stop failed", { error: AppError.from(error).message });
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

void main().catch((error: unknown) => {
  process.stderr.write(`sync service failed to start: ${redact(AppError.from(error).message)}\n`);
  process.exit(1);
});
