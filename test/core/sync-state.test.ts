import fc from "fast-check";
import { mappedFields, type MappedField, type MappedRecord } from "../../src/core/mapping";
import { decodeSyncState, encodeSyncState, type SyncState } from "../../src/core/sync-state";

const emptyRecord = (): MappedRecord =>
  Object.fromEntries(mappedFields.map((f) => [f, null])) as MappedRecord;

const state: SyncState = {
  v: 1,
  crmVersion: "v7",
  syncedAt: "2026-11-25T10:00:00Z",
  record: { ...emptyRecord(), firstName: "Anna", lastName: "Schmidt", notes: "a\nb" },
  fields: ["firstName", "lastName", "email", "notes"],
  photoHash: "12:abc",
};

describe("sync state", () => {
  it("round-trips", () => {
    expect(decodeSyncState(encodeSyncState(state))).toEqual(state);
  });

  it("stores only the synchronised fields, compactly (nulls omitted)", () => {
    const raw = encodeSyncState({ ...state, record: { ...state.record, city: "München" } });
    expect(JSON.parse(raw)).toEqual({
      v: 1,
      cv: "v7",
      at: "2026-11-25T10:00:00Z",
      r: { firstName: "Anna", lastName: "Schmidt", notes: "a\nb" },
      f: ["firstName", "lastName", "email", "notes"],
      ph: "12:abc",
    });
    expect(decodeSyncState(raw)?.record.city).toBeNull();
  });

  it("keeps a null photo hash", () => {
    expect(decodeSyncState(encodeSyncState({ ...state, photoHash: null }))?.photoHash).toBeNull();
  });

  it.each<[string, string | null | undefined]>([
    ["null", null],
    ["undefined", undefined],
    ["empty", ""],
    ["garbage", "garbage"],
    ["truncated JSON", encodeSyncState(state).slice(0, 20)],
    ["JSON null", "null"],
    ["a number", "42"],
    ["an array", "[]"],
    ["unknown version", JSON.stringify({ ...JSON.parse(encodeSyncState(state)), v: 2 })],
    ["unknown field", JSON.stringify({ ...JSON.parse(encodeSyncState(state)), f: ["nickname"] })],
    ["missing crm version", JSON.stringify({ ...JSON.parse(encodeSyncState(state)), cv: "" })],
    ["non-string value", JSON.stringify({ ...JSON.parse(encodeSyncState(state)), r: { lastName: 5 } })],
  ])("decodes %s to null", (_name, raw) => {
    expect(decodeSyncState(raw)).toBeNull();
  });

  it("round-trips any state whose record holds only synchronised fields", () => {
    const value = fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: null });
    fc.assert(
      fc.property(
        fc.subarray([...mappedFields]),
        fc.record(
          Object.fromEntries(mappedFields.map((f) => [f, value])) as Record<
            MappedField,
            fc.Arbitrary<string | null>
          >,
        ),
        fc.string({ minLength: 1 }),
        fc.option(fc.string(), { nil: null }),
        (fields, full, crmVersion, photoHash) => {
          const record = emptyRecord();
          for (const f of fields) record[f] = full[f];
          const s: SyncState = {
            v: 1,
            crmVersion,
            syncedAt: "2026-01-01T00:00:00Z",
            record,
            fields,
            photoHash,
          };
          expect(decodeSyncState(encodeSyncState(s))).toEqual(s);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never throws on arbitrary input", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (raw) => {
        expect(() => decodeSyncState(raw)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
