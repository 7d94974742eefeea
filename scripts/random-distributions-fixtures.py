"""Reference samples for graft's random distributions (test/random/distributions-*.test.ts).

Run with JAX 0.10.2 (CPU):  python scripts/random-distributions-fixtures.py
Writes test/fixtures/random-distributions.json. Each case is run in a fresh interpreter so that
jax_enable_x64 (float64 cases) and jax_threefry_partitionable (legacy cases) can be set first.
"""
import json
import os
import subprocess
import sys

CASES = {
    # name: (call expression with `k`, `jr`, `np`, `dt`)
    "laplace": "jr.laplace(k, (16,), dt)",
    "logistic": "jr.logistic(k, (16,), dt)",
    "cauchy": "jr.cauchy(k, (16,), dt)",
    "lognormal": "jr.lognormal(k, np.asarray(0.5, dt), (16,), dt)",
    "lognormal_sigma_shape": "jr.lognormal(k, np.asarray([0.1, 1.0, 2.0], dt), None, dt)",
    "gamma_vector": "jr.gamma(k, np.asarray([0.05, 0.5, 1.0, 2.5, 10.0, 100.0], dt), None, dt)",
    "gamma_scalar": "jr.gamma(k, np.asarray(2.5, dt), (16,), dt)",
    "loggamma": "jr.loggamma(k, np.asarray([0.01, 0.5, 3.0], dt), None, dt)",
    "beta": "jr.beta(k, np.asarray(2.0, dt), np.asarray(5.0, dt), (8,), dt)",
    "beta_arrays": "jr.beta(k, np.asarray([0.5, 1.0, 3.0], dt), np.asarray([[1.0], [4.0]], dt), None, dt)",
    "dirichlet": "jr.dirichlet(k, np.asarray([1.0, 2.0, 3.0], dt), (4,), dt)",
    "chisquare": "jr.chisquare(k, np.asarray(3.0, dt), (8,), dt)",
    "t": "jr.t(k, np.asarray(5.0, dt), (8,), dt)",
    "multivariate_normal": "jr.multivariate_normal(k, np.asarray([1.0, -2.0, 0.5], dt), "
    "np.asarray([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]], dt), (4,), dt)",
    "multivariate_normal_batched_cov": "jr.multivariate_normal(k, np.asarray([0.0, 1.0], dt), "
    "np.asarray([[[1.0, 0.5], [0.5, 2.0]], [[0.2, 0.0], [0.0, 3.0]]], dt), None, dt)",
    "orthogonal": "jr.orthogonal(k, 3, (), dt)",
    "orthogonal_batched": "jr.orthogonal(k, 4, (2,), dt)",
    "orthogonal_wide": "jr.orthogonal(k, 2, (), dt, m=4)",
    "orthogonal_tall": "jr.orthogonal(k, 4, (), dt, m=2)",
}
# Integer-valued samplers whose uniform draw uses float32 only with x64 disabled.
CASES32 = {
    "rademacher": "jr.rademacher(k, (16,))",
    "geometric": "jr.geometric(k, 0.3, (16,))",
    "geometric_p_array": "jr.geometric(k, np.asarray([0.05, 0.5, 0.95], np.float32))",
    "poisson_small": "jr.poisson(k, 3.5, (16,))",
    "poisson_large": "jr.poisson(k, 50.0, (16,))",
    "poisson_mixed": "jr.poisson(k, np.asarray([0.0, 0.5, 9.9, 10.0, 1000.0], np.float32))",
}
SEEDS = [0, 7]

CHILD = r"""
import json, sys
import numpy as np
import jax
mode = sys.argv[1]
if mode == "float64":
    jax.config.update("jax_enable_x64", True)
if mode == "legacy":
    jax.config.update("jax_threefry_partitionable", False)
import jax.random as jr
cases = json.loads(sys.argv[2])
seeds = json.loads(sys.argv[3])
dt = np.float64 if mode == "float64" else np.float32
out = {}
for name, expr in cases.items():
    for seed in seeds:
        k = jr.PRNGKey(seed)
        x = np.asarray(eval(expr))
        out[f"{name}/{seed}"] = {"shape": list(x.shape), "dtype": str(x.dtype), "values": [v.item() for v in x.ravel()]}
print(json.dumps(out))
"""


def run(mode, cases):
    res = subprocess.run(
        [sys.executable, "-c", CHILD, mode, json.dumps(cases), json.dumps(SEEDS)],
        check=True, capture_output=True, text=True, env={**os.environ, "JAX_PLATFORMS": "cpu"},
    )
    return json.loads(res.stdout)


def main():
    import jax
    fixtures = {
        "jax_version": jax.__version__,
        "cases": {"float32": {**CASES, **CASES32}, "float64": CASES, "legacy": {"gamma_vector": CASES["gamma_vector"], "laplace": CASES["laplace"]}},
        "float32": run("float32", {**CASES, **CASES32}),
        "float64": run("float64", CASES),
        "legacy": run("legacy", {"gamma_vector": CASES["gamma_vector"], "laplace": CASES["laplace"]}),
    }
    path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "random-distributions.json")
    with open(path, "w") as f:
        json.dump(fixtures, f, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
