/** saveSafetensors / loadSafetensors / inspectSafetensors: byte layout, round trips, structure checks. */
import { describe, expect, it } from "vitest";
import { inspectSafetensors, loadSafetensors, saveSafetensors } from "../../src/io/index.js";
import { adam, chain, clipByGlobalNorm } from "../../src/optim/index.js";
import { registerPytreeNode } from "../../src/tree/index.js";
import { type Array, expectSameTree, fixture, hasFloat64, np, safetensorsFile } from "./_helpers.js";

const header = (bytes: Uint8Array): { length: number; json: Record<string, unknown>; text: string } => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = Number(view.getBigUint64(0, true));
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
  return { length, json: JSON.parse(text), text };
};

describe("saveSafetensors writes the format's layout", () => {
  it("u64 little-endian header length, JSON padded with spaces to 8 bytes, data indexed in order", async () => {
    const bytes = await saveSafetensors(
      { a: np.array([1, 2, 3], { dtype: "int32" }), b: { c: np.array([true, false]) } },
      { metadata: { note: "x" } },
    );
    const { length, json, text } = header(bytes);
    expect((8 + length) % 8).toBe(0);
    expect(text.trimEnd().endsWith("}")).toBe(true);
    expect(text.slice(text.trimEnd().length)).toMatch(/^ *$/);
    expect(json).toEqual({
      __metadata__: { note: "x" },
      a: { dtype: "I32", shape: [3], data_offsets: [0, 12] },
      "b.c": { dtype: "BOOL", shape: [2], data_offsets: [12, 14] },
    });
    const data = bytes.subarray(8 + length);
    expect([...data]).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 1, 0]);
  });

  it("orders tensors widest dtype first, then by name, so each starts at a multiple of its element size", async () => {
    const tree = { z: np.array([true]), y: np.array([1], { dtype: "uint32" }), x: np.array([0.5, 1.5]) };
    const { json } = header(await saveSafetensors(tree));
    expect(Object.keys(json)).toEqual(["x", "y", "z"]);
    expect(json.x).toEqual({ dtype: "F32", shape: [2], data_offsets: [0, 8] });
    expect(json.z).toEqual({ dtype: "BOOL", shape: [1], data_offsets: [12, 13] });
  });

  it.skipIf(!hasFloat64)("matches the bytes the safetensors package writes for the same tensors", async () => {
    // The reference writer: widest dtype first, ties by name, metadata first, header padded to 8 bytes.
    const ref = fixture("reference.safetensors");
    const loaded = loadSafetensors(ref);
    const info = inspectSafetensors(ref);
    const ours = await saveSafetensors(loaded, { metadata: info.metadata });
    expect(header(ours).json).toEqual(header(ref).json);
    expect(ours.subarray(8 + header(ours).length)).toEqual(ref.subarray(8 + header(ref).length));
  });
});

describe("round trips", () => {
  const dtypes = ["float32", "int32", "uint32", "bool", ...(hasFloat64 ? (["float64"] as const) : [])] as const;
  for (const dtype of dtypes)
    it(`keeps ${dtype} values exactly`, async () => {
      const values =
        dtype === "bool"
          ? [1, 0, 0, 1, 1, 0]
          : dtype === "uint32"
            ? [0, 1, 2 ** 32 - 1, 3e9, 7, 8]
            : dtype === "int32"
              ? [-(2 ** 31), -1, 0, 1, 2 ** 31 - 1, 42]
              : [Math.PI, -0, Number.NaN, Infinity, -Infinity, 1e-30];
      const x = np.array(values, { dtype, shape: [2, 3] });
      const back = loadSafetensors(await saveSafetensors({ x }));
      await expectSameTree(back, { x });
    });

  it("keeps 0-d, empty and large arrays", async () => {
    const n = 1 << 18;
    const big = np.arange(n).reshape([512, 512]).astype("float32");
    const tree = {
      scalar: np.array(2.5),
      empty: np.zeros([0, 4]),
      emptyInt: np.zeros([3, 0], { dtype: "int32" }),
      big,
    };
    const bytes = await saveSafetensors(tree);
    expect(bytes.length).toBeGreaterThan(n * 4);
    await expectSameTree(loadSafetensors(bytes), tree);
  });

  it("rebuilds nested objects and arrays from the names", async () => {
    const tree = {
      layers: [
        { w: np.ones([2, 2]), b: np.zeros([2]) },
        { w: np.ones([2, 1]), b: np.zeros([1]) },
      ],
      embed: { table: np.array([[1, 2, 3]]) },
    };
    const back = loadSafetensors(await saveSafetensors(tree));
    expect(globalThis.Array.isArray((back as { layers: unknown }).layers)).toBe(true);
    await expectSameTree(back, tree);
  });

  it("more than 10 list elements come back in numeric order", async () => {
    const list = globalThis.Array.from({ length: 12 }, (_, i) => np.array([i]));
    const back = loadSafetensors(await saveSafetensors({ list }));
    await expectSameTree(back, { list });
  });

  it("restores an optimizer state (chain of clipping and adam) with `like`", async () => {
    const params = {
      w: np.array([
        [1, -2],
        [3, 0.5],
      ]),
      layers: [{ b: np.array([0.1, 0.2]) }],
    };
    const opt = chain(clipByGlobalNorm(1), adam(0.1));
    let state = opt.init(params);
    const grads = {
      w: np.array([
        [0.3, -0.1],
        [0.2, 0.4],
      ]),
      layers: [{ b: np.array([1, -1]) }],
    };
    [, state] = opt.update(grads, state, params);
    const bytes = await saveSafetensors({ params, state });
    const fresh = { params, state: opt.init(params) };
    const back = loadSafetensors(bytes, { like: fresh });
    await expectSameTree(back, { params, state });
    // The restored state drives the next update exactly like the original one.
    const [u1] = opt.update(grads, state, params);
    const [u2] = opt.update(grads, back.state, back.params);
    await expectSameTree(u2, u1);
  });

  it("`like` restores registered classes, empty containers and nulls", async () => {
    class Pair {
      constructor(
        readonly first: unknown,
        readonly second: unknown,
      ) {}
    }
    registerPytreeNode(Pair, { flatten: (p) => [[p.first, p.second], null], unflatten: (_, [a, b]) => new Pair(a, b) });
    const like = { pair: new Pair(np.zeros([2]), np.zeros([], { dtype: "int32" })), empty: {}, none: null };
    const value = { pair: new Pair(np.array([3, 4]), np.array(9, { dtype: "int32" })), empty: {}, none: null };
    const back = loadSafetensors(await saveSafetensors(value), { like });
    expect(back.pair).toBeInstanceOf(Pair);
    expect(back.empty).toEqual({});
    expect(back.none).toBeNull();
    await expectSameTree(back, value);
  });

  it("creates arrays on the backend it is given, and never mutates the saved tree", async () => {
    const x = np.array([1, 2, 3]);
    const tree = Object.freeze({ x });
    const back = loadSafetensors(await saveSafetensors(tree), { backend: "cpu" }) as { x: Array };
    expect(back.x.backend).toBe("cpu");
    expect(back.x.dataSync()).toEqual(new Float32Array([1, 2, 3]));
    expect(tree.x).toBe(x);
  });

  it("accepts an ArrayBuffer, and a Uint8Array that is a window into a larger buffer", async () => {
    const bytes = await saveSafetensors({ v: np.array([5, 6]) });
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    await expectSameTree(loadSafetensors(padded.subarray(3)), { v: np.array([5, 6]) });
    await expectSameTree(loadSafetensors(bytes.slice().buffer), { v: np.array([5, 6]) });
  });

  it("inspectSafetensors lists names, dtypes, shapes and metadata", async () => {
    const bytes = await saveSafetensors({ a: { b: np.zeros([2, 3]) } }, { metadata: { epoch: "4" } });
    expect(inspectSafetensors(bytes)).toEqual({
      tensors: { "a.b": { dtype: "F32", shape: [2, 3] } },
      metadata: { epoch: "4" },
    });
  });
});

describe("errors on saving", () => {
  it("names leaves that are not graft arrays", async () => {
    await expect(saveSafetensors({ a: { lr: 0.1 } })).rejects.toThrow(
      /saveSafetensors: the leaf 'a.lr' is number 0.1; only graft arrays can be saved; wrap it with np.array/,
    );
  });
  it("refuses keys that would make ambiguous names", async () => {
    await expect(saveSafetensors({ "a.b": np.zeros([1]) })).rejects.toThrow(
      /the key 'a.b' under the root contains "."/,
    );
    await expect(saveSafetensors({ a: { "": np.zeros([1]) } })).rejects.toThrow(/empty key under 'a'/);
  });
  it("refuses a bare array and bad metadata", async () => {
    await expect(saveSafetensors(np.zeros([1]))).rejects.toThrow(/single array, which has no tensor name/);
    await expect(saveSafetensors({ x: np.zeros([1]) }, { metadata: { n: 3 as unknown as string } })).rejects.toThrow(
      /metadata 'n' is a number; the format stores strings only/,
    );
    await expect(saveSafetensors({ x: np.zeros([1]) }, { meta: {} } as never)).rejects.toThrow(/unknown option 'meta'/);
  });
});

describe("structure and dtype checks against `like`", () => {
  const saved = async () => saveSafetensors({ w: np.zeros([2, 3]), b: np.zeros([3]) });
  it("a shape mismatch names the tensor, the expected and the found", async () => {
    const bytes = await saved();
    const like = { w: np.zeros([3, 2]), b: np.zeros([3]) };
    expect(() => loadSafetensors(bytes, { like })).toThrow(
      "loadSafetensors: tensor 'w': `like` expects float32[3,2], the file has float32[2,3]",
    );
  });
  it("a dtype mismatch", async () => {
    const bytes = await saved();
    const like = { w: np.zeros([2, 3], { dtype: "int32" }), b: np.zeros([3]) };
    expect(() => loadSafetensors(bytes, { like })).toThrow(
      /tensor 'w': `like` expects int32\[2,3\], the file has float32\[2,3\]/,
    );
  });
  it("a missing tensor and an extra tensor", async () => {
    const bytes = await saved();
    expect(() => loadSafetensors(bytes, { like: { w: np.zeros([2, 3]), b: np.zeros([3]), c: np.zeros([1]) } })).toThrow(
      /`like` expects a tensor 'c' \(float32\[1\]\) that the file does not have; the file has '[bw]', '[bw]'$/,
    );
    expect(() => loadSafetensors(bytes, { like: { w: np.zeros([2, 3]) } })).toThrow(
      /the file has a tensor 'b' that `like` does not have/,
    );
  });
  it("a `like` leaf that is not an array", async () => {
    const bytes = await saved();
    expect(() => loadSafetensors(bytes, { like: { w: 1, b: np.zeros([3]) } })).toThrow(
      /the leaf 'w' of `like` is number 1; `like` must be a pytree of graft arrays/,
    );
  });
  it("names that cannot be one pytree", async () => {
    const clash = safetensorsFile(
      {
        a: { dtype: "F32", shape: [], data_offsets: [0, 4] },
        "a.c": { dtype: "F32", shape: [], data_offsets: [4, 8] },
      },
      new Uint8Array(8),
    );
    expect(() => loadSafetensors(clash)).toThrow(/the tensor names 'a' and 'a.c' cannot both be leaves of one pytree/);
  });
});
