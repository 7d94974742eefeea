"""Reference values for graft's np.linalg (cholesky, triangularSolve, solve, inv, det, slogdet,
matrixPower, norm; and under "decompositions": qr, eigh, eigvalsh, svd, lstsq, pinv, matrixRank,
cond, norm 2 / -2 / "nuc") and their derivatives.

Writes test/fixtures/linalg.json. Run with a Python that has JAX (jax==0.10.2) besides NumPy and
SciPy: `python scripts/gen-linalg-fixtures.py`. Values come from NumPy/SciPy (float64); derivatives
(gradients of a weighted sum of each output, so every entry counts; sign-invariant objectives for the
decompositions) come from jax.grad in float64.
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


# ---------------------------------------------------------------------------------------------
# Decompositions (qr, eigh, eigvalsh, svd) and what is built on them (lstsq, pinv, matrixRank,
# cond, norm 2 / -2 / "nuc"), under "decompositions". Factors are only unique up to signs, so each
# gradient is of a sign-invariant objective of the outputs (mirrored by the TypeScript test):
#   qr:    sum(w1 * Q D) + sum(w2 * D R), D = diag(sign(diag R))      (R only for mode "r")
#   eigh:  sum(w1 * eigenvalues) + sum(w2 * V * V)
#   svd:   sum(w1 * S) + sum(w2 * U * U) + sum(w3 * Vh * Vh)          (S only for compute_uv=False)
#   lstsq: sum(w1 * x) + sum(w2 * residuals)
#   others: sum(w1 * out)
# with w1 = sin(k + 1), w2 = cos(k + 1), w3 = sin(2 (k + 1)) over each output's flat index k.
# ---------------------------------------------------------------------------------------------
rng2 = np.random.default_rng(1111)


def wts(shape, kind):
    k = np.arange(int(np.prod(shape))) + 1.0
    f = {"w1": np.sin(k), "w2": np.cos(k), "w3": np.sin(2 * k)}[kind]
    return jnp.asarray(f.reshape(shape))


def qr_objective(mode):
    def obj(a):
        if mode == "r":
            r = jnp.linalg.qr(a, mode="r")
            d = jnp.sign(jnp.diagonal(r, axis1=-2, axis2=-1))
            return jnp.sum(wts(r.shape, "w2") * d[..., :, None] * r)
        q, r = jnp.linalg.qr(a, mode=mode)
        k = min(a.shape[-2:])
        d = jnp.sign(jnp.diagonal(r, axis1=-2, axis2=-1))
        dq = jnp.concatenate([d, jnp.ones(q.shape[:-2] + (q.shape[-1] - k,))], -1) if q.shape[-1] > k else d
        dr = jnp.concatenate([d, jnp.ones(r.shape[:-2] + (r.shape[-2] - k,))], -1) if r.shape[-2] > k else d
        return jnp.sum(wts(q.shape, "w1") * q * dq[..., None, :]) + jnp.sum(wts(r.shape, "w2") * dr[..., :, None] * r)
    return obj


def eigh_objective(a):
    w, v = jnp.linalg.eigh(a)
    return jnp.sum(wts(w.shape, "w1") * w) + jnp.sum(wts(v.shape, "w2") * v * v)


def svd_objective(a):
    u, s, vh = jnp.linalg.svd(a, full_matrices=False)
    return jnp.sum(wts(s.shape, "w1") * s) + jnp.sum(wts(u.shape, "w2") * u * u) + jnp.sum(wts(vh.shape, "w3") * vh * vh)


def sum_w1(f):
    def obj(*xs):
        out = f(*xs)
        return jnp.sum(wts(out.shape, "w1") * out)
    return obj


def grads(obj, *args):
    g = jax.grad(obj, argnums=tuple(range(len(args))))(*[jnp.asarray(a) for a in args])
    return [enc(x) for x in g]


def sym_separated(*batch, n=3):
    """Symmetric, eigenvalues 1, 2, ..., n (gaps of 1) rotated by a random orthogonal matrix."""
    q, _ = np.linalg.qr(rng2.normal(size=(*batch, n, n)))
    return (q * np.arange(1.0, n + 1)[..., None, :]) @ np.swapaxes(q, -1, -2)


def with_singular_values(m, n, sv, *batch):
    u, _ = np.linalg.qr(rng2.normal(size=(*batch, m, m)))
    v, _ = np.linalg.qr(rng2.normal(size=(*batch, n, n)))
    k = min(m, n)
    s = np.zeros((*batch, m, n))
    s[..., np.arange(k), np.arange(k)] = sv
    return u @ s @ v


dec = {}
for name, a, mode in [
    ("4x3 reduced", rng2.normal(size=(4, 3)), "reduced"),
    ("3x3 reduced", rng2.normal(size=(3, 3)), "reduced"),
    ("2x4 reduced (wide)", rng2.normal(size=(2, 4)), "reduced"),
    ("3x5 complete (wide)", rng2.normal(size=(3, 5)), "complete"),
    ("4x4 complete", rng2.normal(size=(4, 4)), "complete"),
    ("5x3 complete (tall)", rng2.normal(size=(5, 3)), "complete"),
    ("4x3 r", rng2.normal(size=(4, 3)), "r"),
    ("batched 2x4x3 reduced", rng2.normal(size=(2, 4, 3)), "reduced"),
    ("12x10 reduced (looped)", rng2.normal(size=(12, 10)), "reduced"),
]:
    entry = {"op": "qr", "mode": mode, "args": [enc(a)]}
    if mode == "r":
        entry["outs"] = {"R": enc(np.linalg.qr(a, mode="r"))}
    else:
        q, r = np.linalg.qr(a, mode=mode)
        entry["outs"] = {"Q": enc(q), "R": enc(r)}
    if not (mode == "complete" and a.shape[-2] > a.shape[-1]):
        entry["grads"] = grads(qr_objective(mode), a)
    dec[f"qr {name}"] = entry

for name, a in [
    ("3x3", sym_separated()),
    ("1x1", np.array([[2.5]])),
    ("2x2", sym_separated(n=2)),
    ("5x5", sym_separated(n=5)),
    ("batched 2x4x4", sym_separated(2, n=4)),
    ("10x10", sym_separated(n=10)),
    ("unsymmetric input 3x3 (symmetrized)", rng2.normal(size=(3, 3)) + 3 * np.diag([1.0, 2.0, 3.0])),
]:
    sa = (a + np.swapaxes(a, -1, -2)) / 2
    w, v = np.linalg.eigh(sa)
    dec[f"eigh {name}"] = {"op": "eigh", "args": [enc(a)], "outs": {"eigenvalues": enc(w), "eigenvectors": enc(v)},
                           "grads": grads(eigh_objective, a)}
    dec[f"eigvalsh {name}"] = {"op": "eigvalsh", "args": [enc(a)], "outs": {"eigenvalues": enc(w)},
                               "grads": grads(sum_w1(jnp.linalg.eigvalsh), a)}
lower_only = rng2.normal(size=(3, 3))
for uplo in ("L", "U"):
    w, v = np.linalg.eigh(lower_only, UPLO=uplo)
    dec[f"eigh UPLO={uplo} symmetrizeInput=false"] = {"op": "eigh", "uplo": uplo, "args": [enc(lower_only)],
                                                      "outs": {"eigenvalues": enc(w), "eigenvectors": enc(v)}}

for name, a in [
    ("4x3", rng2.normal(size=(4, 3))),
    ("3x3", rng2.normal(size=(3, 3))),
    ("2x4 (wide)", rng2.normal(size=(2, 4))),
    ("1x3", rng2.normal(size=(1, 3))),
    ("batched 2x3x2", rng2.normal(size=(2, 3, 2))),
    ("12x9", rng2.normal(size=(12, 9))),
    ("graded 5x4 (sv 1 .. 1e-4)", with_singular_values(5, 4, np.array([1.0, 1e-1, 1e-2, 1e-4]))),
]:
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    dec[f"svd {name}"] = {"op": "svd", "args": [enc(a)], "outs": {"U": enc(u), "S": enc(s), "Vh": enc(vh)},
                          "grads": grads(svd_objective, a)}
    dec[f"svdvals {name}"] = {"op": "svdvals", "args": [enc(a)], "outs": {"S": enc(s)},
                              "grads": grads(sum_w1(lambda x: jnp.linalg.svd(x, compute_uv=False)), a)}
rank_def = with_singular_values(4, 3, np.array([3.0, 1.0, 0.0]))
dec["svd rank-deficient 4x3 (values)"] = {"op": "svdvals", "args": [enc(rank_def)],
                                         "outs": {"S": enc(np.linalg.svd(rank_def, compute_uv=False))}}

for name, a, b, rcond in [
    ("overdetermined 5x3, vector b", rng2.normal(size=(5, 3)), rng2.normal(size=5), None),
    ("overdetermined 5x3, matrix b", rng2.normal(size=(5, 3)), rng2.normal(size=(5, 2)), None),
    ("underdetermined 2x4", rng2.normal(size=(2, 4)), rng2.normal(size=2), None),
    ("square 3x3", rng2.normal(size=(3, 3)) + 2 * np.eye(3), rng2.normal(size=(3, 2)), None),
    ("rank-deficient 4x3, rcond=1e-10", rank_def, rng2.normal(size=4), 1e-10),
    ("rank-deficient 4x3, default rcond", rank_def, rng2.normal(size=(4, 2)), None),
]:
    x, res, rank, s = jnp.linalg.lstsq(jnp.asarray(a), jnp.asarray(b), rcond=rcond)
    xn = np.linalg.lstsq(a, b, rcond=rcond)[0]
    assert np.allclose(x, xn), name
    entry = {"op": "lstsq", "rcond": rcond, "args": [enc(a), enc(b)],
             "outs": {"solution": enc(xn), "residuals": enc(res), "rank": enc(rank), "singularValues": enc(s)}}
    if "rank-deficient" not in name:
        def lobj(a_, b_, rcond=rcond):
            x_, r_, _, _ = jnp.linalg.lstsq(a_, b_, rcond=rcond)
            return jnp.sum(wts(x_.shape, "w1") * x_) + jnp.sum(wts(r_.shape, "w2") * r_)
        entry["grads"] = grads(lobj, a, b)
    dec[f"lstsq {name}"] = entry

for name, a, herm in [
    ("4x3", rng2.normal(size=(4, 3)), False),
    ("2x4", rng2.normal(size=(2, 4)), False),
    ("batched 2x3x3", rng2.normal(size=(2, 3, 3)), False),
    ("rank-deficient 4x3", rank_def, False),
    ("hermitian 3x3", sym_separated() - 2 * np.eye(3), True),
]:
    entry = {"op": "pinv", "hermitian": herm, "args": [enc(a)], "outs": {"out": enc(np.linalg.pinv(a, hermitian=herm))}}
    if "rank-deficient" not in name:
        entry["grads"] = grads(sum_w1(lambda x, h=herm: jnp.linalg.pinv(x, hermitian=h)), a)
    dec[f"pinv {name}"] = entry

for name, a in [
    ("full 3x3", rng2.normal(size=(3, 3))),
    ("rank 2 of 4x3", rank_def),
    ("batched [2, 3, 4] ranks", np.stack([with_singular_values(3, 4, np.array([2.0, 1.0, 0.0])),
                                          with_singular_values(3, 4, np.array([2.0, 1.0, 0.5]))])),
    ("zero 2x2", np.zeros((2, 2))),
    ("vector", np.array([0.0, 2.0, 0.0])),
]:
    dec[f"matrixRank {name}"] = {"op": "matrixRank", "args": [enc(a)], "outs": {"out": enc(np.linalg.matrix_rank(a))}}

for name, a, pv in [
    ("3x3 p=None", rng2.normal(size=(3, 3)), None),
    ("4x3 p=2", rng2.normal(size=(4, 3)), 2),
    ("3x3 p=-2", rng2.normal(size=(3, 3)), -2),
    ("3x3 p=1", rng2.normal(size=(3, 3)) + 2 * np.eye(3), 1),
    ("3x3 p=inf", rng2.normal(size=(3, 3)) + 2 * np.eye(3), "inf"),
    ("3x3 p=fro", rng2.normal(size=(3, 3)) + 2 * np.eye(3), "fro"),
    ("batched 2x3x3", rng2.normal(size=(2, 3, 3)), None),
]:
    po = {"inf": np.inf}.get(pv, pv) if isinstance(pv, str) else pv
    dec[f"cond {name}"] = {"op": "cond", "ord": pv, "args": [enc(a)], "outs": {"out": enc(np.linalg.cond(a, po))},
                           "grads": grads(sum_w1(lambda x, po=po: jnp.linalg.cond(x, po)), a)}

x34 = rng2.normal(size=(3, 4))
x234 = rng2.normal(size=(2, 3, 4))
for name, x, o, axis, keep in [
    ("ord=2 3x4", x34, 2, None, False),
    ("ord=-2 3x4", x34, -2, None, False),
    ("ord=nuc 3x4", x34, "nuc", None, False),
    ("ord=2 axes (2, 0) keepdims", x234, 2, [2, 0], True),
    ("ord=nuc axes (1, 2)", x234, "nuc", [1, 2], False),
    ("ord=-2 axes (-1, -3)", x234, -2, [-1, -3], False),
]:
    ax = tuple(axis) if axis else None
    dec[f"norm {name}"] = {"op": "norm", "ord": o, "axis": axis, "keepdims": keep, "args": [enc(x)],
                           "outs": {"out": enc(np.linalg.norm(x, ord=o, axis=ax, keepdims=keep))},
                           "grads": grads(sum_w1(lambda y, o=o, ax=ax, keep=keep: jnp.linalg.norm(y, ord=o, axis=ax, keepdims=keep)), x)}

out = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "linalg.json")
with open(out, "w") as fh:
    json.dump({"generator": "scripts/gen-linalg-fixtures.py", "numpy": np.__version__, "jax": jax.__version__, "cases": cases, "decompositions": dec}, fh)
print(f"wrote {len(cases)} + {len(dec)} cases to {out}")
