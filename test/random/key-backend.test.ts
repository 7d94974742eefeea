/**
 * Samplers run on their key's backend (as jit runs on its arguments'): a key on "cpu" works while
 * "wasm" is the default, and the samples live on "cpu", equal to the default backend's.
 */
import { describe, expect, it } from "vitest";
import { devicePut, np, random, withBackend } from "../../src/index.js";

describe("random functions follow their key's backend", () => {
  const other = (name: string): string => (name === "cpu" ? "wasm" : "cpu");

  it("every sampler with a key on another backend than the default returns arrays there, with the same values", () => {
    const home = np.zeros([1]).backend;
    const away = other(home);
    const k = random.key(3);
    const kAway = devicePut(k, away);
    const draws = (key: typeof k) => [
      random.split(key, 3),
      random.foldIn(key, 7),
      random.bits(key, [4]),
      random.uniform(key, [5], { minval: -1, maxval: 2 }),
      random.normal(key, [5]),
      random.truncatedNormal(key, -1, 1, [3]),
      random.bernoulli(key, 0.3, [6]),
      random.randint(key, [4], 0, 10),
      random.gumbel(key, [3]),
      random.exponential(key, [3]),
      random.categorical(
        key,
        withBackend(key.backend, () => np.array([[0.1, 2, -1]])),
      ),
      random.permutation(key, 6),
      random.shuffle(
        key,
        withBackend(key.backend, () => np.arange(5)),
      ),
      random.choice(key, 7, [3]),
    ];
    const want = draws(k);
    const got = draws(kAway);
    got.forEach((g, i) => {
      expect(g.backend, `draw ${i}`).toBe(away);
      expect(g.tolist(), `draw ${i}`).toEqual(want[i]!.tolist());
    });
  });
});
