/**
 * Control flow on WebGPU, recorded without reading the GPU: scan and fori (static lengths: a
 * device-side step counter), cond (every branch evaluated, outputs selected on the device), calls
 * (nested jit, custom rules), their gradients, and whileLoop (its predicate read back
 * asynchronously) — against the reference backend.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Array as GArray,
  closeWebGpu,
  checkpoint,
  customJvp,
  customVjp,
  grad,
  hessian,
  initWebGpu,
  jit,
  jvp,
  lax,
  np,
  vmap,
  withBackend,
} from "../../src/index.js";
import { MAX_SPECULATIVE_ITERATIONS } from "../../backends/webgpu/control.js";
import { webGpuStats } from "../../backends/webgpu/index.js";
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

  it("a long scan recorded in one call releases each step's spent carry (the collector cannot run meanwhile)", async () => {
    if ("skip" in got) return;
    // 200 carries of 16 KiB would need 3.2 MiB; the budget holds 64.
    await initWebGpu({ gpu: got.gpu, memoryBudget: 2 ** 20 });
    try {
      const f = (x: GArray): GArray =>
        lax.scan((c: GArray) => [c.mul(0.5).add(1), null] as [GArray, null], x, null, { length: 200 })[0];
      const [have, want] = await both(jit(f), [[4096]]);
      expect(Array.from(have)).toEqual(Array.from(want));
    } finally {
      await initWebGpu({ gpu: got.gpu });
    }
  });

  it("a call that hands back a temporary as the Program's output keeps it (grad of grad through nested checkpoint)", async () => {
    const f = (x: GArray): GArray => checkpoint((v: GArray) => checkpoint((y: GArray) => y.sin())(v).mul(v))(x);
    const gg = grad((v: GArray) => grad((u: GArray) => f(u).sum())(v).sum());
    for (const g of [gg, jit(gg)]) {
      const [have, want] = await both(g, [[3]]);
      expectClose(have, want, 1e-6);
    }
  });

  describe("whileLoop (predicate read asynchronously; later work waits behind the loop)", () => {
    const doubleUntil = (limit: number) => (v: GArray) =>
      lax.whileLoop(
        (c: GArray) => c.sum().less(limit),
        (c: GArray) => c.mul(2).add(0.5),
        v,
      );

    it("jitted and eager loops give the reference's carry, including zero iterations", async () => {
      for (const limit of [0, 10, 1e4]) {
        const [j, jWant] = await both(jit(doubleUntil(limit)), [[3]]);
        expect(Array.from(j)).toEqual(Array.from(jWant));
        const [e, eWant] = await both(doubleUntil(limit), [[2, 2]]);
        expect(Array.from(e)).toEqual(Array.from(eWant));
      }
    });

    it("work issued after the loop, uploads included, sees its final carry; earlier arrays read meanwhile", async () => {
      const f = (x: GArray): GArray[] => {
        const before = x.mul(3);
        const r = jit(doubleUntil(100))(x);
        const fresh = np.array([1, 2, 3, 4]).reshape([2, 2]);
        return [before, r.add(fresh).exp().sum(0), r];
      };
      const want = withBackend("cpu", () => f(np.array([0.5, 1, 1.5, 2], { shape: [2, 2] })).map((a) => a.dataSync()));
      const outs = withBackend("webgpu", () => f(np.array([0.5, 1, 1.5, 2], { shape: [2, 2] })));
      // The array made before the loop can be read while the loop still holds the queue.
      expect(Array.from(await outs[0]!.data())).toEqual(Array.from(want[0]!));
      const have = await Promise.all([outs[2]!.data(), outs[1]!.data()]);
      expect(Array.from(have[0])).toEqual(Array.from(want[2]!));
      expectClose(have[1] as Float32Array, want[1] as Float32Array, 1e-6);
    });

    it("an array collected while a loop holds the queue keeps its buffer until the work issued before is recorded", async () => {
      const gc = (globalThis as { gc?: () => void }).gc;
      expect(gc, "the WebGPU suite runs with --expose-gc").toBeTypeOf("function");
      const carry = (x: GArray): GArray => doubleUntil(1e30)(x);
      const run = (): [GArray, GArray] => {
        // `a` has the carries' size class; only the deferred `a + 1` still needs its buffer once it is collected.
        let a: GArray | undefined = np.array(values(64, 5), { shape: [64] });
        const r = jit(carry)(np.array(values(64, 6), { shape: [64] }));
        const b = a.add(1);
        a = undefined;
        return [r, b];
      };
      const want = withBackend("cpu", run).map((o) => Array.from(o.dataSync()));
      const [r, b] = withBackend("webgpu", run);
      gc!();
      // The collector's callbacks run between turns of the event loop, while the loop iterates.
      await new Promise((done) => setTimeout(done, 20));
      expect(Array.from(await b.data())).toEqual(want[1]);
      expect(Array.from(await r.data())).toEqual(want[0]);
    });

    it("nested loops, a loop in a scan's body and in a cond branch, fori with traced bounds", async () => {
      const inner = (c: GArray): GArray =>
        lax.whileLoop(
          (v: GArray) => v.max().less(c.sum().abs().add(4)),
          (v: GArray) => v.add(1),
          c.mul(0),
        );
      const nested = (x: GArray): GArray =>
        lax.whileLoop(
          (c: GArray) => c.sum().less(60),
          (c: GArray) => c.add(inner(c)).add(1),
          x,
        );
      const [n, nWant] = await both(jit(nested), [[3]]);
      expect(Array.from(n)).toEqual(Array.from(nWant));
      const scanned = (x: GArray): GArray =>
        lax.scan((c: GArray, xi: GArray) => [c.add(inner(xi)), c.sum()] as [GArray, GArray], x, x.reshape([3, 1]))[0];
      const [s, sWant] = await both(jit(scanned), [[3]]);
      expect(Array.from(s)).toEqual(Array.from(sWant));
      const branch = (x: GArray): GArray =>
        lax.cond(
          x.sum().greater(0),
          (v: GArray) => inner(v),
          (v: GArray) => v.neg(),
          x,
        );
      const [c, cWant] = await both(jit(branch), [[4]]);
      expect(Array.from(c)).toEqual(Array.from(cWant));
      const tripsFromData = (x: GArray): GArray =>
        lax.fori(
          np.array(0, { dtype: "int32" }),
          x.abs().sum().astype("int32"),
          (i: GArray, acc: GArray) => acc.mul(0.5).add(i.astype("float32")),
          x,
        );
      const [t, tWant] = await both(jit(tripsFromData), [[3]]);
      expect(Array.from(t)).toEqual(Array.from(tWant));
    });

    it("forward-mode derivatives through the loop, and a long loop read back in batches of iterations", async () => {
      const f = (x: GArray): GArray => doubleUntil(1e6)(x.sin());
      const [d, dWant] = await both(
        jit((x: GArray) => jvp(f, [x], [np.onesLike(x)])[1]),
        [[3]],
      );
      expectClose(d, dWant, 1e-6);
      const count = (x: GArray): GArray =>
        lax.whileLoop(
          ([i]: [GArray, GArray]) => i.less(300),
          ([i, v]: [GArray, GArray]) => [i.add(1), v.mul(0.99).add(1)] as [GArray, GArray],
          [np.array(0, { dtype: "int32" }), x] as [GArray, GArray],
        )[1];
      const holds = webGpuStats().holds;
      const [l, lWant] = await both(jit(count), [[5]]);
      // One read before each batch of iterations (1, 2, 4, …, 32, 32, …) and one that ends the loop.
      let reads = 1;
      for (let done = 0, batch = 1; done < 300; batch = Math.min(2 * batch, MAX_SPECULATIVE_ITERATIONS), reads++)
        done += batch;
      expect(webGpuStats().holds - holds).toBe(reads);
      expectClose(l, lWant, 1e-6);
    });
  });
});
