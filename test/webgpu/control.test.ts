/**
 * Control flow on WebGPU, recorded without reading the GPU: scan and fori (static lengths: a
 * device-side step counter), cond (every branch evaluated, outputs selected on the device), calls
 * (nested jit, custom rules), their gradients — against the reference backend; whileLoop refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Array as GArray,
  closeWebGpu,
  customJvp,
  customVjp,
  grad,
  hessian,
  initWebGpu,
  jit,
  lax,
  np,
  vmap,
  withBackend,
} from "../../src/index.js";
import { values } from "./data.js";
import { testGpu } from "./gpu.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

/** Runs f on both backends with the same float32 inputs; returns [webgpu, cpu] contents. */
async function both(f: (...xs: GArray[]) => GArray, shapes: number[][]): Promise<[Float32Array, Float32Array]> {
  const make = () =>
    shapes.map((s, k) =>
      np.array(
        values(
          s.reduce((a, b) => a * b, 1),
          k + 1,
        ),
        { shape: s },
      ),
    );
  const want = withBackend("cpu", () => f(...make()).dataSync() as Float32Array);
  const have = (await withBackend("webgpu", () => f(...make())).data()) as Float32Array;
  return [have, want];
}

function expectClose(have: Float32Array, want: Float32Array, rtol: number): void {
  expect(have.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++)
    worst = Math.max(worst, Math.abs(have[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  expect(worst).toBeLessThanOrEqual(rtol);
}

describe.skipIf(skip !== undefined)(`control flow on webgpu${skip ? ` (skipped: ${skip})` : ""}`, () => {
  beforeAll(async () => {
    if (!("skip" in got)) await initWebGpu({ gpu: got.gpu });
  });
  afterAll(() => closeWebGpu());

  // float32 adds and multiplies are correctly rounded on both backends and each step rounds once:
  // the results agree exactly unless a reduction is involved (then within its float32 bound).
  it("scan: carries and stacked outputs, forwards and reversed, jitted and eager", async () => {
    for (const reverse of [false, true]) {
      const f = (c0: GArray, xs: GArray) => {
        const [c, ys] = lax.scan((c: GArray, x: GArray) => [c.mul(0.5).add(x), c.mul(x)] as const, c0, xs, { reverse });
        return np.concatenate([c, ys.reshape([-1])]);
      };
      const [have, want] = await both(jit(f), [[3], [7, 3]]);
      expect(Array.from(have)).toEqual(Array.from(want));
      const [eager, wantEager] = await both(f, [[3], [7, 3]]);
      expect(Array.from(eager)).toEqual(Array.from(wantEager));
    }
  });

  it("fori with static bounds, and the gradient of a scan (reverse mode runs a reversed scan)", async () => {
    const f = (x: GArray) => lax.fori(0, 6, (i: GArray, c: GArray) => c.mul(0.9).add(i.astype("float32")), x);
    const [have, want] = await both(jit(f), [[5]]);
    expect(Array.from(have)).toEqual(Array.from(want));
    const loss = (w: GArray, xs: GArray) => {
      const [c] = lax.scan((c: GArray, x: GArray) => [np.tanh(c.mul(w).add(x)), null] as const, np.zeros([4]), xs);
      return np.sum(c);
    };
    const [g, gWant] = await both(jit(grad(loss)), [[4], [5, 4]]);
    expectClose(g, gWant, 1e-5);
  });

  it("cond: both branches evaluated, the right one selected on the device", async () => {
    const f = (p: GArray, x: GArray) =>
      lax.cond(
        p.sum().greater(0),
        (v: GArray) => v.mul(2),
        (v: GArray) => v.sub(1),
        x,
      );
    for (const sign of [1, -1]) {
      const g = (p: GArray, x: GArray) => f(p.mul(sign), x);
      const [have, want] = await both(jit(g), [[2], [6]]);
      expect(Array.from(have)).toEqual(Array.from(want));
    }
  });

  it("nested jit calls run their own Programs", async () => {
    const inner = jit((x: GArray) => np.exp(x).sub(x));
    const [have, want] = await both(
      jit((x: GArray) => inner(x).mul(inner(x.mul(2)))),
      [[9]],
    );
    expectClose(have, want, 1e-6);
  });

  it("composed transforms: jit(hessian), jit(vmap(grad)), custom JVP and VJP rules", async () => {
    const f = (x: GArray) => np.sum(np.power(x, 4)).add(np.sum(x.get("0:4").mul(x.get("1:5"))));
    const [h, hWant] = await both(
      jit((x: GArray) => hessian(f)(x) as GArray),
      [[5]],
    );
    expectClose(h, hWant, 1e-5);
    const perExample = (w: GArray, xs: GArray) =>
      vmap((x: GArray) => grad((v: GArray) => np.tanh(np.sum(v.mul(x))))(w))(xs);
    const [g, gWant] = await both(jit(perExample), [[3], [4, 3]]);
    expectClose(g, gWant, 1e-5);
    const softplus = customJvp((x: GArray) => np.log1p(np.exp(x)));
    softplus.defJvp(([x], [t]) => [softplus(x!), t!.mul(np.exp(x!.neg()).add(1).reciprocal())]);
    const clip = customVjp((x: GArray) => x);
    clip.defVjp(
      (x: GArray) => [x, null],
      (_res: null, ct: GArray) => [ct.clip(-1, 1)],
    );
    const [c, cWant] = await both(jit(grad((x: GArray) => np.sum(softplus(clip(x).mul(10))))), [[6]]);
    expectClose(c, cWant, 1e-5);
  });

  it("whileLoop is refused with the alternatives", () => {
    const x = withBackend("webgpu", () => np.array([1]));
    expect(() =>
      withBackend("webgpu", () =>
        jit((v: GArray) =>
          lax.whileLoop(
            (c: GArray) => c.sum().less(10),
            (c: GArray) => c.mul(2),
            v,
          ),
        )(x),
      ),
    ).toThrow(/whileLoop's trip count depends on values the GPU computes.*use fori or scan with a static length/);
  });
});
