"""Reference values for graft's random.binomial / random.multinomial and gamma's implicit gradient.

Run with JAX 0.10.2 (CPU):  python scripts/random-extra-fixtures.py
Writes test/fixtures/random-extra.json, read by test/random/binomial-multinomial.test.ts and
test/random/gamma-grad.test.ts. Each mode runs in a fresh interpreter so that jax_enable_x64 can
be set first (float64 cases).
"""
import json
import os
import subprocess
import sys

SAMPLES = {
    # name: call expression with `k`, `jr`, `jnp`, `np`, `dt`
    "binomial_small": "jr.binomial(k, 10.0, 0.3, (16,), dt)",
    "binomial_large": "jr.binomial(k, 100.0, 0.4, (16,), dt)",
    "binomial_high_p": "jr.binomial(k, 50.0, 0.9, (16,), dt)",
    "binomial_large_high_p": "jr.binomial(k, 1000.0, 0.75, (16,), dt)",
    "binomial_huge": "jr.binomial(k, 1e6, 0.2, (8,), dt)",
    "binomial_edges": "jr.binomial(k, np.asarray([0.0, 7.0, 7.0, 5.5, 20.0, 3000.0], dt), "
    "np.asarray([0.5, 0.0, 1.0, 0.5, 0.5, 0.5], dt), None, dt)",
    "binomial_invalid": "jr.binomial(k, np.asarray([-1.0, np.nan, np.inf, 5.0, 5.0, 5.0, np.inf], dt), "
    "np.asarray([0.5, 0.5, 0.5, 1.5, -0.5, np.nan, 0.9], dt), None, dt)",
    "binomial_broadcast": "jr.binomial(k, np.asarray([[10.0], [200.0]], dt), np.asarray([0.1, 0.5, 0.9], dt), None, dt)",
    "binomial_shape": "jr.binomial(k, np.asarray([5.0, 60.0], dt), np.asarray(0.3, dt), (3, 2), dt)",
    "multinomial": "jr.multinomial(k, np.asarray(20.0, dt), np.asarray([0.2, 0.3, 0.5], dt), dtype=dt)",
    "multinomial_large": "jr.multinomial(k, np.asarray(5000.0, dt), np.asarray([0.1, 0.2, 0.3, 0.4], dt), dtype=dt)",
    "multinomial_batch": "jr.multinomial(k, np.asarray([10.0, 1000.0], dt), np.asarray([[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]], dt), dtype=dt)",
    "multinomial_shape": "jr.multinomial(k, np.asarray(30.0, dt), np.asarray([0.2, 0.8], dt), shape=(4, 2), dtype=dt)",
    "multinomial_unnormalised": "jr.multinomial(k, np.asarray(100.0, dt), np.asarray([1.0, 2.0, 0.0, 3.0], dt), dtype=dt)",
}
# d(sample)/da, by jax.grad of the sum of samples (one sample per alpha).
GRADS = {
    "gamma_grad": ("lambda a: jr.gamma(k, a, None, dt).sum()", [0.05, 0.3, 1.0, 2.5, 7.0, 30.0, 200.0]),
    "loggamma_grad": ("lambda a: jr.loggamma(k, a, None, dt).sum()", [0.05, 0.3, 1.0, 2.5, 30.0]),
    "beta_grad_a": ("lambda a: jr.beta(k, a, np.asarray(2.0, dt), None, dt).sum()", [0.5, 1.5, 4.0]),
    "dirichlet_grad": ("lambda a: (jr.dirichlet(k, a, None, dt) * np.asarray([1.0, 2.0, 3.0], dt)).sum()", [0.7, 2.0, 5.0]),
    "chisquare_grad": ("lambda a: jr.chisquare(k, a, None, dt).sum()", [1.0, 3.0, 10.0]),
}
# lax.random_gamma_grad(a, x) on a grid: the implicit derivative dx/da at fixed CDF value.
GAMMA_GRAD_GRID = {
    "a": [0.01, 0.1, 0.5, 1.0, 1.0, 2.0, 3.7, 10.0, 50.0, 400.0, 0.3, 5.0, 5.0, 2.0],
    "x": [1e-30, 0.02, 0.3, 1.0, 6.0, 0.5, 3.0, 12.0, 45.0, 420.0, 4.0, 0.4, 15.0, 1e-3],
}
SEEDS = [0, 7]

CHILD = r"""
import json, sys
import numpy as np
import jax
mode = sys.argv[1]
if mode == "float64":
    jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import jax.random as jr
from jax import lax
samples, grads, grid, seeds = (json.loads(s) for s in sys.argv[2:6])
dt = np.float64 if mode == "float64" else np.float32
enc = lambda x: {"shape": list(np.shape(x)), "values": [None if np.isnan(v) else (str(v) if np.isinf(v) else v.item()) for v in np.asarray(x).ravel()]}
out = {}
for name, expr in samples.items():
    for seed in seeds:
        k = jr.PRNGKey(seed)
        out[f"{name}/{seed}"] = enc(eval(expr))
for name, (expr, alphas) in grads.items():
    for seed in seeds:
        k = jr.PRNGKey(seed)
        a = np.asarray(alphas, dt)
        out[f"{name}/{seed}"] = {"alpha": alphas, **enc(jax.grad(eval(expr))(a))}
if mode == "float64":
    # float32 samples (as without x64) and, at exactly those samples, the float64 implicit gradient:
    # the accuracy reference for graft's float32 gradient.
    a32 = np.asarray(grads["gamma_grad"][1], np.float32)
    for seed in seeds:
        z = np.asarray(jr.gamma(jr.PRNGKey(seed), a32, None, np.float32))
        truth = lax.random_gamma_grad(a32.astype(np.float64), z.astype(np.float64))
        out[f"gamma_grad_f32_truth/{seed}"] = {"alpha": grads["gamma_grad"][1], "samples": [v.item() for v in z], **enc(truth)}
out["random_gamma_grad"] = {"a": grid["a"], "x": grid["x"], **enc(lax.random_gamma_grad(np.asarray(grid["a"], dt), np.asarray(grid["x"], dt)))}
print(json.dumps(out))
"""


def run(mode):
    res = subprocess.run(
        [sys.executable, "-c", CHILD, mode, json.dumps(SAMPLES), json.dumps(GRADS), json.dumps(GAMMA_GRAD_GRID), json.dumps(SEEDS)],
        check=True, capture_output=True, text=True, env={**os.environ, "JAX_PLATFORMS": "cpu"},
    )
    return json.loads(res.stdout)


def main():
    import jax
    fixtures = {
        "jax_version": jax.__version__,
        "samples": SAMPLES,
        "grads": {k: v[0] for k, v in GRADS.items()},
        "float32": run("float32"),
        "float64": run("float64"),
    }
    path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "random-extra.json")
    with open(path, "w") as f:
        json.dump(fixtures, f, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
