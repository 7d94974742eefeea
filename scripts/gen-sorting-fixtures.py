"""Reference values for graft's sorting, searching, cumulative and quantile functions.

Writes test/fixtures/sorting.json (run: python3 scripts/gen-sorting-fixtures.py). NumPy computes
what NumPy and JAX agree on; where JAX's documented semantics differ from NumPy's (descending
order, top_k's total order, unique's size padding, quantile's "nearest"), the JAX rule is written
out below in NumPy, from the JAX source, and named as such. Non-finite floats and -0 are encoded
as the strings "NaN", "Infinity", "-Infinity" and "-0".
"""
import json
import math
import os

import numpy as np


def enc(a):
    a = np.asarray(a)
    if a.dtype.kind == "f":
        def one(v):
            v = float(v)
            if math.isnan(v):
                return "NaN"
            if math.isinf(v):
                return "Infinity" if v > 0 else "-Infinity"
            if v == 0 and math.copysign(1, v) < 0:
                return "-0"
            return v
        flat = [one(v) for v in a.ravel()]
    else:
        flat = [int(v) for v in a.ravel()]
    return {"shape": list(a.shape), "dtype": str(a.dtype) if a.dtype.kind == "f" else "int32", "data": flat}


X1 = np.array([3.0, 1.0, np.nan, 2.0, -0.0, 0.0, 1.0, -np.inf, np.inf, 1.0], dtype=np.float64)
X2 = np.array([[2.0, -1.0, 2.0, 0.5], [np.nan, 3.0, -0.0, 3.0], [1.0, 1.0, 1.0, -2.0]], dtype=np.float64)
XI = np.array([[5, -3, 5, 0, 7], [2, 2, -8, 1, 2]], dtype=np.int32)


def jax_argsort_desc(x, axis):
    """jnp.argsort(descending=True): stable ascending argsort of the reversed axis, mapped back."""
    n = x.shape[axis]
    up = np.argsort(np.flip(x, axis), axis=axis, kind="stable")
    return n - 1 - np.flip(up, axis)


sort_cases = []
for name, x in [("x1", X1), ("x2", X2), ("xi", XI)]:
    for axis in ([0, -1, None] if x.ndim > 1 else [-1, None]):
        flat = x.ravel() if axis is None else x
        ax = 0 if axis is None else axis
        sort_cases.append({
            "x": enc(x), "axis": axis,
            "argsort": enc(np.argsort(flat, axis=ax, kind="stable")),
            "sort": enc(np.sort(flat, axis=ax, kind="stable")),
            "argsortDesc": enc(jax_argsort_desc(flat, ax)),
            # jnp.sort(descending=True) reverses the stable ascending sort.
            "sortDesc": enc(np.flip(np.sort(flat, axis=ax, kind="stable"), ax)),
        })


def total_order_key(v):
    """XLA's total order for top_k (positive NaN largest, +0 above -0)."""
    if math.isnan(v):
        return (2, 0.0)
    return (1, v, math.copysign(1, v) if v == 0 else 0)


topk_cases = []
for name, x, k in [("x1", X1, 4), ("x2", X2, 3), ("xi", XI, 5), ("zeros", np.array([0.0, -0.0, 0.0, -0.0]), 4)]:
    vals, idxs = [], []
    for row in x.reshape(-1, x.shape[-1]):
        order = sorted(range(len(row)), key=lambda i: (tuple(-c for c in total_order_key(float(row[i]))), i))[:k]
        idxs.append(order)
        vals.append([row[i] for i in order])
    shp = list(x.shape[:-1]) + [k]
    topk_cases.append({"x": enc(x), "k": k, "values": enc(np.array(vals, dtype=x.dtype).reshape(shp)),
                       "indices": enc(np.array(idxs, dtype=np.int32).reshape(shp))})

A = np.array([-np.inf, -1.0, 0.0, 0.0, 2.5, 2.5, 2.5, 7.0, np.nan], dtype=np.float64)
V = np.array([[-5.0, -1.0, 0.0, -0.0], [2.5, 3.0, np.nan, np.inf]], dtype=np.float64)
perm = np.array([4, 0, 7, 2, 8, 1, 5, 3, 6])
unsorted = np.empty_like(A)
unsorted[perm] = A  # unsorted[perm] is sorted, so argsort-like sorter = perm
search_cases = []
for side in ["left", "right"]:
    search_cases.append({"a": enc(A), "v": enc(V), "side": side, "out": enc(np.searchsorted(A, V, side=side))})
    search_cases.append({"a": enc(unsorted), "v": enc(V), "side": side, "sorter": [int(i) for i in perm],
                         "out": enc(np.searchsorted(unsorted, V, side=side, sorter=perm))})
AI = np.array([-4, 0, 0, 3, 9], dtype=np.int32)
VI = np.array([-5, 0, 1, 9, 10], dtype=np.int32)
for side in ["left", "right"]:
    search_cases.append({"a": enc(AI), "v": enc(VI), "side": side, "out": enc(np.searchsorted(AI, VI, side=side))})
search_cases.append({"a": enc(np.zeros(0)), "v": enc(np.array([1.0, 2.0])), "side": "left",
                     "out": enc(np.zeros(2, dtype=np.int32))})

C = np.array([[1.5, -2.0, 0.5, 3.0, -0.5], [2.0, np.nan, 1.0, -1.0, 4.0], [0.25, 4.0, -3.0, 2.0, 2.0]])
CI = np.array([[3, -1, 2, 5], [-2, 4, 4, 1]], dtype=np.int32)
cum_cases = []
ufuncs = {"cumprod": np.multiply, "cummax": np.maximum, "cummin": np.minimum, "cumsum": np.add}
for x in [C, CI]:
    for op, uf in ufuncs.items():
        for axis in [0, 1, -1, None]:
            for reverse in [False, True]:
                flat = x.ravel() if axis is None else x
                ax = 0 if axis is None else axis
                src = np.flip(flat, ax) if reverse else flat
                out = uf.accumulate(src, axis=ax)
                out = np.flip(out, ax) if reverse else out
                cum_cases.append({"op": op, "x": enc(x), "axis": axis, "reverse": reverse, "out": enc(out)})


def jax_unique_sized(x, size, fill):
    """jnp.unique(..., size, fill_value): nonzero-padding with index 0, counts from padded starts."""
    flat = x.ravel()
    perm = np.argsort(flat, kind="stable")
    s = flat[perm]
    neq = (s[1:] != s[:-1]) & ~(np.isnan(s[1:]) & np.isnan(s[:-1]))
    mask = np.concatenate([[True], neq])
    starts = np.nonzero(mask)[0]
    nu = len(starts)
    ind = np.zeros(size, dtype=np.int64)
    ind[:min(size, nu)] = starts[:size]
    vals = s[ind]
    if fill is not None:
        vals = np.where(np.arange(size) < nu, vals, fill).astype(x.dtype)
    ext = np.full(size + 1, len(flat))
    m = min(size + 1, nu)
    ext[:m] = starts[:m]
    inv = np.zeros(len(flat), dtype=np.int64)
    inv[perm] = np.cumsum(mask) - 1
    return vals, perm[ind], inv.reshape(np.shape(x)), np.diff(ext)  # JAX: inverse in the input's shape


U = np.array([[3.0, np.nan, 1.0], [3.0, -0.0, np.nan], [0.0, 1.0, 7.0]])
UI = np.array([4, -2, 4, 4, 9, -2, 0], dtype=np.int32)
unique_cases = []
for x in [U, UI]:
    vals, idx, inv, cnt = np.unique(x, return_index=True, return_inverse=True, return_counts=True, equal_nan=True)
    unique_cases.append({"x": enc(x), "values": enc(vals), "indices": enc(idx.astype(np.int32)),
                         "inverse": enc(inv.reshape(np.shape(x)).astype(np.int32)), "counts": enc(cnt.astype(np.int32))})
    for size, fill in [(2, None), (8, None), (8, -9)]:
        vals, idx, inv, cnt = jax_unique_sized(x, size, fill)
        unique_cases.append({"x": enc(x), "size": size, "fillValue": fill, "values": enc(vals),
                             "indices": enc(idx.astype(np.int32)), "inverse": enc(inv.astype(np.int32)),
                             "counts": enc(cnt.astype(np.int32))})


def jax_nearest(x, q, axis, keepdims):
    """jnp.quantile(method='nearest'): the lower neighbour when the fractional position is <= 0.5."""
    lo = np.quantile(x, q, axis=axis, method="lower", keepdims=keepdims)
    hi = np.quantile(x, q, axis=axis, method="higher", keepdims=keepdims)
    n = x.size if axis is None else int(np.prod([x.shape[a] for a in (axis if isinstance(axis, tuple) else (axis,))]))
    frac = np.asarray(q) * (n - 1) - np.floor(np.asarray(q) * (n - 1))
    frac = frac.reshape(frac.shape + (1,) * (np.ndim(lo) - np.ndim(frac)))
    return np.where(frac <= 0.5, lo, hi)


Q = np.array([[4.0, 1.0, 7.0, 2.0, 2.0], [0.5, -3.0, 9.0, 6.0, 1.0], [5.0, 5.0, 5.0, 0.0, 8.0], [1.0, 2.0, 3.0, 4.0, 5.0]])
QN = np.array([[1.0, np.nan, 3.0], [2.0, 0.0, 1.0]])
quantile_cases = []
for x in [Q, QN]:
    for q in [0.5, [0.0, 0.1, 0.25, 0.5, 0.625, 0.875, 1.0]]:
        for axis in [None, 0, -1, (0, 1)]:
            for keepdims in [False, True]:
                for method in ["linear", "lower", "higher", "midpoint", "nearest"]:
                    ax = list(axis) if isinstance(axis, tuple) else axis
                    if method == "nearest":
                        out = jax_nearest(x, q, axis, keepdims)
                    else:
                        out = np.quantile(x, q, axis=axis, method=method, keepdims=keepdims)
                    quantile_cases.append({"x": enc(x), "q": q, "axis": ax, "keepdims": keepdims, "method": method,
                                           "out": enc(np.asarray(out, dtype=np.float64))})
median_cases = [{"x": enc(x), "axis": ax, "out": enc(np.asarray(np.median(x, axis=ax), dtype=np.float64))}
                for x in [Q, QN, XI] for ax in [None, 0, 1]]
percentile_cases = [{"x": enc(Q), "q": [0, 30, 50, 99, 100], "axis": 1,
                     "out": enc(np.percentile(Q, [0, 30, 50, 99, 100], axis=1))}]

out = {"sort": sort_cases, "topK": topk_cases, "searchsorted": search_cases, "cumulative": cum_cases,
       "unique": unique_cases, "quantile": quantile_cases, "median": median_cases, "percentile": percentile_cases}
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "sorting.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(f"wrote {path}: " + ", ".join(f"{k} {len(v)}" for k, v in out.items()))
