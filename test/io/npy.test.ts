/** saveNpy / loadNpy, saveNpz / loadNpz: layouts numpy writes, round trips, and their errors. */
import { describe, expect, it } from "vitest";
import { loadNpy, loadNpz, saveNpy, saveNpz } from "../../src/io/index.js";
import { adam } from "../../src/optim/index.js";
import { edited, expectSameTree, fixture, hasFloat64, np } from "./_helpers.js";

const latin1 = (b: Uint8Array): string => new TextDecoder("latin1").decode(b);

describe("saveNpy writes what np.save writes", () => {
  it("is byte-identical to the numpy-written fixture for the same array", async () => {
    // scripts/io-fixtures.py: np.arange(6, dtype=float32).reshape(2, 3) * 0.5 - 1
    const x = np.array([-1, -0.5, 0, 0.5, 1, 1.5], { shape: [2, 3] });
    expect(await saveNpy(x)).toEqual(fixture("f32_2x3.npy"));
  });
  it("is byte-identical for a bool matrix and for an empty array", async () => {
    const b = np.array([1, 0, 0, 1], { dtype: "bool", shape: [2, 2] });
    expect(await saveNpy(b)).toEqual(fixture("bool_2x2.npy"));
    expect(await saveNpy(np.zeros([2, 0]))).toEqual(fixture("f32_empty.npy"));
  });
  it("pads the version-1.0 header with spaces and a newline to a multiple of 64 bytes", async () => {
    const bytes = await saveNpy(np.zeros([], { dtype: "uint32" }));
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    expect([...bytes.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]); // "\x93NUMPY", 1.0
    expect(latin1(bytes.subarray(10, 10 + headerLength))).toMatch(
      /^\{'descr': '<u4', 'fortran_order': False, 'shape': \(\), \} +\n$/,
    );
    expect(bytes.length).toBe(10 + headerLength + 4);
  });
});

describe("npy round trips", () => {
  const dtypes = ["float32", "int32", "uint32", "bool", ...(hasFloat64 ? (["float64"] as const) : [])] as const;
  for (const dtype of dtypes)
    it(`keeps ${dtype} values, 0-d and empty arrays`, async () => {
      const values = dtype === "bool" ? [0, 1, 1, 0] : dtype === "uint32" ? [4294967295, 0, 1, 2] : [-7, 0.5, 3, -0];
      for (const x of [
        np.array(values, { dtype: dtype === "int32" ? "float32" : dtype, shape: [2, 2] }).astype(dtype),
        np.array(values[0]!, { dtype }),
        np.zeros([0, 2], { dtype }),
      ]) {
        const back = loadNpy(await saveNpy(x));
        await expectSameTree(back, x);
      }
    });
});

describe("loadNpy errors", () => {
  it("refuses Fortran order, naming the fix", () => {
    expect(() => loadNpy(fixture("fortran.npy"))).toThrow(
      /loadNpy: the file holds a Fortran-order \(column-major\) array; graft reads C order: save np.ascontiguousarray\(x\) instead/,
    );
  });
  it("refuses int64 with the conversion to make", () => {
    expect(() => loadNpy(fixture("int64.npy"))).toThrow(
      /loadNpy: the file has dtype '<i8', which graft does not have .*; convert it before saving: x.astype\(np.int32\)/,
    );
  });
  it("refuses a wrong magic, an unknown version, a truncated header and truncated data", () => {
    const good = fixture("f32_2x3.npy");
    expect(() => loadNpy(edited(good, (b) => (b[1] = 0x4f)))).toThrow(/loadNpy: the file is not a .npy file/);
    expect(() => loadNpy(edited(good, (b) => (b[6] = 9)))).toThrow(
      /.npy format version 9.0; graft reads versions 1.0 to 3.0/,
    );
    expect(() => loadNpy(good.subarray(0, 40))).toThrow(/declares a 118-byte header .*; it is truncated/);
    expect(() => loadNpy(good.subarray(0, good.length - 1))).toThrow(
      /holds float32\[2,3\], which needs 24 bytes of data, but has 23; it is truncated/,
    );
    expect(() => loadNpy(new Float32Array(4) as unknown as Uint8Array)).toThrow(
      /loadNpy: expected the file's bytes as a Uint8Array or ArrayBuffer, got a Float32Array/,
    );
  });
  it("refuses a header that is not a dict, or has no shape", () => {
    const good = fixture("f32_2x3.npy");
    const noDict = edited(good, (b) => (b[10] = 0x28)); // "{" → "("
    expect(() => loadNpy(noDict)).toThrow(/has a header that is not a dict/);
    const text = latin1(good).replace("'shape'", "'shapf'");
    const noShape = Uint8Array.from(text, (c) => c.charCodeAt(0));
    expect(() => loadNpy(noShape)).toThrow(/has no shape in its header/);
  });
});

describe("npz", () => {
  it("round-trips a nested tree with an optimizer state, entry names being the pytree paths", async () => {
    const params = { layers: [{ w: np.ones([2, 2]), b: np.zeros([2]) }], scale: np.array(3) };
    const opt = adam(0.01);
    const tree = { params, opt: opt.init(params) };
    const bytes = await saveNpz(tree);
    const names = latin1(bytes).match(/[a-z0-9.]+\.npy/g) ?? [];
    expect(new Set(names)).toEqual(
      new Set([
        "params.layers.0.b.npy",
        "params.layers.0.w.npy",
        "params.scale.npy",
        "opt.0.count.npy",
        "opt.0.mu.layers.0.b.npy",
        "opt.0.mu.layers.0.w.npy",
        "opt.0.mu.scale.npy",
        "opt.0.nu.layers.0.b.npy",
        "opt.0.nu.layers.0.w.npy",
        "opt.0.nu.scale.npy",
      ]),
    );
    await expectSameTree(await loadNpz(bytes, { like: tree }), tree);
    // Without `like`, only what has tensors comes back: adam's empty second state ({}) is gone.
    await expectSameTree(await loadNpz(bytes), { params, opt: [tree.opt[0]] });
  });

  it("each entry is the saveNpy file of its array, stored uncompressed", async () => {
    const w = np.array([1, 2, 3], { dtype: "int32" });
    const bytes = await saveNpz({ w });
    const npy = await saveNpy(w);
    const at = latin1(bytes).indexOf("\x93NUMPY");
    expect(bytes.subarray(at, at + npy.length)).toEqual(npy);
  });

  it("an empty tree gives an empty archive, which loads as an empty object", async () => {
    const bytes = await saveNpz({});
    expect(bytes.length).toBe(22);
    expect(await loadNpz(bytes)).toEqual({});
  });

  it("checks `like`", async () => {
    const bytes = await saveNpz({ w: np.zeros([2]) });
    await expect(loadNpz(bytes, { like: { w: np.zeros([3]) } })).rejects.toThrow(
      "loadNpz: tensor 'w': `like` expects float32[3], the file has float32[2]",
    );
  });

  it("rejects corrupt archives: wrong magic, truncation, a bad CRC, a foreign entry", async () => {
    const good = await saveNpz({ w: np.array([1, 2, 3]) });
    await expect(loadNpz(edited(good, (b) => (b[0] = 0x51)))).rejects.toThrow(/not an .npz \(zip\) archive/);
    await expect(loadNpz(good.subarray(0, good.length - 30))).rejects.toThrow(/no zip end-of-central-directory record/);
    const dataAt = latin1(good).indexOf("\x93NUMPY");
    await expect(loadNpz(edited(good, (b) => (b[dataAt + 128]! ^= 1)))).rejects.toThrow(
      /zip entry 'w.npy' fails its CRC-32 check/,
    );
    const renamed = Uint8Array.from(latin1(good).replaceAll("w.npy", "w.txt"), (c) => c.charCodeAt(0));
    await expect(loadNpz(renamed)).rejects.toThrow(/an entry 'w.txt' that is not a .npy file/);
    await expect(loadNpz(edited(good, (_, v) => v.setUint32(good.length - 6, 9999, true)))).rejects.toThrow(
      /central directory lies outside the file/,
    );
  });
});
