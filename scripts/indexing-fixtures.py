"""Reference values for advanced indexing, take / take_along_axis modes and nonzero, from real JAX.

Writes test/fixtures/indexing.json, read by test/numpy/indexing-advanced.test.ts and
test/numpy/take-modes.test.ts. CI never runs this; regenerate by hand:

    python3 -m venv /tmp/jaxvenv && /tmp/jaxvenv/bin/pip install jax==0.10.2
    /tmp/jaxvenv/bin/python scripts/indexing-fixtures.py

Index entries are encoded as JSON: an int, null (new axis), "..." (ellipsis),
{"slice": [start, stop, step]}, {"arr": flat values, "shape": [...]} (int32 array) or
{"mask": flat 0/1, "shape": [...]} (bool mask).
"""

import json
import os

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_platforms", "cpu")
jax.config.update("jax_enable_x64", True)

SHAPE = (2, 3, 4)


def arr(values, shape=None):
    a = np.asarray(values, dtype=np.int32)
    return {"arr": a.ravel().tolist(), "shape": list(a.shape if shape is None else shape)}


def mask(values):
    m = np.asarray(values, dtype=bool)
    return {"mask": m.ravel().astype(int).tolist(), "shape": list(m.shape)}


def sl(a=None, b=None, c=None):
    return {"slice": [a, b, c]}


def decode(entry):
    if entry is None:
        return None
    if entry == "...":
        return Ellipsis
    if isinstance(entry, int):
        return entry
    if "slice" in entry:
        return slice(*entry["slice"])
    if "arr" in entry:
        return jnp.asarray(np.asarray(entry["arr"], dtype=np.int32).reshape(entry["shape"]))
    return jnp.asarray(np.asarray(entry["mask"], dtype=bool).reshape(entry["shape"]))


def out(y):
    y = np.asarray(y)
    vals = [None if (isinstance(v, float) and np.isnan(v)) else v for v in y.ravel().tolist()]
    return {"shape": list(y.shape), "values": vals}


ROW_MASK = [[True, False, True], [False, True, True]]
GET_CASES = [
    ("two arrays adjacent at the front", [arr([0, 1, 1]), arr([2, 0, 1])]),
    ("two arrays adjacent after a slice", [sl(), arr([0, 2]), arr([3, 1])]),
    ("arrays separated by a slice go first", [arr([0, 1]), sl(), arr([1, 2])]),
    ("arrays separated by a step slice go first", [arr([1, 0]), sl(None, None, -2), arr([3, 0])]),
    ("three arrays broadcast [2,1] [3] scalar", [arr([[0], [1]]), arr([0, 1, 2]), arr(3, [])]),
    ("broadcast [2,1] with [1,3] after a slice", [sl(1, None), arr([[0], [2]]), arr([[1, 2, 3]])]),
    ("int next to an array stays in place", [sl(), 1, arr([0, 3, 2])]),
    ("int separated from an array goes first", [1, sl(), arr([0, 3])]),
    ("array then int then array: adjacent", [arr([0, 1]), 2, arr([1, 3])]),
    ("new axis between arrays puts them first", [arr([0, 1]), None, arr([1, 2])]),
    ("new axis before adjacent arrays", [None, arr([0, 1]), arr([1, 2])]),
    ("new axis after adjacent arrays", [arr([0, 1]), arr([1, 2]), None]),
    ("ellipsis between arrays (one axis) puts them first", [arr([0, 1]), "...", arr([1, 2])]),
    ("ellipsis then two arrays", ["...", arr([1, 2]), arr([3, 0])]),
    ("an empty ellipsis still separates", [sl(), 0, "...", arr([[1, 2]])]),
    ("negative indices wrap once", [arr([-1, -2]), sl(), arr([-4, 3])]),
    ("traced out-of-range indices clamp (jnp indexing)", [arr([5, -3]), arr([0, 9])]),
    ("duplicate pairs", [arr([1, 1, 0]), arr([2, 2, 2])]),
    ("2-D index arrays", [arr([[0, 1], [1, 0]]), sl(None, 2), arr([[3, 2], [1, 0]])]),
    ("mask over the first axis", [mask([True, False])]),
    ("mask over the last axis", ["...", mask([True, False, False, True])]),
    ("2-D mask over two leading axes", [mask(ROW_MASK)]),
    ("2-D mask then a slice", [mask(ROW_MASK), sl(None, None, 3)]),
    ("slice then 2-D mask", [sl(), mask([[True, False, True, True]] * 3)]),
    ("mask with an array index", [sl(), mask([False, True, True]), arr([3, 0])]),
    ("mask and an array separated", [mask([True, True]), sl(), arr([0, 3])]),
    ("all-false mask", [mask([False, False])]),
    ("full 3-D mask", [mask((np.arange(24).reshape(SHAPE) % 5) == 1)]),
]

UPDATE_CASES = [
    ("set two arrays", [arr([0, 1]), sl(), arr([1, 2])], "set", 100.0),
    ("add duplicates accumulate", [arr([1, 1, 0]), arr([2, 2, 2])], "add", [[1.0], [2.0], [4.0]]),
    ("set duplicates keep the last", [arr([1, 1, 0]), arr([2, 2, 2])], "set", [[7.0], [8.0], [9.0]]),
    ("mul duplicates combine", [arr([0, 0]), arr([1, 1]), arr([2, 2])], "mul", [3.0, 5.0]),
    ("min with broadcast arrays", [arr([[0], [1]]), arr([0, 2])], "min", -1.0),
    ("max separated arrays", [arr([1, 0]), sl(None, 2), arr([3, 3])], "max", 50.0),
    ("set through a mask", [mask(ROW_MASK)], "set", 0.0),
    ("add through a mask and a slice", ["...", mask([True, False, True, False])], "add", [10.0, 20.0]),
    ("set drops out-of-range traced pairs", [arr([0, 5, 1]), arr([1, 1, -1])], "set", [[-1.0], [-2.0], [-3.0]]),
]


def get_fixtures():
    x = jnp.arange(24.0).reshape(SHAPE) * 0.5
    cases = []
    for name, idx in GET_CASES:
        key = tuple(decode(e) for e in idx)
        y = x[key]
        w = jnp.arange(1.0, y.size + 1.0).reshape(y.shape)
        g = jax.grad(lambda x: jnp.sum(jnp.sin(x[key]) * w))(x)
        cases.append({"name": name, "index": idx, "out": out(y), "grad": out(g)})
    return cases


def update_fixtures():
    x = jnp.arange(24.0).reshape(SHAPE) * 0.5
    cases = []
    for name, idx, op, v in UPDATE_CASES:
        key = tuple(decode(e) for e in idx)
        y = getattr(x.at[key], op)(jnp.asarray(v))
        cases.append({"name": name, "index": idx, "op": op, "value": v, "out": out(y)})
    return cases


DTYPES = ["float32", "float64", "int32", "uint32", "bool"]
TAKE_X = [[1, 0, 3, 2, 0], [4, 1, 0, 2, 5]]
TAKE_INDICES = [[0, 7, -1, -6], [4, -5, 12, 2]]


def cast(values, dtype):
    return jnp.asarray(np.asarray(values).astype(dtype))


def take_fixtures():
    cases = []
    if True:
        for dtype in DTYPES:
            x = cast(TAKE_X, dtype)
            for mode in [None, "fill", "clip", "wrap"]:
                for axis in [None, 1, 0]:
                    ind = jnp.asarray(np.asarray(TAKE_INDICES[0], dtype=np.int32))
                    y = jnp.take(x, ind, axis=axis, mode=mode)
                    cases.append({"fn": "take", "dtype": dtype, "mode": mode, "axis": axis, "indices": out(ind), "out": out(y)})
                # JAX's take_along_axis has no "wrap" mode (it raises); graft raises too.
                for axis in [1, 0, None] if mode != "wrap" else []:
                    ind = np.asarray(TAKE_INDICES, dtype=np.int32)
                    if axis == 0:
                        ind = np.asarray([[0], [3], [-1]], dtype=np.int32)  # [3, 1] broadcasts over axis 1
                    if axis is None:
                        ind = ind.ravel()
                    ind = jnp.asarray(ind)
                    y = jnp.take_along_axis(x, ind, axis=axis, mode=mode)
                    cases.append({"fn": "takeAlongAxis", "dtype": dtype, "mode": mode, "axis": axis, "indices": out(ind), "out": out(y)})
            if dtype != "bool":
                ind = jnp.asarray(np.asarray([1, 9, -9], dtype=np.int32))
                y = jnp.take(x, ind, axis=1, fill_value=7)
                cases.append({"fn": "take", "dtype": dtype, "mode": "fill", "fillValue": 7, "axis": 1, "indices": out(ind), "out": out(y)})
    # uint32 indices: no negative wrapping; values past 2^31 are out of range.
    x = cast(TAKE_X[0], "float32")
    for mode in [None, "clip", "wrap"]:
        ind = jnp.asarray(np.asarray([3, 4, 5, 2**31 + 1], dtype=np.uint32))
        y = jnp.take(x, ind, mode=mode)
        cases.append({"fn": "take", "dtype": "float32", "mode": mode, "axis": None, "indexDtype": "uint32", "indices": out(ind), "out": out(y)})
    return cases


def take_grad_fixtures():
    x = jnp.asarray(np.asarray(TAKE_X, dtype=np.float32)) * 0.25
    ind1 = jnp.asarray(np.asarray([0, 7, -1, 1, 1, -6], dtype=np.int32))
    ind2 = jnp.asarray(np.asarray([[0, 5, -1], [-6, 2, 2]], dtype=np.int32))
    cases = []
    for mode in [None, "clip", "wrap"]:
        g = jax.grad(lambda x: jnp.sum(jnp.cos(jnp.take(x, ind1, axis=1, mode=mode)) * jnp.arange(1.0, 13.0).reshape(2, 6)))(x)
        cases.append({"fn": "take", "mode": mode, "axis": 1, "indices": out(ind1), "grad": out(g)})
        if mode == "wrap":
            continue
        g = jax.grad(lambda x: jnp.sum(jnp.cos(jnp.take_along_axis(x, ind2, axis=1, mode=mode)) * jnp.arange(1.0, 7.0).reshape(2, 3)))(x)
        cases.append({"fn": "takeAlongAxis", "mode": mode, "axis": 1, "indices": out(ind2), "grad": out(g)})
    return cases


def nonzero_fixtures():
    x = np.asarray([[0, 3, 0, 1], [5, 0, 7, 0], [0, 0, 0, 2]], dtype=np.float32)
    cases = []
    for size, fill in [(None, None), (3, None), (8, None), (8, -1), (8, [9, 8])]:
        kw = {} if size is None else {"size": size}
        if fill is not None:
            kw["fill_value"] = tuple(fill) if isinstance(fill, list) else fill
        nz = jnp.nonzero(x, **kw)
        aw = jnp.argwhere(x, **kw)
        fkw = dict(kw)
        if isinstance(fill, list):
            fkw["fill_value"] = fill[0]
        fz = jnp.flatnonzero(x, **fkw)
        cases.append(
            {
                "size": size,
                "fillValue": fill,
                "nonzero": [out(c) for c in nz],
                "argwhere": out(aw),
                "flatFill": fkw.get("fill_value"),
                "flatnonzero": out(fz),
            }
        )
    return {"x": out(x), "cases": cases}


def at_mode_fixtures():
    """at[...].get / set / add with explicit modes and out-of-range traced indices (1-D x)."""
    x = jnp.arange(5.0) * 0.5 + 1.0
    ind = jnp.asarray(np.asarray([0, 7, -1, -6, 2], dtype=np.int32))
    w = jnp.arange(1.0, 6.0)
    cases = []
    for mode in [None, "clip", "fill"]:
        kw = {} if mode is None else {"mode": mode}
        y = x.at[ind].get(**kw)
        g = jax.grad(lambda x: jnp.sum(jnp.sin(x.at[ind].get(**kw)) * w))(x)
        cases.append({"op": "get", "mode": mode, "out": out(y), "grad": out(g)})
    y = x.at[ind].get(mode="fill", fill_value=-2.0)
    cases.append({"op": "get", "mode": "fill", "fillValue": -2.0, "out": out(y)})
    v = jnp.asarray([10.0, 20.0, 30.0, 40.0, 50.0])
    for op in ["set", "add"]:
        for mode in [None, "drop", "clip"]:
            kw = {} if mode is None else {"mode": mode}
            if op == "set" and mode == "clip":
                # Clipped duplicates at one position: XLA's write order is unspecified, so keep those apart.
                i2 = jnp.asarray(np.asarray([0, 7, -6, 2], dtype=np.int32))
                y = x.at[i2].set(v[:4], **kw)
                cases.append({"op": op, "mode": mode, "indices": out(i2), "value": v[:4].tolist(), "out": out(y)})
                continue
            y = getattr(x.at[ind], op)(v, **kw)
            cases.append({"op": op, "mode": mode, "indices": out(ind), "value": v.tolist(), "out": out(y)})
    return {"x": out(x), "indices": out(ind), "weights": w.tolist(), "cases": cases}


def main():
    data = {
        "jax": jax.__version__,
        "x": {"shape": list(SHAPE), "scale": 0.5},
        "get": get_fixtures(),
        "update": update_fixtures(),
        "take": take_fixtures(),
        "takeGrad": take_grad_fixtures(),
        "nonzero": nonzero_fixtures(),
        "atModes": at_mode_fixtures(),
    }
    path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "indexing.json")
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
