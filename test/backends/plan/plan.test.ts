import { describe, expect, it } from "vitest";
import { type Array, grad, jit, nn, np } from "../../../src/index.js";
import { planProgram } from "../../../backends/plan/build.js";
import { peakLiveBytes } from "../../../backends/plan/lifetimes.js";
import { planToText } from "../../../backends/plan/print.js";
import { reshapeView } from "../../../backends/plan/views.js";
import type { Kernel, KernelPlan } from "../../../backends/plan/types.js";

const planOf = (f: (...xs: Array[]) => Array, ...args: Array[]): KernelPlan =>
  planProgram(jit(f).lower(...args).program);
const kinds = (p: KernelPlan): string[] => p.kernels.map((k) => k.kind);

const w2 = (x: Array): Array => np.tanh(x.mul(0.5).add(1)).mul(nn.sigmoid(x)).sub(x.mul(x).div(3));

describe("kernel plan: fusion", () => {
  it("fuses an elementwise chain (W2) into one kernel reading its input once", () => {
    const p = planOf(w2, np.ones([1000]));
    expect(kinds(p)).toEqual(["elementwise"]);
    const k = p.kernels[0] as Kernel & { kind: "elementwise" };
    expect(k.inputs).toHaveLength(1);
    expect(k.body.filter((n) => n.kind === "op").map((n) => (n.kind === "op" ? n.prim : ""))).toContain("tanh");
  });

  it("turns broadcasts, transposes and slices into strides, not copies", () => {
    const p = planOf((x: Array, b: Array) => x.T.add(b).get(np.slice(1, 3)), np.ones([4, 5]), np.ones([4]));
    expect(kinds(p)).toEqual(["elementwise"]);
    const k = p.kernels[0] as Kernel & { kind: "elementwise" };
    const strides = k.inputs.map((v) => [...v.strides]);
    // x.T read with transposed strides from row 1; b broadcast along the first axis (stride 0).
    expect(strides).toContainEqual([1, 5]);
    expect(strides).toContainEqual([0, 1]);
  });

  it("computes a value read twice within one expression once, without materializing it", () => {
    const p = planOf(
      (x: Array) => {
        const e = np.exp(x);
        return np.where(e.greater(1), e, e.mul(2));
      },
      np.ones([64]),
    );
    expect(kinds(p)).toEqual(["elementwise"]);
    const k = p.kernels[0] as Kernel & { kind: "elementwise" };
    expect(k.body.filter((n) => n.kind === "op" && n.prim === "exp")).toHaveLength(1);
  });

  it("materializes a value used twice, and broadcasts of computed values", () => {
    const p = planOf(
      (x: Array) => {
        const e = np.exp(x);
        return e.mul(e.sum());
      },
      np.ones([64]),
    );
    expect(kinds(p)).toEqual(["elementwise", "reduce", "elementwise"]);
  });

  it("gives a reduction its prologue", () => {
    const p = planOf((x: Array) => np.sum(np.exp(x).mul(2), 1), np.ones([8, 16]));
    expect(kinds(p)).toEqual(["reduce"]);
    const k = p.kernels[0] as Kernel & { kind: "reduce" };
    expect(k.body.some((n) => n.kind === "op" && n.prim === "exp")).toBe(true);
  });

  it("gives a matrix product its epilogue (bias and activation)", () => {
    const mlp = (w: Array, b: Array, x: Array): Array => np.maximum(np.matmul(x, w).add(b), 0);
    const p = planOf(mlp, np.ones([784, 256]), np.ones([256]), np.ones([128, 784]));
    expect(kinds(p)).toEqual(["dot"]);
    const k = p.kernels[0] as Kernel & { kind: "dot" };
    expect([k.m, k.k, k.n]).toEqual([128, 784, 256]);
    expect(k.epilogue?.body.map((n) => (n.kind === "op" ? n.prim : n.kind))).toEqual([
      "input",
      "input",
      "add",
      "literal",
      "max",
    ]);
  });

  it("reads a transposed matrix operand through strides", () => {
    const p = planOf((a: Array, b: Array) => np.matmul(a.T, b), np.ones([3, 4]), np.ones([3, 5]));
    expect(kinds(p)).toEqual(["dot"]);
    const k = p.kernels[0] as Kernel & { kind: "dot" };
    expect(k.lhs.strides.slice(1)).toEqual([1, 4]);
  });

  it("prints every kernel", () => {
    const text = planToText(planOf(w2, np.ones([10])));
    expect(text).toMatch(/kernel 0: elementwise \[10\]/);
    expect(text).toMatch(/tanh/);
  });
});

describe("kernel plan: buffer lifetimes", () => {
  it("reuses the memory of dead intermediates", () => {
    // A chain of values each read by two kernels (an elementwise one and a reduction): every one
    // is materialized, but only two live at once.
    const chain = (x: Array): Array => {
      let y = x;
      for (let i = 0; i < 8; i++) y = y.mul(2).add(np.sum(y));
      return y;
    };
    const n = 1024;
    const p = planOf(chain, np.ones([n]));
    const temps = p.buffers.filter((b) => b.role === "temp" && b.lastUse >= 0);
    expect(temps.length).toBeGreaterThanOrEqual(7);
    const bytes = n * 4;
    // Input, output and at most two intermediates live at once; the arena holds no more.
    expect(peakLiveBytes(p)).toBeLessThanOrEqual(4 * bytes + 64);
    expect(p.arenaBytes).toBeLessThanOrEqual(4 * bytes + 64);
    // No two buffers live at the same time overlap in memory.
    const live = p.buffers.filter((b) => b.lastUse >= 0 && b.size > 0);
    for (const a of live)
      for (const b of live) {
        if (a === b || a.lastUse < b.def || b.lastUse < a.def) continue;
        const disjoint = a.offset + a.size * 4 <= b.offset || b.offset + b.size * 4 <= a.offset;
        expect(disjoint, `b${a.id} and b${b.id}`).toBe(true);
      }
  });

  it("plans the backward pass of an MLP step within a few intermediates", () => {
    const loss = (w: Array, x: Array): Array => np.sum(np.tanh(np.matmul(x, w)));
    const p = planOf(grad(loss), np.ones([32, 16]), np.ones([8, 32]));
    expect(p.kernels.filter((k) => k.kind === "dot")).toHaveLength(2);
    expect(p.buffers.filter((b) => b.role === "temp" && b.lastUse >= 0).length).toBeLessThanOrEqual(4);
  });
});

describe("kernel plan: reshape views", () => {
  it("regroups a contiguous view and refuses a transposed one that cannot be", () => {
    expect(reshapeView({ offset: 0, strides: [6, 3, 1] }, [2, 2, 3], [4, 3])?.strides).toEqual([3, 1]);
    expect(reshapeView({ offset: 0, strides: [1, 2] }, [2, 3], [6])).toBeUndefined();
    expect(reshapeView({ offset: 0, strides: [1, 2] }, [2, 3], [2, 1, 3])?.strides).toEqual([1, 0, 2]);
  });
});
