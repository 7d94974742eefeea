/**
 * Files written by Python (scripts/io-fixtures.py: NumPy's np.save / np.savez / np.savez_compressed,
 * the `safetensors` package, and a safetensors file built by hand from the specification) load with
 * the dtypes, shapes and values that expected.json records from the Python side.
 */
import { describe, expect, it } from "vitest";
import { inspectSafetensors, loadNpy, loadNpz, loadSafetensors } from "../../src/io/index.js";
import { type Array, expected, expectTensor, fixture, hasFloat64, np } from "./_helpers.js";

/** The tensor of a loaded tree at a dotted path (arrays indexed by number). */
function at(tree: unknown, path: string): unknown {
  let node = tree;
  for (const step of path.split(".")) node = (node as Record<string, unknown>)[step];
  return node;
}

/** Checks every tensor of expected.json's tree in `loaded`, and the structure the names spell. */
async function expectFixtureTree(loaded: unknown): Promise<void> {
  for (const [name, want] of Object.entries(expected.tree)) await expectTensor(at(loaded, name), want, name);
  expect(globalThis.Array.isArray((loaded as { layers: unknown }).layers), "layers is a JS array").toBe(true);
  expect(Object.keys(loaded as object).sort()).toEqual(["empty", "hash", "ids", "layers", "mask", "special", "step"]);
}

// The fixture tree holds float64 tensors: on WebGPU, which has no float64, they load on the CPU.
const backend = hasFloat64 ? undefined : "cpu";

describe("files written by Python", () => {
  for (const name of Object.keys(expected.npy))
    it.skipIf(!hasFloat64 && expected.npy[name]!.dtype === "float64")(`np.save: ${name}.npy`, async () => {
      await expectTensor(loadNpy(fixture(`${name}.npy`)), expected.npy[name]!, name);
    });

  it("np.savez: tree.npz", async () => {
    await expectFixtureTree(await loadNpz(fixture("tree.npz"), { backend }));
  });

  it("np.savez_compressed (DEFLATE entries): tree_compressed.npz", async () => {
    await expectFixtureTree(await loadNpz(fixture("tree_compressed.npz"), { backend }));
  });

  it("the safetensors package: reference.safetensors, with its metadata", async () => {
    const bytes = fixture("reference.safetensors");
    await expectFixtureTree(loadSafetensors(bytes, { backend }));
    expect(inspectSafetensors(bytes).metadata).toEqual(expected.metadata);
  });

  it("hand-rolled from the specification: handrolled.safetensors", async () => {
    await expectFixtureTree(loadSafetensors(fixture("handrolled.safetensors"), { backend }));
  });

  it("`like` checks the Python-written file's shapes and dtypes", async () => {
    const like = loadSafetensors(fixture("reference.safetensors"), { backend }) as Record<string, Array>;
    const wrong = { ...like, step: np.zeros([], { dtype: "float32" }) };
    expect(() => loadSafetensors(fixture("reference.safetensors"), { like: wrong, backend })).toThrow(
      "loadSafetensors: tensor 'step': `like` expects float32[], the file has int32[]",
    );
  });
});
