/** A small seeded PRNG (mulberry32) for reproducible random directions in gradient checks. */

/** Deterministic pseudo-random numbers: uniform in [0, 1) and standard normal. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  }
  /** Uniform in [0, 1). */
  uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** `n` normal samples scaled to unit Euclidean norm (all zeros when n is 0). */
  unitVector(n: number): Float64Array {
    const out = new Float64Array(n);
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const z = this.normal();
      out[i] = z;
      norm += z * z;
    }
    norm = Math.sqrt(norm);
    return norm > 0 ? out.map((v) => v / norm) : out;
  }
}
