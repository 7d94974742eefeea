"""Reference values for np.cross (broadcasting, axisa/axisb/axisc/axis), np.histogram with an
array of bin edges (under jit) and np.unique with axis, from JAX 0.10.2 (CPU, float32).

Run:  python scripts/cross-histogram-unique-fixtures.py
Writes test/fixtures/cross-histogram-unique.json, read by test/numpy/cross-histogram-unique.test.ts.
"""
import json
import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
import jax
import jax.numpy as jnp
import numpy as np

rng = np.random.default_rng(11)
f32 = lambda *shape: np.round(rng.normal(size=shape), 3).astype(np.float32)


def enc(x):
    x = np.asarray(x)
    return {"shape": list(x.shape), "dtype": str(x.dtype),
            "values": [None if (isinstance(v, float) and v != v) else v for v in x.ravel().tolist()]}


cases = {}

# cross: inputs and keyword arguments; graft gets the same.
CROSS = [
    ("broadcast_leading", f32(2, 3), f32(3), {}),
    ("broadcast_both", f32(4, 1, 3), f32(2, 3), {}),
    ("axisa_axisb_axisc", f32(3, 2), f32(2, 3), {"axisa": 0, "axisb": -1, "axisc": 0}),
    ("axis", f32(3, 4), f32(3, 4), {"axis": 0}),
    ("axis_broadcast", f32(3, 1, 5), f32(3, 2, 1), {"axis": 0}),
    ("two_vectors", f32(2, 2), f32(2), {}),
    ("two_and_three", f32(4, 2), f32(4, 3), {}),
    ("two_and_three_axisc", f32(2, 4), f32(4, 3), {"axisa": 0, "axisc": 0}),
]
for name, a, b, kw in CROSS:
    cases[f"cross/{name}"] = {"a": enc(a), "b": enc(b), "kwargs": kw, "out": enc(jnp.cross(a, b, **kw))}

# histogram with an edges array, traced under jit.
x = f32(50)
w = np.abs(f32(50))
edges = np.asarray([-2.0, -0.5, 0.0, 0.25, 1.0, 3.0], np.float32)
hist = jax.jit(lambda x, e: jnp.histogram(x, bins=e))
hist_w = jax.jit(lambda x, e, w: jnp.histogram(x, bins=e, weights=w))
hist_d = jax.jit(lambda x, e: jnp.histogram(x, bins=e, density=True))
for name, f, args in [("edges", hist, (x, edges)), ("edges_weights", hist_w, (x, edges, w)), ("edges_density", hist_d, (x, edges))]:
    counts, e = f(*args)
    cases[f"histogram/{name}"] = {"x": enc(x), "edges": enc(edges), "weights": enc(w), "counts": enc(counts), "out_edges": enc(e)}

# unique along an axis.
rows = np.asarray([[1, 2], [3, 4], [1, 2], [0, 9], [3, 4], [1, -2]], np.int32)
cube = np.asarray(rng.integers(0, 2, size=(2, 5, 2)), np.int32)
nanrows = np.asarray([[1.0, np.nan], [1.0, np.nan], [0.0, 1.0], [1.0, 2.0]], np.float32)
UNIQUE = [
    ("axis0", rows, {"axis": 0}),
    ("axis1", rows.T, {"axis": 1}),
    ("axis_neg", rows.T, {"axis": -1}),
    ("cube_axis1", cube, {"axis": 1}),
    ("all_returns", rows, {"axis": 0, "return_index": True, "return_inverse": True, "return_counts": True}),
    ("size_fill", rows, {"axis": 0, "size": 6, "fill_value": -1}),
    ("size_nofill", rows, {"axis": 0, "size": 6}),
    ("size_short", rows, {"axis": 0, "size": 2, "return_counts": True}),
    ("nan_equal", nanrows, {"axis": 0}),
    ("nan_distinct", nanrows, {"axis": 0, "equal_nan": False}),
]
for name, x_, kw in UNIQUE:
    r = jnp.unique(x_, **kw)
    labels = ["values"] + [n for f, n in [("return_index", "indices"), ("return_inverse", "inverse"), ("return_counts", "counts")] if kw.get(f)]
    out = {"values": enc(r)} if not isinstance(r, tuple) else dict(zip(labels, map(enc, r)))
    cases[f"unique/{name}"] = {"x": enc(x_), "kwargs": kw, **out}

path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "cross-histogram-unique.json")
with open(path, "w") as fh:
    json.dump({"jax_version": jax.__version__, "cases": cases}, fh, indent=0)
    fh.write("\n")
