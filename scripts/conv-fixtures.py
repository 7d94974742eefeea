#!/usr/bin/env python3
"""
Generates test/fixtures/conv.json: reference values of jax.lax.conv_general_dilated (values and
the gradients of sum(out * cotangent) in both operands), jax.lax.reduce_window (values and
gradients, including ties) and jnp.convolve / jnp.correlate, for test/lax/conv*.test.ts.

    python3 -m venv /tmp/jaxvenv && /tmp/jaxvenv/bin/pip install jax
    /tmp/jaxvenv/bin/python scripts/conv-fixtures.py > test/fixtures/conv.json

Computed in float64 (x64 enabled); inputs are seeded NumPy draws written into the fixture, so the
tests feed graft exactly the same inputs.
"""
import json

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

jax.config.update("jax_enable_x64", True)
rng = np.random.default_rng(2026)


def tolist(a):
    return np.asarray(a, dtype=np.float64).tolist()


def draw(shape):
    return np.round(rng.normal(size=shape), 3)


CONV_CASES = [
    dict(name="1d valid", lhs=(2, 3, 7), rhs=(4, 3, 3), strides=[1], padding="VALID"),
    dict(name="2d same stride rhs dilation", lhs=(2, 2, 6, 7), rhs=(3, 2, 3, 2), strides=[2, 1], padding="SAME", rhs_dilation=[1, 2]),
    dict(name="nhwc same stride 2", lhs=(2, 6, 5, 3), rhs=(3, 3, 3, 4), strides=[2, 2], padding="SAME", dn=("NHWC", "HWIO", "NHWC")),
    dict(name="explicit negative pad lhs dilation", lhs=(1, 2, 5, 6), rhs=(2, 2, 3, 3), strides=[1, 2], padding=[(1, 2), (2, -1)], lhs_dilation=[2, 1]),
    dict(name="feature groups", lhs=(2, 4, 5, 5), rhs=(6, 2, 3, 3), strides=[1, 1], padding="VALID", fgc=2),
    dict(name="batch groups", lhs=(4, 3, 5, 5), rhs=(4, 3, 2, 2), strides=[1, 1], padding="VALID", bgc=2),
    dict(name="depthwise nhwc", lhs=(1, 5, 5, 3), rhs=(3, 3, 1, 3), strides=[1, 1], padding="SAME", dn=("NHWC", "HWIO", "NHWC"), fgc=3),
    dict(name="3d strides dilation", lhs=(1, 2, 5, 4, 4), rhs=(2, 2, 2, 2, 2), strides=[1, 2, 1], padding="VALID", rhs_dilation=[2, 1, 1]),
    dict(name="mixed layouts", lhs=(2, 3, 5, 4), rhs=(3, 2, 3, 4), strides=[1, 1], padding="SAME_LOWER", dn=("NCHW", "HWIO", "NHWC")),
    dict(name="transposed conv lhs dilation", lhs=(1, 2, 4, 4), rhs=(3, 2, 3, 3), strides=[1, 1], padding=[(2, 2), (1, 2)], lhs_dilation=[2, 2]),
    dict(name="stride larger than window", lhs=(1, 1, 9), rhs=(2, 1, 2), strides=[4], padding=[(0, 1)]),
]

conv_out = []
for c in CONV_CASES:
    x = draw(c["lhs"])
    w = draw(c["rhs"])
    kwargs = dict(
        lhs_dilation=c.get("lhs_dilation"),
        rhs_dilation=c.get("rhs_dilation"),
        dimension_numbers=c.get("dn"),
        feature_group_count=c.get("fgc", 1),
        batch_group_count=c.get("bgc", 1),
    )
    pad = c["padding"] if isinstance(c["padding"], str) else [tuple(p) for p in c["padding"]]

    def f(a, b):
        return lax.conv_general_dilated(a, b, c["strides"], pad, **kwargs)

    y = f(jnp.array(x), jnp.array(w))
    ct = draw(y.shape)
    gx, gw = jax.grad(lambda a, b: jnp.sum(f(a, b) * ct), argnums=(0, 1))(jnp.array(x), jnp.array(w))
    conv_out.append(
        dict(
            name=c["name"],
            lhs=tolist(x),
            rhs=tolist(w),
            strides=c["strides"],
            padding=c["padding"] if isinstance(c["padding"], str) else [list(p) for p in c["padding"]],
            lhsDilation=c.get("lhs_dilation"),
            rhsDilation=c.get("rhs_dilation"),
            dimensionNumbers=list(c["dn"]) if c.get("dn") else None,
            featureGroupCount=c.get("fgc", 1),
            batchGroupCount=c.get("bgc", 1),
            out=tolist(y),
            outShape=list(y.shape),
            cotangent=tolist(ct),
            gradLhs=tolist(gx),
            gradRhs=tolist(gw),
        )
    )

OPS = {"max": (lax.max, -np.inf), "min": (lax.min, np.inf), "sum": (lax.add, 0.0), "prod": (lax.mul, 1.0)}
RW_CASES = [
    dict(name="max pool 2x2", x=(2, 4, 4, 3), op="max", window=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID"),
    dict(name="sum 3x3 same", x=(1, 5, 6, 2), op="sum", window=[1, 3, 3, 1], strides=[1, 1, 1, 1], padding="SAME"),
    dict(name="max explicit pad dilations", x=(5, 6), op="max", window=[2, 3], strides=[2, 1], padding=[(1, 0), (2, 1)], base_dilation=[1, 2], window_dilation=[2, 1]),
    dict(name="min odd stride", x=(7, 3), op="min", window=[3, 2], strides=[3, 1], padding="SAME"),
    dict(name="prod 1d", x=(6,), op="prod", window=[2], strides=[1], padding="VALID"),
    dict(name="sum non-identity init", x=(4, 4), op="sum", window=[2, 2], strides=[2, 2], padding="VALID", init=1.5),
]

rw_out = []
for c in RW_CASES:
    x = draw(c["x"])
    comp, ident = OPS[c["op"]]
    init = c.get("init", ident)
    pad = c["padding"] if isinstance(c["padding"], str) else [tuple(p) for p in c["padding"]]

    def g(a):
        return lax.reduce_window(a, init, comp, c["window"], c["strides"], pad, c.get("base_dilation"), c.get("window_dilation"))

    y = g(jnp.array(x))
    ct = draw(y.shape)
    try:
        grad = tolist(jax.grad(lambda a: jnp.sum(g(a) * ct))(jnp.array(x)))
    except (NotImplementedError, ValueError):  # JAX has no VJP for dilated max pools or generic (mul) windows
        grad = None
    rw_out.append(
        dict(
            name=c["name"],
            x=tolist(x),
            op=c["op"],
            init=None if np.isinf(init) else init,
            initInf=int(np.sign(init)) if np.isinf(init) else 0,
            window=c["window"],
            strides=c["strides"],
            padding=c["padding"] if isinstance(c["padding"], str) else [list(p) for p in c["padding"]],
            baseDilation=c.get("base_dilation"),
            windowDilation=c.get("window_dilation"),
            out=tolist(y),
            outShape=list(y.shape),
            cotangent=tolist(ct),
            grad=grad,
        )
    )

# Ties: where does the gradient of a max pool go when a window holds equal maxima?
tie_x = np.array([[1.0, 1.0, 0.0, 2.0], [1.0, 0.5, 2.0, 2.0]])
tie_grad = jax.grad(lambda a: jnp.sum(lax.reduce_window(a, -jnp.inf, lax.max, (2, 2), (2, 2), "VALID")))(jnp.array(tie_x))

convolve = []
for la, lv in [(7, 3), (6, 4), (3, 5), (1, 1), (5, 5)]:
    a = draw((la,))
    v = draw((lv,))
    entry = dict(a=tolist(a), v=tolist(v))
    for mode in ["full", "same", "valid"]:
        entry[f"convolve_{mode}"] = tolist(jnp.convolve(jnp.array(a), jnp.array(v), mode=mode))
        entry[f"correlate_{mode}"] = tolist(jnp.correlate(jnp.array(a), jnp.array(v), mode=mode))
    convolve.append(entry)

print(
    json.dumps(
        dict(
            jax_version=jax.__version__,
            conv=conv_out,
            reduceWindow=rw_out,
            maxPoolTie=dict(x=tolist(tie_x), grad=tolist(tie_grad)),
            convolve=convolve,
        )
    )
)
