/**
 * Shared inputs, float64 references and correctness checks for the peer benchmarks
 * (`npm run bench:peers`). Every child process (one per library) imports this file, so all
 * libraries see bit-identical float32 inputs from the same seeded generator, and every result is
 * checked against the same plain-JS float64 reference (computed from those float32 inputs) with
 * the same tolerances. Nothing here depends on any array library.
 *
 * W1 matmul 1024×1024 · W1b matmul 512×512 (where per-call overheads weigh more) ·
 * W2 elementwise `tanh(0.5x+1)·sigmoid(x) − x²/3` on 1M · W3 its gradient
 * (of the sum) · W4 one Adam step of an MLP 784→256→10 (tanh, softmax cross-entropy, batch 128) ·
 * W5 per-example gradients of a linear least-squares model (F=100, B=256) · W6 Hessian of
 * `Σx⁴ + Σx_i·x_{i+1}` (n=100).
 */

/** A 32-bit LCG (Numerical Recipes constants); `next()` is uniform in [0, 1). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `n` float32 values uniform in [lo, hi), from a generator seeded with `seed`. */
export function uniform(n: number, seed: number, lo: number, hi: number): Float32Array {
  const next = lcg(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

export const W1_N = 1024;
export const W1B_N = 512;
export const W2_N = 1 << 20;
export const MLP = { B: 128, D: 784, H: 256, C: 10 } as const;
export const ADAM = { lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8 } as const;
export const W5_SIZES = { F: 100, B: 256 } as const;
export const W6_N = 100;

export const WORKLOADS = [
  { id: "W1", what: "matmul 1024×1024 f32", jitted: false },
  { id: "W1b", what: "matmul 512×512 f32", jitted: false },
  { id: "W2", what: "elementwise 1M: tanh(0.5x+1)·σ(x) − x²/3", jitted: true },
  { id: "W3", what: "grad(sum(W2)) on 1M", jitted: true },
  { id: "W4", what: "MLP 784→256→10 b128, one Adam step", jitted: true },
  { id: "W5", what: "per-example grads jit(vmap(grad)) F=100 B=256", jitted: true },
  { id: "W6", what: "jit(hessian) Σx⁴+Σx_i·x_{i+1}, n=100", jitted: true },
] as const;
export type WorkloadId = (typeof WORKLOADS)[number]["id"];

// ---------------------------------------------------------------- inputs

/** W1's (n = W1_N) or W1b's (n = W1B_N) two n×n factors. */
export const w1Inputs = (n: number = W1_N): { a: Float32Array; b: Float32Array } => ({
  a: uniform(n * n, 11, -1, 1),
  b: uniform(n * n, 12, -1, 1),
});

export const w2Input = (): Float32Array => uniform(W2_N, 21, -3, 3);

export interface MlpInputs {
  /** Parameters, in the order w1 [D,H], b1 [H], w2 [H,C], b2 [C]. */
  params: [Float32Array, Float32Array, Float32Array, Float32Array];
  /** Adam's first moments (zeros) and second moments (positive), same shapes as params. */
  m: Float32Array[];
  v: Float32Array[];
  x: Float32Array;
  /** One-hot labels, float32 [B, C]. */
  y: Float32Array;
}
export const MLP_SHAPES: number[][] = [[MLP.D, MLP.H], [MLP.H], [MLP.H, MLP.C], [MLP.C]];

export function mlpInputs(): MlpInputs {
  const { B, D, H, C } = MLP;
  const params: MlpInputs["params"] = [
    uniform(D * H, 41, -1 / Math.sqrt(D), 1 / Math.sqrt(D)),
    uniform(H, 42, -0.1, 0.1),
    uniform(H * C, 43, -1 / Math.sqrt(H), 1 / Math.sqrt(H)),
    uniform(C, 44, -0.1, 0.1),
  ];
  const m = params.map((p) => new Float32Array(p.length));
  // Positive second moments keep Adam's update well conditioned (no division by ~eps).
  const v = params.map((p, i) => uniform(p.length, 45 + i, 1e-6, 2e-6));
  const x = uniform(B * D, 49, 0, 1);
  const next = lcg(50);
  const y = new Float32Array(B * C);
  for (let i = 0; i < B; i++) y[i * C + Math.floor(next() * C)] = 1;
  return { params, m, v, x, y };
}

export const w5Inputs = (): { w: Float32Array; x: Float32Array; y: Float32Array } => ({
  w: uniform(W5_SIZES.F, 51, -1, 1),
  x: uniform(W5_SIZES.B * W5_SIZES.F, 52, -1, 1),
  y: uniform(W5_SIZES.B, 53, -1, 1),
});

export const w6Input = (): Float32Array => uniform(W6_N, 61, -1, 1);

// ---------------------------------------------------------------- float64 references

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** W1/W1b: a sample of 256 entries (row, column, value) of a @ b (n×n); a full float64 product is too slow. */
export function w1Reference(
  a: Float32Array,
  b: Float32Array,
  n: number = W1_N,
): { i: number; j: number; value: number }[] {
  const next = lcg(13);
  const out: { i: number; j: number; value: number }[] = [];
  for (let s = 0; s < 256; s++) {
    const i = Math.floor(next() * n);
    const j = Math.floor(next() * n);
    let acc = 0;
    for (let k = 0; k < n; k++) acc += a[i * n + k]! * b[k * n + j]!;
    out.push({ i, j, value: acc });
  }
  return out;
}

export function w2Reference(x: Float32Array): Float64Array {
  return Float64Array.from(x, (v) => Math.tanh(0.5 * v + 1) * sigmoid(v) - (v * v) / 3);
}

export function w3Reference(x: Float32Array): Float64Array {
  return Float64Array.from(x, (v) => {
    const t = Math.tanh(0.5 * v + 1);
    const s = sigmoid(v);
    return 0.5 * (1 - t * t) * s + t * s * (1 - s) - (2 * v) / 3;
  });
}

export interface MlpReference {
  loss: number;
  /** New parameters, first and second moments after one Adam step (t = 1). */
  params: Float64Array[];
  m: Float64Array[];
  v: Float64Array[];
}

export function mlpReference(inp: MlpInputs): MlpReference {
  const { B, D, H, C } = MLP;
  const [w1, b1, w2, b2] = inp.params;
  const { x, y } = inp;
  const h = new Float64Array(B * H);
  for (let r = 0; r < B; r++)
    for (let j = 0; j < H; j++) {
      let acc = b1[j]!;
      for (let k = 0; k < D; k++) acc += x[r * D + k]! * w1[k * H + j]!;
      h[r * H + j] = Math.tanh(acc);
    }
  let loss = 0;
  const dl = new Float64Array(B * C);
  for (let r = 0; r < B; r++) {
    const z = new Float64Array(C);
    let mx = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < C; c++) {
      let acc = b2[c]!;
      for (let j = 0; j < H; j++) acc += h[r * H + j]! * w2[j * C + c]!;
      z[c] = acc;
      mx = Math.max(mx, acc);
    }
    let se = 0;
    for (let c = 0; c < C; c++) se += Math.exp(z[c]! - mx);
    const lse = mx + Math.log(se);
    for (let c = 0; c < C; c++) {
      loss -= (y[r * C + c]! * (z[c]! - lse)) / B;
      dl[r * C + c] = (Math.exp(z[c]! - lse) - y[r * C + c]!) / B;
    }
  }
  const gw2 = new Float64Array(H * C);
  const gb2 = new Float64Array(C);
  const dz = new Float64Array(B * H);
  for (let r = 0; r < B; r++) {
    for (let c = 0; c < C; c++) gb2[c]! += dl[r * C + c]!;
    for (let j = 0; j < H; j++) {
      let dh = 0;
      for (let c = 0; c < C; c++) {
        gw2[j * C + c]! += h[r * H + j]! * dl[r * C + c]!;
        dh += dl[r * C + c]! * w2[j * C + c]!;
      }
      dz[r * H + j] = dh * (1 - h[r * H + j]! ** 2);
    }
  }
  const gw1 = new Float64Array(D * H);
  const gb1 = new Float64Array(H);
  for (let r = 0; r < B; r++)
    for (let k = 0; k < D; k++) {
      const xv = x[r * D + k]!;
      if (xv === 0) continue;
      for (let j = 0; j < H; j++) gw1[k * H + j]! += xv * dz[r * H + j]!;
    }
  for (let r = 0; r < B; r++) for (let j = 0; j < H; j++) gb1[j]! += dz[r * H + j]!;
  const grads = [gw1, gb1, gw2, gb2];
  const { lr, b1: beta1, b2: beta2, eps } = ADAM;
  const m = grads.map((g, i) => Float64Array.from(g, (gv, k) => beta1 * inp.m[i]![k]! + (1 - beta1) * gv));
  const v = grads.map((g, i) => Float64Array.from(g, (gv, k) => beta2 * inp.v[i]![k]! + (1 - beta2) * gv * gv));
  const params = inp.params.map((p, i) =>
    Float64Array.from(p, (pv, k) => pv - (lr * (m[i]![k]! / (1 - beta1))) / (Math.sqrt(v[i]![k]! / (1 - beta2)) + eps)),
  );
  return { loss, params, m, v };
}

/** W5: per-example gradients of 0.5·(x_i·w − y_i)² with respect to w, [B, F] row-major. */
export function w5Reference(w: Float32Array, x: Float32Array, y: Float32Array): Float64Array {
  const { F, B } = W5_SIZES;
  const out = new Float64Array(B * F);
  for (let i = 0; i < B; i++) {
    let r = -y[i]!;
    for (let f = 0; f < F; f++) r += x[i * F + f]! * w[f]!;
    for (let f = 0; f < F; f++) out[i * F + f] = r * x[i * F + f]!;
  }
  return out;
}

/** W6: the Hessian of Σx⁴ + Σx_i·x_{i+1}: diag(12x²) plus ones beside the diagonal. */
export function w6Reference(x: Float32Array): Float64Array {
  const n = W6_N;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    out[i * n + i] = 12 * x[i]! ** 2;
    if (i + 1 < n) {
      out[i * n + i + 1] = 1;
      out[(i + 1) * n + i] = 1;
    }
  }
  return out;
}

// ---------------------------------------------------------------- checks

/**
 * Checks |got − ref| ≤ atol + rtol·|ref| elementwise, where `atol` is `atolRel` times the largest
 * |ref| (so tolerances scale with the data). Returns undefined when it passes, else why not.
 */
export function closeTo(
  what: string,
  got: ArrayLike<number>,
  ref: ArrayLike<number>,
  rtol: number,
  atolRel: number,
): string | undefined {
  if (got.length !== ref.length) return `${what}: ${got.length} values, expected ${ref.length}`;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) scale = Math.max(scale, Math.abs(ref[i]!));
  const atol = atolRel * scale;
  for (let i = 0; i < ref.length; i++) {
    const g = got[i]!;
    const r = ref[i]!;
    if (!(Math.abs(g - r) <= atol + rtol * Math.abs(r)))
      return `${what}[${i}] = ${g}, expected ${r} (rtol ${rtol}, atol ${atol.toExponential(1)})`;
  }
  return undefined;
}

/** Outputs as read back from a library, in the order each workload's `check` expects. */
export type Outputs = ArrayLike<number>[];

/** The check of an n×n matmul workload (W1, W1b): 256 sampled entries against float64. */
function matmulCheck(id: string, n: number): (out: Outputs) => string | undefined {
  const { a, b } = w1Inputs(n);
  const ref = w1Reference(a, b, n);
  return ([c]) => {
    if (!c || c.length !== n * n) return `${id}: expected ${n * n} values, got ${c?.length ?? "no output"}`;
    return closeTo(
      `${id} (sampled)`,
      ref.map(({ i, j }) => c[i * n + j]!),
      ref.map((r) => r.value),
      1e-3,
      1e-4,
    );
  };
}

/** Each workload's check, given the library's outputs; undefined when they are right. */
export function makeCheck(id: WorkloadId): (out: Outputs) => string | undefined {
  switch (id) {
    case "W1":
      return matmulCheck("W1", W1_N);
    case "W1b":
      return matmulCheck("W1b", W1B_N);
    case "W2": {
      const ref = w2Reference(w2Input());
      return ([y]) => closeTo("W2", y ?? [], ref, 1e-3, 1e-4);
    }
    case "W3": {
      const ref = w3Reference(w2Input());
      return ([g]) => closeTo("W3", g ?? [], ref, 1e-3, 1e-4);
    }
    case "W4": {
      const inp = mlpInputs();
      const ref = mlpReference(inp);
      return (out) => {
        if (out.length !== 13) return `W4: expected 13 outputs (loss, 4 params, 4 m, 4 v), got ${out.length}`;
        const loss = out[0]![0]!;
        if (!(Math.abs(loss - ref.loss) <= 1e-4 * Math.abs(ref.loss))) return `W4 loss ${loss}, expected ${ref.loss}`;
        for (let i = 0; i < 4; i++) {
          // Compare the parameter *updates* (the step is ~1e-3 of the parameters) and the moments.
          const p0 = inp.params[i]!;
          const got = Float64Array.from(out[1 + i]!, (pv, k) => pv - p0[k]!);
          const want = Float64Array.from(ref.params[i]!, (pv, k) => pv - p0[k]!);
          const why =
            closeTo(`W4 update of param ${i}`, got, want, 1e-2, 2e-3) ??
            closeTo(`W4 m of param ${i}`, out[5 + i]!, ref.m[i]!, 1e-2, 2e-3) ??
            closeTo(`W4 v of param ${i}`, out[9 + i]!, ref.v[i]!, 1e-2, 2e-3);
          if (why) return why;
        }
        return undefined;
      };
    }
    case "W5": {
      const { w, x, y } = w5Inputs();
      const ref = w5Reference(w, x, y);
      return ([g]) => closeTo("W5", g ?? [], ref, 1e-3, 1e-4);
    }
    case "W6": {
      const ref = w6Reference(w6Input());
      return ([h]) => closeTo("W6", h ?? [], ref, 1e-4, 1e-5);
    }
  }
}
