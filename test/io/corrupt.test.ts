/** Corrupt or foreign safetensors input fails with an error that says what is wrong, never garbage arrays. */
import { describe, expect, it } from "vitest";
import { inspectSafetensors, loadSafetensors, saveSafetensors } from "../../src/io/index.js";
import { edited, np, safetensorsFile } from "./_helpers.js";

const f32 = (name: string, shape: number[], begin: number) => ({
  [name]: { dtype: "F32", shape, data_offsets: [begin, begin + 4 * shape.reduce((a, b) => a * b, 1)] },
});

describe("loadSafetensors refuses corrupt files", () => {
  it("fewer than 8 bytes", () => {
    expect(() => loadSafetensors(new Uint8Array(5))).toThrow(
      /loadSafetensors: the file has 5 bytes, but a safetensors file starts with an 8-byte header length/,
    );
  });

  it("a header length beyond the file (truncated header, or not safetensors at all)", async () => {
    const good = await saveSafetensors({ w: np.zeros([4]) });
    expect(() => loadSafetensors(good.subarray(0, 20))).toThrow(
      /the header length is \d+ bytes, but the file has 12 bytes after it; the file is truncated/,
    );
    const npy = new TextEncoder().encode("\x93NUMPY\x01\x00v\x00{'descr': '<f4'}");
    expect(() => loadSafetensors(npy)).toThrow(/the header length is \d+ bytes.*not a safetensors file/);
  });

  it("a header that is not a JSON object", () => {
    expect(() => loadSafetensors(safetensorsFile('{"w": {"dtype": "F32",'))).toThrow(
      /loadSafetensors: the header is not valid JSON \(.*\); the file is corrupt/,
    );
    expect(() => loadSafetensors(safetensorsFile("[1, 2]"))).toThrow(/the header does not start with '\{'/);
    const badUtf8 = edited(safetensorsFile({ a: 1 }), (b) => (b[9] = 0xff));
    expect(() => loadSafetensors(badUtf8)).toThrow(/the header is not valid UTF-8/);
  });

  it("data offsets out of range (truncated data)", async () => {
    const good = await saveSafetensors({ w: np.zeros([4]) });
    expect(() => loadSafetensors(good.subarray(0, good.length - 4))).toThrow(
      "loadSafetensors: tensor 'w' has data_offsets [0, 16] beyond the 12 bytes of data after the header; the file is truncated or corrupt",
    );
  });

  it("offsets that disagree with shape and dtype, overlap, or leave holes", () => {
    expect(() =>
      loadSafetensors(safetensorsFile({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8))),
    ).toThrow(/tensor 'w' in the header: data_offsets \[0, 8\] span 8 bytes, but F32\[3\] needs 12/);
    const overlap = safetensorsFile({ ...f32("a", [2], 0), ...f32("b", [2], 4) }, new Uint8Array(12));
    expect(() => loadSafetensors(overlap)).toThrow(
      /tensor 'b' starts at byte 4 of the data, but the tensors before it end at byte 8/,
    );
    const hole = safetensorsFile({ ...f32("a", [1], 0), ...f32("b", [1], 8) }, new Uint8Array(12));
    expect(() => loadSafetensors(hole)).toThrow(/without holes or overlaps/);
    const trailing = safetensorsFile(f32("a", [1], 0), new Uint8Array(9));
    expect(() => loadSafetensors(trailing)).toThrow(/the tensors cover 4 bytes of data, but the file has 9/);
    const inverted = safetensorsFile({ a: { dtype: "F32", shape: [0], data_offsets: [4, 0] } }, new Uint8Array(4));
    expect(() => loadSafetensors(inverted)).toThrow(/data_offsets \[4, 0\] end before they begin/);
  });

  it("malformed entries and metadata", () => {
    const entry = (e: unknown) => safetensorsFile({ w: e });
    expect(() => loadSafetensors(entry(3))).toThrow(/tensor 'w' in the header: its entry is not an object/);
    expect(() => loadSafetensors(entry({ shape: [], data_offsets: [0, 0] }))).toThrow(/dtype is missing/);
    expect(() => loadSafetensors(entry({ dtype: "Q7", shape: [], data_offsets: [0, 0] }))).toThrow(
      /unknown dtype "Q7"/,
    );
    expect(() => loadSafetensors(entry({ dtype: "F32", shape: [-1], data_offsets: [0, 0] }))).toThrow(
      /shape is not a list of non-negative integers/,
    );
    expect(() => loadSafetensors(entry({ dtype: "F32", shape: [0], data_offsets: [0] }))).toThrow(
      /data_offsets is not a pair/,
    );
    expect(() => loadSafetensors(safetensorsFile({ __metadata__: { a: 1 } }))).toThrow(
      /__metadata__ entry 'a' is not a string/,
    );
  });

  it("dtypes graft does not have: an error with the conversion, while inspect still lists them", () => {
    const bf16 = safetensorsFile({ w: { dtype: "BF16", shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4));
    expect(() => loadSafetensors(bf16)).toThrow(
      /tensor 'w' has dtype BF16, which graft does not have .*; convert it before saving, e.g. tensor.to\(torch.float32\)/,
    );
    expect(inspectSafetensors(bf16).tensors).toEqual({ w: { dtype: "BF16", shape: [2] } });
  });

  it("wrong argument types name what to pass", () => {
    expect(() => loadSafetensors("model.safetensors" as unknown as Uint8Array)).toThrow(
      /expected the file's bytes as a Uint8Array or ArrayBuffer, got string/,
    );
    expect(() => loadSafetensors(new Blob([]) as unknown as Uint8Array)).toThrow(
      /got a Blob \(read a Blob or File with new Uint8Array\(await blob.arrayBuffer\(\)\)\)/,
    );
    expect(() => loadSafetensors(safetensorsFile({}), { backend: "tpu" })).toThrow(/backend 'tpu' is not registered/);
    expect(() => loadSafetensors(safetensorsFile({}), { like: {}, strict: true } as never)).toThrow(
      /unknown option 'strict'; known options: like, backend/,
    );
  });

  it("a tensor named __proto__ becomes an own key, never the result's prototype", async () => {
    const file = safetensorsFile(
      { "__proto__.polluted": { dtype: "F32", shape: [], data_offsets: [0, 4] } },
      new Uint8Array(4),
    );
    const back = loadSafetensors(file) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("an empty file (no tensors) loads as an empty object", () => {
    expect(loadSafetensors(safetensorsFile({}))).toEqual({});
  });
});
