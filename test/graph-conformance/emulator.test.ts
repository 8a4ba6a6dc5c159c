/**
 * The Graph conformance suite against the emulator, once per set of modes: every behaviour whose
 * evidence is a field report or unknown is run both ways (docs/graph-emulator.md). The relied-on
 * points must hold in every mode, and the suite must observe the mode the emulator runs in.
 */
import {
  startGraphEmulator,
  type GraphEmulatorHandle,
  type GraphEmulatorOptions,
} from "../servers/graph/emulator";
import { insecureFetchOptions } from "../servers/graph/insecure-fetch";
import { graphConformanceSuite, type ReportLine } from "./suite";

jest.setTimeout(60_000);

const MODES: [string, GraphEmulatorOptions][] = [
  [
    "doc behaviour (modern batches, full list values, rename recomputes, 401 claims challenges)",
    {
      batchThrottling: "modern",
      truncateListProperties: null,
      displayNameOnRename: "recompute",
      claimsChallenge: "401",
      claimsChallengeEvery: 25,
    },
  ],
  [
    "field variants (legacy batch throttling, list values cut at 255, rename keeps, 403 claims challenges)",
    {
      batchThrottling: "legacy",
      truncateListProperties: 255,
      displayNameOnRename: "keep",
      claimsChallenge: "403",
      claimsChallengeEvery: 25,
    },
  ],
];

const find = (lines: ReportLine[], point: number, text: string): ReportLine | undefined =>
  lines.find((l) => l.point === point && l.assumption.includes(text));

describe.each(MODES)("Graph conformance against the emulator: %s", (_name, modes) => {
  let graph: GraphEmulatorHandle | undefined;
  beforeAll(async () => {
    graph = await startGraphEmulator({ seed: "none", ...modes });
  });
  const suite = graphConformanceSuite(() => {
    if (!graph) throw new Error("emulator not started");
    return { baseUrl: graph.url, token: graph.token, fetchOptions: insecureFetchOptions() };
  });

  // Runs after the suite's own afterAll (jest runs afterAll hooks in the order they are declared).
  afterAll(async () => {
    try {
      const lines = suite.report();
      expect(lines.filter((l) => l.kind === "relied" && !l.held)).toEqual([]);
      expect(find(lines, 1, "does not list the default folder")?.held).toBe(true);
      expect(find(lines, 15, "not throttled")?.held).toBe(modes.batchThrottling !== "legacy");
      expect(find(lines, 10, "in full")?.held).toBe(modes.truncateListProperties === null);
      expect(find(lines, 6, "recomputes")?.held).toBe(modes.displayNameOnRename === "recompute");
      expect(find(lines, 17, "PNG upload is refused")?.held).toBe(true);
      expect(find(lines, 17, "differ from the upload")?.held).toBe(true);
      expect(find(lines, 19, "claims challenges")?.detail).toContain(String(modes.claimsChallenge));
      // It worked only inside its own folder, and removed it again.
      const box = graph?.inspect();
      expect(box?.folders.map((f) => f.id)).toEqual([box?.defaultFolderId]);
      expect(box?.contacts.filter((c) => c.folderId !== box.deletedItemsId)).toEqual([]);
    } finally {
      await graph?.close();
    }
  });
});
