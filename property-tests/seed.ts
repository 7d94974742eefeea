/**
 * Shared fast-check settings for the property suite.
 *
 * - `FC_SEED`: the seed (default {@link DEFAULT_SEED}), so every run is reproducible.
 * - `FC_RUNS`: a multiplier for every property's `numRuns` (default 1), e.g. `FC_RUNS=20` for a soak run.
 * - `FC_PATH`: replays one counterexample path (use together with FC_SEED and `vitest -t <name>`).
 *
 * On failure fast-check reports the seed and path; `assertProperty` adds the env line to rerun it.
 */
import fc from "fast-check";

export const DEFAULT_SEED = 20250101;

const envNumber = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new Error(`${name} must be a number, got ${JSON.stringify(raw)}`);
  return v;
};

/** The seed every property uses. */
export const SEED = envNumber("FC_SEED", DEFAULT_SEED) | 0;
/** The `numRuns` multiplier. */
export const RUNS_SCALE = envNumber("FC_RUNS", 1);

/** fast-check parameters: the shared seed and `numRuns` scaled by FC_RUNS. */
export function fcParams<T>(numRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const path = process.env.FC_PATH;
  return { seed: SEED, numRuns: Math.max(1, Math.round(numRuns * RUNS_SCALE)), ...(path ? { path } : {}), ...extra };
}

/**
 * `fc.assert` with the shared seed. The failure message keeps fast-check's report (seed, path,
 * counterexample, shrunk) and ends with the environment to reproduce it.
 */
export function assertProperty<T>(property: fc.IProperty<T>, numRuns = 10, extra: fc.Parameters<T> = {}): void {
  try {
    fc.assert(property, fcParams(numRuns, extra));
  } catch (e) {
    throw withReproduction(e);
  }
}

/** {@link assertProperty} for an `fc.asyncProperty` (e.g. one that awaits a backend's reads). */
export async function assertAsyncProperty<T>(
  property: fc.IAsyncProperty<T>,
  numRuns = 10,
  extra: fc.Parameters<T> = {},
): Promise<void> {
  try {
    await fc.assert(property, fcParams(numRuns, extra));
  } catch (e) {
    throw withReproduction(e);
  }
}

/** Appends the environment line that replays fast-check's reported seed and path. */
function withReproduction(e: unknown): unknown {
  if (e instanceof Error) {
    const m = /seed: (-?\d+), path: "([^"]*)"/.exec(e.message);
    if (m) e.message += `\n\nReproduce with: FC_SEED=${m[1]} FC_PATH=${m[2]} npx vitest run <file> -t "<test name>"`;
  }
  return e;
}
