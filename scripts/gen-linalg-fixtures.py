"""Reference values for graft's np.linalg (cholesky, triangularSolve, solve, inv, det, slogdet,
matrixPower, norm) and their derivatives.

Writes test/fixtures/linalg.json. Run with a Python that has JAX (jax==0.10.2) besides NumPy and
SciPy: `python scripts/gen-linalg-fixtures.py`. Values come from NumPy/SciPy (float64); derivatives
(gradients of a weighted sum of each output, so every entry counts) come from jax.grad in float64.
Non-finite floats are encoded as the strings "NaN", "Infinity" and "-Infinity".
"""
import json
import math
import os

import numpy as np
import scipy.linalg as sla

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402


def enc(a):
    a = np.asarray(a, dtype=np.float64)

    def one(v):
        v = float(v)
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v

    return {"shape": list(a.shape), "data": [one(v) for v in a.ravel()]}


rng = np.random.default_rng(11)


def spd(*batch, n=3):
    m = rng.normal(size=(*batch, n, n))
    return m @ np.swapaxes(m, -1, -2) + n * np.eye(n)


def general(*batch, n=3):
    return rng.normal(size=(*batch, n, n)) + 2 * np.eye(n)


def weights(shape):
    """Fixed weights w so that sum(w * f(x)) involves every output entry."""
    size = int(np.prod(shape))
    return np.sin(np.arange(size) + 1.0).reshape(shape)


def grad_of(f, *args):
    out = f(*args)
    w = weights(np.shape(out))
    g = jax.grad(lambda *xs: jnp.sum(jnp.asarray(w) * f(*xs)), argnums=tuple(range(len(args))))(*args)
    return [enc(x) for x in g]


cases = {}

# cholesky
for name, a in [("3x3", spd()), ("batched 2x3x3", spd(2)), ("1x1", np.array([[2.25]])), ("4x4", spd(n=4))]:
    cases[f"cholesky {name}"] = {
        "op": "cholesky",
        "args": [enc(a)],
        "out": enc(np.linalg.cholesky(a)),
        "grads": grad_of(jnp.linalg.cholesky, jnp.asarray(a)),
    }

# triangular_solve: every flag combination on one 3x3 matrix with well-scaled diagonal
t = rng.normal(size=(3, 3)) + 3 * np.eye(3)
for left in (True, False):
    for lower in (True, False):
        for trans in (False, True):
            for unit in (False, True):
                b = rng.normal(size=(3, 2) if left else (2, 3))
                ta = np.tril(t) if lower else np.triu(t)
                if unit:
                    ta = ta - np.diag(np.diag(ta)) + np.eye(3)
                op = ta.T if trans else ta
                want = sla.solve(op, b) if left else sla.solve(op.T, b.T).T
                fn = lambda a_, b_, l=left, lo=lower, tr=trans, u=unit: jax.lax.linalg.triangular_solve(  # noqa: E731
                    a_, b_, left_side=l, lower=lo, transpose_a=tr, unit_diagonal=u
                )
                jv = fn(jnp.asarray(t), jnp.asarray(b))
                assert np.allclose(jv, want), (left, lower, trans, unit)
                cases[f"triangularSolve left={left} lower={lower} transposeA={trans} unit={unit}"] = {
                    "op": "triangularSolve",
                    "opts": {"leftSide": left, "lower": lower, "transposeA": trans, "unitDiagonal": unit},
                    "args": [enc(t), enc(b)],
                    "out": enc(want),
                    "grads": grad_of(fn, jnp.asarray(t), jnp.asarray(b)),
                }

# solve
for name, a, b in [
    ("vector b", general(), rng.normal(size=3)),
    ("matrix b", general(), rng.normal(size=(3, 2))),
    ("batched a, vector b", general(2), rng.normal(size=3)),
    ("batched a and b", general(2), rng.normal(size=(2, 3, 2))),
    ("broadcast b batch", general(2), rng.normal(size=(1, 3, 1))),
    ("needs pivoting", np.array([[0.0, 2.0, 1.0], [1.0, 1.0, 0.0], [3.0, 0.0, 1.0]]), rng.normal(size=3)),
]:
    cases[f"solve {name}"] = {
        "op": "solve",
        "args": [enc(a), enc(b)],
        "out": enc(np.linalg.solve(a, b) if b.ndim > 1 else np.linalg.solve(a, b[..., None])[..., 0]),
        "grads": grad_of(jnp.linalg.solve, jnp.asarray(a), jnp.asarray(b)),
    }

# inv, det, slogdet
mats = [("3x3", general()), ("batched 2x3x3", general(2)), ("negative det", np.array([[0.0, 1.0], [1.0, 0.5]]))]
mats.append(("4x4 pivoting", np.array([[0.0, 1, 2, 0], [1, 0, 0, 3], [2, 1, 0, 0], [0, 0, 1, 1.0]])))
for name, a in mats:
    ja = jnp.asarray(a)
    cases[f"inv {name}"] = {"op": "inv", "args": [enc(a)], "out": enc(np.linalg.inv(a)), "grads": grad_of(jnp.linalg.inv, ja)}
    cases[f"det {name}"] = {"op": "det", "args": [enc(a)], "out": enc(np.linalg.det(a)), "grads": grad_of(jnp.linalg.det, ja)}
    s, l = np.linalg.slogdet(a)
    cases[f"slogdet {name}"] = {
        "op": "slogdet",
        "args": [enc(a)],
        "out": enc(s),
        "out2": enc(l),
        "grads": grad_of(lambda x: jnp.linalg.slogdet(x)[1], ja),
    }
sing = np.array([[1.0, 2.0], [2.0, 4.0]])
cases["det singular"] = {"op": "det", "args": [enc(sing)], "out": enc(np.linalg.det(sing))}
s, l = np.linalg.slogdet(sing)
cases["slogdet singular"] = {"op": "slogdet", "args": [enc(sing)], "out": enc(s), "out2": enc(l)}

# matrix_power
for name, a, n in [
    ("n=3", general(), 3),
    ("n=0", general(), 0),
    ("n=1", general(), 1),
    ("n=-2", general(), -2),
    ("n=5 batched", 0.5 * general(2), 5),
]:
    cases[f"matrixPower {name}"] = {
        "op": "matrixPower",
        "n": n,
        "args": [enc(a)],
        "out": enc(np.linalg.matrix_power(a, n)),
        "grads": grad_of(lambda x, n=n: jnp.linalg.matrix_power(x, n), jnp.asarray(a)),
    }

# norm
x2 = rng.normal(size=(3, 4))
x3 = rng.normal(size=(2, 3, 4))
v = np.array([3.0, -4.0, 0.0, 1.5])
norm_cases = [
    ("vector default", v, None, None, False),
    ("vector ord=1", v, 1, None, False),
    ("vector ord=inf", v, "inf", None, False),
    ("vector ord=-inf", v, "-inf", None, False),
    ("vector ord=0", v, 0, None, False),
    ("vector ord=3", v, 3, None, False),
    ("vector ord=0.5 axis=1", np.abs(x2) + 0.1, 0.5, 1, False),
    ("matrix default", x2, None, None, False),
    ("matrix fro", x2, "fro", None, False),
    ("matrix ord=1", x2, 1, None, False),
    ("matrix ord=-1", x2, -1, None, False),
    ("matrix ord=inf", x2, "inf", None, False),
    ("matrix ord=-inf", x2, "-inf", None, False),
    ("3-D default (flattened)", x3, None, None, False),
    ("3-D vector ord=2 axis=-1 keepdims", x3, 2, -1, True),
    ("3-D matrix ord=1 axes (2, 0)", x3, 1, [2, 0], False),
    ("3-D matrix ord=inf axes (1, 2) keepdims", x3, "inf", [1, 2], True),
]
for name, x, ordv, axis, keep in norm_cases:
    o = {"inf": np.inf, "-inf": -np.inf}.get(ordv, ordv) if isinstance(ordv, str) else ordv
    ax = tuple(axis) if isinstance(axis, list) else axis
    want = np.linalg.norm(x, ord=o, axis=ax, keepdims=keep)
    entry = {"op": "norm", "ord": ordv, "axis": axis, "keepdims": keep, "args": [enc(x)], "out": enc(want)}
    if not (isinstance(o, (int, float)) and o == 0):
        entry["grads"] = grad_of(lambda y, o=o, ax=ax, keep=keep: jnp.linalg.norm(y, ord=o, axis=ax, keepdims=keep), jnp.asarray(x))
    cases[f"norm {name}"] = entry

# n = 10: past graft's unrolling threshold (n <= 8), so these run the looped (scan) code path
big_spd, big, big_b = spd(n=10), general(n=10), rng.normal(size=(10, 2))
for name, fn, args, want in [
    ("cholesky", jnp.linalg.cholesky, [big_spd], np.linalg.cholesky(big_spd)),
    ("solve", jnp.linalg.solve, [big, big_b], np.linalg.solve(big, big_b)),
    ("inv", jnp.linalg.inv, [big], np.linalg.inv(big)),
    ("det", jnp.linalg.det, [big], np.linalg.det(big)),
]:
    cases[f"{name} 10x10"] = {
        "op": name,
        "args": [enc(a) for a in args],
        "out": enc(want),
        "grads": grad_of(fn, *[jnp.asarray(a) for a in args]),
    }
big_tri = lambda a_, b_: jax.lax.linalg.triangular_solve(a_, b_, left_side=True, lower=False)  # noqa: E731
cases["triangularSolve 10x10 left upper"] = {
    "op": "triangularSolve",
    "opts": {"leftSide": True, "lower": False, "transposeA": False, "unitDiagonal": False},
    "args": [enc(big), enc(big_b)],
    "out": enc(sla.solve_triangular(big, big_b, lower=False)),
    "grads": grad_of(big_tri, jnp.asarray(big), jnp.asarray(big_b)),
}

out = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "linalg.json")
with open(out, "w") as fh:
    json.dump({"generator": "scripts/gen-linalg-fixtures.py", "numpy": np.__version__, "jax": jax.__version__, "cases": cases}, fh)
print(f"wrote {len(cases)} cases to {out}")
