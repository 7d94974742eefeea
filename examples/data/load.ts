/**
 * Loaders for the example data sets in this folder, plus a tiny seeded PRNG and a deterministic
 * train/test split used by the older examples (graft's own `random` and `train` modules do this too).
 *
 * @example
 * const { x, y } = loadDigits();                 // float32[1797, 64] in [0, 1], int32[1797]
 * const { train, test } = trainTestSplit(x, y, 0.25, 0);
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { np } from "../../src/index.js";

type Array = np.Array;

/** Features and integer labels: x is float32[N, D], y is int32[N]. */
export interface Dataset {
  x: Array;
  y: Array;
}

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

/** Parses numeric CSV rows (no header): all columns but the last are features, the last the label. */
function parseRows(text: string, features: number, scale: number, file: string): Dataset {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const n = lines.length;
  const xs = new Float32Array(n * features);
  const ys = new Int32Array(n);
  lines.forEach((line, i) => {
    const cols = line.split(",");
    if (cols.length !== features + 1)
      throw new Error(`${file}: line ${i + 1} has ${cols.length} columns, expected ${features + 1}`);
    for (let j = 0; j < features; j++) xs[i * features + j] = Number(cols[j]) / scale;
    ys[i] = Number(cols[features]);
  });
  return { x: np.array(xs, { shape: [n, features] }), y: np.array(ys) };
}

/**
 * The UCI handwritten digits (1797 8×8 images): x float32[1797, 64] with pixels scaled from 0..16
 * to [0, 1], y int32[1797] with labels 0..9.
 */
export function loadDigits(): Dataset {
  const text = gunzipSync(readFileSync(here("digits.csv.gz"))).toString("utf8");
  return parseRows(text, 64, 16, "digits.csv.gz");
}

/** Fisher's iris (150 rows): x float32[150, 4] in cm (unscaled), y int32[150] with classes 0..2. */
export function loadIris(): Dataset & { classNames: string[] } {
  const [header = "", ...rows] = readFileSync(here("iris.csv"), "utf8").split("\n"); // split gives at least one line
  const classNames = header.trim().split(",").slice(2);
  return { ...parseRows(rows.join("\n"), 4, 1, "iris.csv"), classNames };
}

/** mulberry32: a tiny, fast 32-bit seeded PRNG returning floats in [0, 1). Deterministic per seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples from a uniform PRNG (Box–Muller). */
export function normals(rand: () => number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const th = 2 * Math.PI * rand();
    out[i] = r * Math.cos(th);
    if (i + 1 < n) out[i + 1] = r * Math.sin(th);
  }
  return out;
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates), deterministic given `rand`. */
export function permutation(rand: () => number, n: number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/**
 * Rows `idx` of a 1-D or 2-D array, gathered on the host (works on the CPU backend; graft's
 * `take` is not available yet).
 */
export function takeRows(a: Array, idx: ArrayLike<number>): Array {
  if (a.ndim !== 1 && a.ndim !== 2)
    throw new Error(`takeRows: expected a 1-D or 2-D array, got shape [${a.shape.join(", ")}]`);
  const src = a.dataSync();
  const width = a.ndim === 1 ? 1 : a.shape[1]!;
  const out =
    src.constructor === Int32Array ? new Int32Array(idx.length * width) : new Float32Array(idx.length * width);
  for (let i = 0; i < idx.length; i++) out.set(src.subarray(idx[i]! * width, (idx[i]! + 1) * width), i * width);
  return np.array(out, { shape: a.ndim === 1 ? [idx.length] : [idx.length, width], dtype: a.dtype });
}

/**
 * Shuffles rows with a seeded PRNG and splits off `testFraction` of them as the test set.
 * The same seed always gives the same split.
 */
export function trainTestSplit(x: Array, y: Array, testFraction = 0.25, seed = 0): { train: Dataset; test: Dataset } {
  if (x.ndim === 0) throw new Error("trainTestSplit: x needs a row axis, got a 0-d array");
  const n = x.shape[0]!;
  const perm = permutation(mulberry32(seed), n);
  const nTest = Math.round(n * testFraction);
  const testIdx = perm.subarray(0, nTest);
  const trainIdx = perm.subarray(nTest);
  return {
    train: { x: takeRows(x, trainIdx), y: takeRows(y, trainIdx) },
    test: { x: takeRows(x, testIdx), y: takeRows(y, testIdx) },
  };
}
