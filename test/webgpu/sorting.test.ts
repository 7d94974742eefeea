/**
 * The sorting functions on WebGPU: compositions of argsort, gather, slices, pads and selects run
 * there, jitted and eager, with the CPU backend's results; np.unique without a static size cannot
 * read its output length back synchronously and says to pass `size`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array as GArray, closeWebGpu, initWebGpu, jit, lax, np, withBackend } from "../../src/index.js";
import { testGpu } from "./gpu.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

const input = () =>
  np.array([
    [0.5, -2, 3, 0.5, 1, -0],
    [4, 4, -1, 0, 2, Number.NaN],
  ]);

describe.skipIf(skip !== undefined)(`sorting on webgpu${skip ? ` (skipped: ${skip})` : ""}`, () => {
  beforeAll(async () => {
    if (!("skip" in got)) await initWebGpu({ gpu: got.gpu });
  });
  afterAll(() => closeWebGpu());

  const ops: [string, (x: GArray) => GArray][] = [
    ["sort", (x) => np.sort(x, -1, { descending: true })],
    ["argsort", (x) => np.argsort(x, 0)],
    ["topK", (x) => lax.topK(x, 3)[1]],
    ["searchsorted", (x) => np.searchsorted(np.array([-1, 0, 0.5, 2, 4]), x, { side: "right" })],
    ["cumprod", (x) => np.cumprod(x, 1, { reverse: true })],
    ["cummax", (x) => np.cummax(x, 1)],
    ["unique sized", (x) => np.unique(x, { size: 9, fillValue: 7 })],
    ["quantile", (x) => np.quantile(x, [0.2, 0.5], 1, { method: "nearest" })],
  ];
  for (const [name, f] of ops)
    it(`${name}: eager and jitted equal the CPU backend`, async () => {
      const want = Array.from(
        withBackend("cpu", () => f(input()).dataSync()),
        String,
      );
      const eager = await withBackend("webgpu", () => f(input())).data();
      const jitted = await withBackend("webgpu", () => jit(f)(input())).data();
      expect(Array.from(eager, String)).toEqual(want);
      expect(Array.from(jitted, String)).toEqual(want);
    });

  it("unique without size asks for the size option instead of reading back", () => {
    expect(() => withBackend("webgpu", () => np.unique(input()))).toThrow(
      /unique: .*cannot read synchronously.*\{ size \}/s,
    );
  });
});
