/**
 * The pane's JavaScript budget (issue 18), measured on a production build made here: the JS
 * loaded before the default first view (contact replication) is interactive — entry chunks, the
 * view's chunks and one language's strings — at most 250 KiB gzip; MSAL and the sign-in dialog
 * code only in their on-demand chunks. Prints every figure (per first view, total, dialog page).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildProductionInChild, measureBundle, type BundleFigures } from "../support/bundle-figures";
import { defaultView } from "../../src/taskpane/shell/views";

const INITIAL_BUDGET_KIB = 250;
/** The single bundle before code splitting (issue 18's "today"). */
const TOTAL_BEFORE_SPLITTING_KIB = 426;
/**
 * Regression guard for the total. The split build is larger than the single bundle was (each
 * chunk is compressed on its own): the 426 KiB of the issue is NOT reached (see README "Start-up
 * and bundle size"); this bound keeps the total from growing further (491 KiB measured, incl. the
 * on-demand PNG-to-JPEG converter of ~25 KiB that came with the Graph photo rules).
 */
const TOTAL_GUARD_KIB = 500;

let outDir: string;
let figures: BundleFigures;

beforeAll(async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bundle-budget-"));
  outDir = path.join(tmp, "dist");
  figures = measureBundle(outDir, await buildProductionInChild(outDir));
  const lines = [
    `initial JS (gzip KiB) by first view: ${JSON.stringify(figures.initialByView)}`,
    `initial JS of the default first view (${defaultView}): ${figures.initialByView[defaultView]} KiB (budget ${INITIAL_BUDGET_KIB})`,
    `total pane JS: ${figures.totalKiB} KiB (single bundle before splitting: ${TOTAL_BEFORE_SPLITTING_KIB}; guard ${TOTAL_GUARD_KIB})`,
    `sign-in dialog page JS: ${figures.dialogKiB} KiB`,
  ];
  process.stdout.write(`\nbundle budget\n  ${lines.join("\n  ")}\n`);
}, 240_000);

afterAll(() => rmSync(path.dirname(outDir), { recursive: true, force: true }));

const entryText = (): string =>
  figures.entryFiles.map((file) => readFileSync(path.join(outDir, file), "utf8")).join("\n");

describe("bundle budget", () => {
  it(`loads at most ${INITIAL_BUDGET_KIB} KiB gzip before the default first view is interactive`, () => {
    expect(figures.initialByView[defaultView]).toBeLessThanOrEqual(INITIAL_BUDGET_KIB);
  });

  it("keeps MSAL, zod, libphonenumber and the adapters out of the entry chunks", () => {
    const text = entryText();
    expect(text).not.toMatch(/createNestablePublicClientApplication|msal\.js\.browser/);
    expect(text).not.toContain("libphonenumber");
    // zod's error messages and the Graph client's name.
    expect(text).not.toMatch(/Invalid input: expected|SdkVersion/);
  });

  it("loads each language's strings on demand (neither language is in the entry)", () => {
    const text = entryText();
    expect(text).not.toContain("Einstellungen");
    expect(text).not.toContain("Contact replication");
    expect(Object.keys(figures.files).filter((f) => /^strings-(en|de)\./.test(f))).toHaveLength(2);
  });

  it(`keeps the pane's total JS under the guard of ${TOTAL_GUARD_KIB} KiB gzip`, () => {
    expect(figures.totalKiB).toBeLessThanOrEqual(TOTAL_GUARD_KIB);
  });
});
