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
 * Regression guard for the total. The split build is larger than the single bundle was (each of
 * ~45 chunks is compressed on its own, ~18 KiB of lost compression context): the 426 KiB of the
 * issue is NOT reached (see README "Start-up and bundle size"); this bound keeps the total from
 * growing (466 KiB measured).
 */
const TOTAL_GUARD_KIB = 470;

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

  it("carries only the shell's strings in the entry, each language's others on demand", () => {
    const text = entryText();
    // `common` (title, navigation, start-up messages) of both languages: the shell draws at once.
    expect(text).toContain("Einstellungen");
    expect(text).toContain("Contact replication");
    // Every other namespace is in the language chunks only (here: the export view's title).
    expect(text).not.toContain("Ansprechpartner exportieren");
    expect(text).not.toContain("Export contact persons");
    expect(Object.keys(figures.files).filter((f) => /^strings-(en|de)\./.test(f))).toHaveLength(2);
  });

  it("ships no CSS-in-JS compiler and no PNG/JPEG codec (build-time styles, the webview's canvas)", () => {
    const all = Object.keys(figures.files)
      .filter((file) => !file.startsWith("dialog."))
      .map((file) => readFileSync(path.join(outDir, file), "utf8"))
      .join("\n");
    // Griffel's runtime compiler (makeStyles -> CSS) warns with this; __styles has no need of it.
    expect(all).not.toContain('check your "makeStyles" calls');
    expect(all).not.toContain("IHDR"); // fast-png's chunk types
    expect(all).not.toContain("Incorrect index of palette color"); // fast-png's decoder
  });

  it(`keeps the pane's total JS under the guard of ${TOTAL_GUARD_KIB} KiB gzip`, () => {
    expect(figures.totalKiB).toBeLessThanOrEqual(TOTAL_GUARD_KIB);
  });
});
