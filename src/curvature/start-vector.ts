/** The linear-operator type shared by the Krylov solvers, and their random orthogonal start vectors. */
import type { Reading } from "./host-read.js";
import { norm2, orthogonalize } from "./host-linalg.js";
import type { KeyStream } from "./rng.js";

/** A linear operator on flat float64 vectors; applying it reads its result back to the host. */
export type Op = (v: Float64Array) => Reading<Float64Array>;

/** A random unit vector orthogonal to `basis`, or null when `basis` already spans the space. */
export function* randomOrthoUnit(
  stream: KeyStream,
  n: number,
  basis: readonly Float64Array[],
): Reading<Float64Array | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const v = orthogonalize(yield* stream.normals(n), basis);
    const nv = norm2(v);
    if (nv > 1e-8 * Math.sqrt(n)) {
      for (let i = 0; i < n; i++) v[i] = v[i]! / nv;
      return v;
    }
  }
  return null;
}
