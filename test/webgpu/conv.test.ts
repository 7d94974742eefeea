/**
 * conv_general_dilated on the WebGPU backend (backends/webgpu/codegen/primitives/conv.ts): every
 * JAX fixture case (test/fixtures/conv.json) eagerly and its gradients under jit, in float32,
 * against the JAX values; int32 exactly; a small CNN's loss gradient against the CPU backend.
 *
 * Tolerance 2e-5 relative to 1 + |value|: the shader sums in f32 (the reference in float64), over
 * at most a few hundred products of values of size ~1 (f32 rounding 6e-8 per step).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closeWebGpu,
  grad,
  initWebGpu,
  jit,
  lax,
  type np as NP,
  np,
  nn,
  random,
  withBackend,
} from "../../src/index.js";
import { convFixture, convOf, flatten } from "../lax/conv-fixture.js";
import { testGpu } from "./gpu.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

function expectClose(got: ArrayLike<number>, want: readonly number[], tol: number, what: string): void {
  expect(got.length, `${what}: size`).toBe(want.length);
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(got[i]! - want[i]!), `${what} index ${i}: got ${got[i]}, want ${want[i]}`).toBeLessThanOrEqual(
      tol * (1 + Math.abs(want[i]!)),
    );
}

describe.skipIf(skip !== undefined)(`conv_general_dilated on webgpu${skip ? ` (skipped: ${skip})` : ""}`, () => {
  beforeAll(async () => {
    if ("skip" in got) return;
    await initWebGpu({ gpu: got.gpu });
  });
  afterAll(() => closeWebGpu());

  // Gradients (three more convolutions each, compiled per shape: slow on a software adapter) for
  // the cases whose transposes differ most: strides with SAME, feature groups, batch groups.
  const withGrads = new Set([
    "nhwc same stride 2",
    "feature groups",
    "batch groups",
    "explicit negative pad lhs dilation",
  ]);
  for (const c of convFixture.conv) {
    it(`${c.name}: eager values${withGrads.has(c.name) ? " and jitted gradients" : ""} match JAX`, async () => {
      const f = convOf(c);
      const [x, w, ct] = withBackend("webgpu", () =>
        [c.lhs, c.rhs, c.cotangent].map((v) => np.array(v as number[], { dtype: "float32" })),
      ) as [NP.Array, NP.Array, NP.Array];
      expectClose(await withBackend("webgpu", () => f(x, w)).data(), flatten(c.out), 2e-5, "value");
      if (!withGrads.has(c.name)) return;
      const g = jit(grad((a: NP.Array, b: NP.Array) => np.sum(np.multiply(f(a, b), ct)), { argnums: [0, 1] }));
      const [gx, gw] = withBackend("webgpu", () => g(x, w));
      expectClose(await gx.data(), flatten(c.gradLhs), 2e-5, "grad lhs");
      expectClose(await gw.data(), flatten(c.gradRhs), 2e-5, "grad rhs");
    });
  }

  it("int32 convolves exactly", async () => {
    const y = withBackend("webgpu", () =>
      lax.conv(
        np.array([[[1, 2, 3, 4]]], { dtype: "int32" }),
        np.array([[[3, -1]]], { dtype: "int32" }),
        [1],
        [[1, 0]],
      ),
    );
    expect(Array.from(await y.data())).toEqual([-1, 1, 3, 5]);
  });

  it("a small CNN's loss gradient equals the CPU backend's", async () => {
    const model = nn.sequential(
      nn.conv({ features: 4, kernelSize: [3, 3] }),
      nn.relu,
      nn.maxPooling([2, 2], { strides: [2, 2] }),
      nn.flatten(),
      nn.dense(3),
    );
    const lossGrad = () => {
      const { params } = model.init(random.key(0), [2, 6, 6, 1]);
      const x = random.uniform(random.key(1), [2, 6, 6, 1]);
      const y = np.array([0, 2], { dtype: "int32" });
      const g = grad((p: typeof params) => nn.losses.softmaxCrossEntropyWithIntegerLabels(model.apply(p, x), y))(
        params,
      );
      return (g[0] as { kernel: NP.Array }).kernel;
    };
    const want = Array.from(withBackend("cpu", lossGrad).dataSync(), Number);
    expectClose(await withBackend("webgpu", lossGrad).data(), want, 2e-5, "conv kernel gradient");
  });
});
