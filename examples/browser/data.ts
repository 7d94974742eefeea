/**
 * The 8×8 handwritten digits for the browser demo: examples/data/digits.csv.gz (the same copy the
 * Node examples read; see examples/data/README.md for its source and licence), fetched from the
 * demo's server, un-gzipped by the browser's DecompressionStream and parsed on the host. Plain
 * typed arrays: the trainer puts them on whichever backend it trains on.
 */

/** Images and labels: `x` holds n rows of 64 pixels scaled to [0, 1], `y` the n labels 0..9. */
export interface Digits {
  readonly n: number;
  readonly x: Float32Array;
  readonly y: Int32Array;
}

export const PIXELS = 64;
export const CLASSES = 10;

/** Fetches and parses the data set (`url` relative to the calling page or worker script). */
export async function loadDigits(url = "digits.csv.gz"): Promise<Digits> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`fetching ${url}: HTTP ${response.status}`);
  const text = await new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).text();
  return parseDigits(text);
}

/** Parses CSV rows of 64 pixel counts (0..16) followed by the label. */
export function parseDigits(text: string): Digits {
  const rows = text.split("\n").filter((line) => line.trim() !== "");
  const x = new Float32Array(rows.length * PIXELS);
  const y = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    const cols = row.split(",");
    if (cols.length !== PIXELS + 1) throw new Error(`digits: row ${i + 1} has ${cols.length} columns, not 65`);
    for (let j = 0; j < PIXELS; j++) x[i * PIXELS + j] = Number(cols[j]) / 16;
    const label = Number(cols[PIXELS]);
    if (!(Number.isInteger(label) && label >= 0 && label < CLASSES))
      throw new Error(`digits: row ${i + 1}: label ${label}`);
    y[i] = label;
  });
  return { n: rows.length, x, y };
}

/** A small seeded PRNG (SplitMix32): uniform floats in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = (seed ^ 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

/** Shuffles `a` in place (Fisher–Yates) with `random`, and returns it. */
export function shuffle<T extends { length: number; [i: number]: number }>(a: T, random: () => number): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/** Rows `idx` of `d`, copied. */
export function rows(d: Digits, idx: ArrayLike<number>): Digits {
  const x = new Float32Array(idx.length * PIXELS);
  const y = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    x.set(d.x.subarray(r * PIXELS, (r + 1) * PIXELS), i * PIXELS);
    y[i] = d.y[r]!;
  }
  return { n: idx.length, x, y };
}

/** A seeded split: `testFraction` of the rows (rounded) for testing, the rest for training. */
export function split(d: Digits, testFraction: number, seed: number): { train: Digits; test: Digits } {
  const order = shuffle(
    Int32Array.from({ length: d.n }, (_, i) => i),
    seededRandom(seed),
  );
  const nTest = Math.round(d.n * testFraction);
  return { test: rows(d, order.subarray(0, nTest)), train: rows(d, order.subarray(nTest)) };
}

/** One-hot rows (float32, n × 10) for the labels `y`. */
export function oneHot(y: ArrayLike<number>): Float32Array {
  const out = new Float32Array(y.length * CLASSES);
  for (let i = 0; i < y.length; i++) out[i * CLASSES + y[i]!] = 1;
  return out;
}

/** The index of the largest of each row of `logits` (n × classes, row-major): host-side argmax. */
export function argmaxRows(logits: ArrayLike<number>, classes = CLASSES): Int32Array {
  const n = Math.floor(logits.length / classes);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (logits[i * classes + k]! > logits[i * classes + best]!) best = k;
    out[i] = best;
  }
  return out;
}
