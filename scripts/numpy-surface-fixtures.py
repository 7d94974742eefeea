"""Reference values for test/numpy/surface-*.test.ts (graft's everyday np surface, issue 11).

Run: python3 scripts/numpy-surface-fixtures.py  (NumPy only; CI never runs this, the JSON is committed).

Values come from NumPy. Where jax.numpy deliberately differs from NumPy, the JAX rule is applied
on top and marked "JAX:" below (bincount clipping negatives into bin 0 and dropping values past
`length`). sinc(±inf) is NaN in both (checked against JAX 0.10.2). Derivatives are the closed forms, evaluated in float64.
Non-finite numbers are written as the strings "nan", "inf", "-inf".
"""

import json
import math
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "numpy-surface.json"


def enc(v):
    """JSON-safe nested lists: non-finite floats become strings, bools stay bools."""
    a = np.asarray(v)
    if a.dtype == bool:
        return a.tolist()

    def one(x):
        x = float(x)
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x

    def walk(x):
        return [walk(e) for e in x] if isinstance(x, list) else one(x)

    return walk(a.tolist())


def case(**kw):
    return {k: (enc(v) if isinstance(v, (np.ndarray, list, float, int, bool, np.generic)) else v) for k, v in kw.items()}


fx = {}
pi = np.pi

# ---- elementwise unary -------------------------------------------------------------------
real = np.array([-1e30, -1e10, -5.0, -1.0, -0.5, -1e-8, 0.0, 1e-8, 0.3, 1.0, 2.5, 1e10, 1e30, np.inf, -np.inf, np.nan])
ge1 = np.array([1.0, 1.0 + 1e-9, 1.5, 2.0, 10.0, 1e10, 1e30, np.inf, 0.5, -1.0, np.nan])
unit = np.array([-1.0, -0.999, -0.5, -1e-9, 0.0, 1e-9, 0.5, 0.999, 1.0, 1.5, -2.0, np.nan])
with np.errstate(all="ignore"):
    sinc_ref = np.sinc(real)
    fx["unary"] = {
        "arcsinh": case(x=real, y=np.arcsinh(real)),
        "arccosh": case(x=ge1, y=np.arccosh(ge1)),
        "arctanh": case(x=unit, y=np.arctanh(unit)),
        "cbrt": case(x=real, y=np.cbrt(real)),
        "exp2": case(x=np.array([-1100.0, -3.0, -0.5, 0.0, 0.25, 3.0, 10.0, 100.0, 1100.0, np.inf, -np.inf, np.nan]),
                     y=np.exp2(np.array([-1100.0, -3.0, -0.5, 0.0, 0.25, 3.0, 10.0, 100.0, 1100.0, np.inf, -np.inf, np.nan]))),
        "sinc": case(x=real, y=sinc_ref),
        "trunc": case(x=np.array([-2.7, -0.5, -0.0, 0.0, 0.5, 2.7, 1e20, np.inf, -np.inf, np.nan]),
                      y=np.trunc(np.array([-2.7, -0.5, -0.0, 0.0, 0.5, 2.7, 1e20, np.inf, -np.inf, np.nan]))),
        "isinf": case(x=real, y=np.isinf(real)),
    }

# float32 inputs (moderate range) for the float32 accuracy checks; values in float64 of the f32 inputs.
x32 = np.array([-20.0, -3.0, -0.7, -1e-3, 0.0, 1e-3, 0.4, 1.0, 3.5, 50.0], dtype=np.float32).astype(np.float64)
fx["unary32"] = {
    "arcsinh": case(x=x32, y=np.arcsinh(x32)),
    "cbrt": case(x=x32, y=np.cbrt(x32)),
    "exp2": case(x=x32, y=np.exp2(x32)),
    "sinc": case(x=x32, y=np.sinc(x32)),
}
# Inputs derived from x32 are rounded to float32 again, so graft sees exactly these values.
f32 = lambda a: a.astype(np.float32).astype(np.float64)  # noqa: E731
fx["unary32"]["arctanh"] = case(x=f32(x32 / 51.0), y=np.arctanh(f32(x32 / 51.0)))
fx["unary32"]["arccosh"] = case(x=f32(np.abs(x32) + 1.0), y=np.arccosh(f32(np.abs(x32) + 1.0)))

# ---- derivatives (closed forms) ----------------------------------------------------------
dx = np.array([-3.0, -0.7, -0.2, 0.3, 1.1, 2.5])
sx = np.array([-2.3, -0.6, -1e-3, 0.0, 1e-3, 0.45, 1.7])


def sinc_derivative(x):
    """d/dx sin(πx)/(πx); near 0 by its series (the closed form cancels there)."""
    y = pi * x
    if abs(y) < 1:
        # d/dy Σ (-1)^k y^(2k)/(2k+1)! = Σ_{k>=1} (-1)^k 2k y^(2k-1)/(2k+1)!
        return pi * sum((-1) ** k * 2 * k * y ** (2 * k - 1) / math.factorial(2 * k + 1) for k in range(1, 30))
    return (math.cos(y) * y - math.sin(y)) / (pi * x**2)


sinc_d = np.array([sinc_derivative(v) for v in sx])
fx["derivatives"] = {
    "arcsinh": case(x=dx, dy=1 / np.sqrt(1 + dx**2)),
    "arccosh": case(x=np.abs(dx) + 1.05, dy=1 / np.sqrt((np.abs(dx) + 1.05) ** 2 - 1)),
    "arctanh": case(x=dx / 3.5, dy=1 / (1 - (dx / 3.5) ** 2)),
    "cbrt": case(x=dx, dy=1 / (3 * np.cbrt(dx) ** 2)),
    "exp2": case(x=dx, dy=np.exp2(dx) * np.log(2)),
    "sinc": case(x=sx, dy=sinc_d),
    "sinc_second_at_0": -(pi**2) / 3,
}

# ---- elementwise binary ------------------------------------------------------------------
hx = np.array([3.0, 0.0, -5.0, 1e200, 1e-200, 0.0, np.inf, np.nan, -np.inf, 2.0])
hy = np.array([4.0, 0.0, 12.0, 1e200, 1e-200, -7.0, np.nan, 1.0, 3.0, -np.inf])
lx = np.array([1000.0, 0.0, -1000.0, 1.0, np.inf, -np.inf, np.inf, np.nan, 3.0, -50.0])
ly = np.array([1000.0, 0.0, 2.0, -1.0, np.inf, -np.inf, 1.0, 1.0, -np.inf, 20.0])
with np.errstate(all="ignore"):
    fx["binary"] = {
        "hypot": case(x=hx, y=hy, out=np.hypot(hx, hy)),
        "logaddexp": case(x=lx, y=ly, out=np.logaddexp(lx, ly)),
        "logaddexp2": case(x=lx, y=ly, out=np.logaddexp2(lx, ly)),
    }
gx = np.array([3.0, -0.5, 1.2, 0.0, -2.0])
gy = np.array([4.0, 2.0, -0.7, 1.5, -2.0])
fx["binaryGrads"] = {
    "hypot": case(x=gx, y=gy, dx=gx / np.hypot(gx, gy), dy=gy / np.hypot(gx, gy)),
    "logaddexp": case(x=gx, y=gy, dx=np.exp(gx - np.logaddexp(gx, gy)), dy=np.exp(gy - np.logaddexp(gx, gy))),
    "logaddexp2": case(x=gx, y=gy, dx=np.exp2(gx - np.logaddexp2(gx, gy)), dy=np.exp2(gy - np.logaddexp2(gx, gy))),
}

fa = np.array([7, -7, 7, -7, 0, 5, -5, 6, 2147483647, -2147483647], dtype=np.int32)
fb = np.array([2, 2, -2, -2, 3, 0, 0, -3, 2, 3], dtype=np.int32)
ffa = np.array([7.5, -7.5, 7.5, -7.5, 0.0, 1.0, -1.0, 0.0, 5.0, np.inf, 1.0, -0.0])
ffb = np.array([2.0, 2.0, -2.0, -2.0, 3.0, 0.0, 0.0, 0.0, np.inf, 2.0, -np.inf, 3.0])
with np.errstate(all="ignore"):
    fx["floorDivide"] = {
        "int": case(x=fa, y=fb, out=np.floor_divide(fa, fb)),
        "float": case(x=ffa, y=ffb, out=np.floor_divide(ffa, ffb)),
    }

ca = np.array([1.0, 1.0, 1e10, 1e-9, np.inf, np.inf, np.nan, np.nan, 1.0, -np.inf, 0.0, 100.0])
cb = np.array([1.0 + 1e-6, 1.1, 1.00001e10, 0.0, np.inf, -np.inf, np.nan, 1.0, np.inf, -np.inf, 1e-7, 100.001])
fx["isclose"] = {
    "default": case(a=ca, b=cb, out=np.isclose(ca, cb)),
    "equalNan": case(a=ca, b=cb, out=np.isclose(ca, cb, equal_nan=True)),
    "tolerances": case(a=ca, b=cb, rtol=1e-3, atol=1e-6, out=np.isclose(ca, cb, rtol=1e-3, atol=1e-6)),
    "allcloseTrue": np.allclose(np.array([1.0, 2.0]), np.array([1.0, 2.000001])),
    "allcloseFalse": np.allclose(np.array([1.0, 2.0]), np.array([1.0, 2.1])),
}
fx["logicalXor"] = case(x=[1, 0, 2, 0], y=[1, 1, 0, 0], out=np.logical_xor([1, 0, 2, 0], [1, 1, 0, 0]))

rx = np.array([1.2345, -1.2355, 150.0, 2.5, 0.125, -0.375, 1234.5678, np.nan])
fx["round"] = {str(d): case(x=rx, out=np.round(rx, d)) for d in (0, 1, 2, -1, -2)}

# ---- matrices and shapes -----------------------------------------------------------------
m = np.arange(1.0, 13.0).reshape(3, 4)
b = np.arange(24.0).reshape(2, 3, 4)
fx["tri"] = {f"{fn}_{k}": case(x=b, k=k, out=getattr(np, fn)(b, k)) for fn in ("tril", "triu") for k in (-1, 0, 2)}
v = np.array([1.0, 2.0, 3.0])
fx["diag"] = {
    **{f"vector_{k}": case(v=v, k=k, out=np.diag(v, k)) for k in (-2, 0, 1)},
    **{f"matrix_{k}": case(v=m, k=k, out=np.diag(m, k)) for k in (-3, -1, 0, 2, 4)},
}
t = np.arange(60.0).reshape(3, 4, 5)
fx["diagonal"] = [
    case(x=t, offset=o, axis1=a1, axis2=a2, out=np.diagonal(t, o, a1, a2), trace=np.trace(t, o, a1, a2))
    for (o, a1, a2) in [(0, 0, 1), (1, 0, 1), (-1, 0, 1), (2, 1, 2), (0, 2, 0), (-2, -1, -2), (0, -3, -1), (9, 0, 1)]
]
fx["kron"] = [
    case(a=np.array([[1.0, 2.0], [3.0, 4.0]]), b=np.array([[0.0, 5.0, 1.0], [6.0, 7.0, 2.0]]),
         out=np.kron([[1.0, 2.0], [3.0, 4.0]], [[0.0, 5.0, 1.0], [6.0, 7.0, 2.0]])),
    case(a=np.array([1.0, -2.0, 3.0]), b=np.array([[1.0, 2.0], [3.0, 4.0]]),
         out=np.kron([1.0, -2.0, 3.0], [[1.0, 2.0], [3.0, 4.0]])),
    case(a=np.arange(8.0).reshape(2, 2, 2), b=np.array([1.0, 10.0]),
         out=np.kron(np.arange(8.0).reshape(2, 2, 2), [1.0, 10.0])),
]
ia = np.arange(6.0).reshape(2, 3)
ib = np.arange(12.0).reshape(4, 3) - 5
fx["inner"] = [
    case(a=ia, b=ib, out=np.inner(ia, ib)),
    case(a=np.array([1.0, 2.0, 3.0]), b=np.array([0.5, -1.0, 2.0]), out=np.inner([1.0, 2.0, 3.0], [0.5, -1.0, 2.0])),
]
u3 = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 4.0]])
w3 = np.array([[4.0, 5.0, 6.0], [2.0, -3.0, 1.0]])
u2 = np.array([[1.0, 2.0], [3.0, -1.0]])
w2 = np.array([[4.0, 5.0], [0.5, 2.0]])


def cross_manual(a, b):
    """NumPy 2 deprecates 2-vectors; their cross product is the z component (JAX keeps it)."""
    return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]


pad = lambda a: np.concatenate([a, np.zeros(a.shape[:-1] + (1,))], -1)  # noqa: E731
fx["cross"] = [
    case(a=u3, b=w3, out=np.cross(u3, w3)),
    case(a=u3.T, b=w3.T, axis=0, out=np.cross(u3.T, w3.T, axis=0)),
    case(a=u3, b=w3.T, axisb=0, axisc=0, out=np.cross(u3, w3.T, axisb=0, axisc=0)),
    case(a=u2, b=w2, out=cross_manual(u2, w2)),
    case(a=u2, b=w3, out=np.cross(pad(u2), w3)),
    case(a=np.array([1.0, 0.0, 0.0]), b=u3, out=np.cross([1.0, 0.0, 0.0], u3)),
]
r = np.arange(12.0).reshape(3, 4)
fx["roll"] = [
    case(x=r, shift=5, axis=None, out=np.roll(r, 5)),
    case(x=r, shift=-1, axis=1, out=np.roll(r, -1, 1)),
    case(x=r, shift=[1, -2], axis=[0, 1], out=np.roll(r, [1, -2], [0, 1])),
    case(x=r, shift=[1, 2], axis=[1, 1], out=np.roll(r, [1, 2], [1, 1])),
    case(x=r, shift=2, axis=[0, 1], out=np.roll(r, 2, [0, 1])),
    case(x=r, shift=7, axis=-2, out=np.roll(r, 7, -2)),
]
dd = np.array([[1.0, 4.0, 9.0, 16.0, 25.0], [2.0, 0.0, -3.0, 8.0, 1.0]])
fx["diff"] = [
    case(x=dd, n=1, axis=-1, out=np.diff(dd)),
    case(x=dd, n=2, axis=-1, out=np.diff(dd, 2)),
    case(x=dd, n=1, axis=0, out=np.diff(dd, 1, 0)),
    case(x=dd, n=3, axis=1, prepend=0.5, out=np.diff(dd, 3, 1, prepend=0.5)),
    case(x=dd, n=1, axis=1, append=np.array([[7.0], [9.0]]), out=np.diff(dd, 1, 1, append=[[7.0], [9.0]])),
    case(x=dd, n=6, axis=1, out=np.diff(dd, 6, 1)),
]
fx["diffBool"] = case(x=[True, True, False, True], out=np.diff(np.array([True, True, False, True])))
gx3, gy3, gz3 = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0]), np.array([6.0, 7.0, 8.0, 9.0])
fx["meshgrid"] = {
    "xy": [enc(g) for g in np.meshgrid(gx3, gy3, gz3)],
    "ij": [enc(g) for g in np.meshgrid(gx3, gy3, gz3, indexing="ij")],
    "xySparseShapes": [list(g.shape) for g in np.meshgrid(gx3, gy3, gz3, sparse=True)],
    "inputs": [enc(gx3), enc(gy3), enc(gz3)],
}

# ---- NaN reductions ----------------------------------------------------------------------
nx = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan], [-2.0, 5.0, np.inf]])
with np.errstate(all="ignore"):
    import warnings

    warnings.simplefilter("ignore")
    fx["nan"] = {
        "x": enc(nx),
        **{f"{fn}_{ax}": enc(getattr(np, fn)(nx, axis=None if ax == "all" else int(ax)))
           for fn in ("nansum", "nanmean", "nanmax", "nanmin") for ax in ("all", "0", "1")},
    }
fx["nanToNum"] = {
    "x": enc(np.array([np.nan, np.inf, -np.inf, 1.5, -2.0])),
    "f64": enc(np.nan_to_num(np.array([np.nan, np.inf, -np.inf, 1.5, -2.0]))),
    "f32": enc(np.nan_to_num(np.array([np.nan, np.inf, -np.inf, 1.5, -2.0], dtype=np.float32)).astype(np.float64)),
    "custom": enc(np.nan_to_num(np.array([np.nan, np.inf, -np.inf, 1.5, -2.0]), nan=-1.0, posinf=9.0, neginf=-9.0)),
}

# ---- counting ----------------------------------------------------------------------------
bx = np.array([0, 1, 1, 3, 2, 1, 7])
bw = np.array([0.5, 1.0, 2.0, -1.0, 0.25, 3.0, 4.0])
neg = np.array([-2, 0, 1, 5, 1])


def bincount_jax(x, weights=None, minlength=0, length=None):
    """JAX: negatives clipped into bin 0, values >= length dropped."""
    c = np.clip(x, 0, None)
    if length is None:
        length = max(minlength, int(c.max()) + 1 if c.size else 0)
    full = np.bincount(c, weights=weights, minlength=length)
    return full[:length]


fx["bincount"] = [
    case(x=bx, out=bincount_jax(bx)),
    case(x=bx, weights=bw, out=bincount_jax(bx, bw)),
    case(x=bx, minlength=10, out=bincount_jax(bx, minlength=10)),
    case(x=bx, length=4, out=bincount_jax(bx, length=4)),
    case(x=neg, out=bincount_jax(neg)),
]
hd = np.array([0.0, 1.0, 1.0, 2.0, 5.0, 2.5, 4.999, -1.0, 3.0])
hw = np.array([1.0, 2.0, 0.5, 1.0, 1.0, 3.0, 1.0, 10.0, 0.25])
fx["histogram"] = [
    case(x=hd, bins=5, counts=np.histogram(hd, 5)[0], edges=np.histogram(hd, 5)[1]),
    case(x=hd, bins=4, range=[0.0, 4.0], counts=np.histogram(hd, 4, (0.0, 4.0))[0], edges=np.histogram(hd, 4, (0.0, 4.0))[1]),
    case(x=hd, bins=3, weights=hw, counts=np.histogram(hd, 3, weights=hw)[0], edges=np.histogram(hd, 3, weights=hw)[1]),
    case(x=hd, bins=5, density=True, counts=np.histogram(hd, 5, density=True)[0], edges=np.histogram(hd, 5)[1]),
    case(x=hd, edgesIn=[-1.0, 0.5, 2.0, 2.5, 6.0], counts=np.histogram(hd, [-1.0, 0.5, 2.0, 2.5, 6.0])[0],
         edges=np.array([-1.0, 0.5, 2.0, 2.5, 6.0])),
    case(x=np.array([2.0, 2.0, 2.0]), bins=2, counts=np.histogram([2.0, 2.0, 2.0], 2)[0], edges=np.histogram([2.0, 2.0, 2.0], 2)[1]),
]

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps(fx, indent=1) + "\n")
print(f"wrote {OUT}")
