/**
 * A production build (`webpack --mode production`) into a temporary folder, as an admin builds it
 * (ADDIN_URL and CRM_BASE_URL given), for tests that load or read the deployable files.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export function buildProduction(env: { ADDIN_URL: string; CRM_BASE_URL: string }): {
  outDir: string;
  remove(): void;
} {
  const outDir = mkdtempSync(path.join(os.tmpdir(), "prod-build-"));
  execFileSync(
    process.execPath,
    [require.resolve("webpack-cli/bin/cli.js"), "--mode", "production", "--output-path", outDir],
    { env: { ...process.env, ...env }, stdio: "pipe" },
  );
  return { outDir, remove: () => rmSync(outDir, { recursive: true, force: true }) };
}
