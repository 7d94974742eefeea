"""Checks the float32-only a·b + c of src/random/special.ts (`fma`) against the float64 evaluation.

Dekker's two-product (Veltkamp's split by 4097) and Knuth's two-sum, in float32, then s + (t + e):
compared bit for bit with round_f32(a·b + c) computed in float64 (exact product, one float64
rounding of the sum) on random triples at several scales. Offline check; CI does not run it.
Usage: python3 scripts/check-fma32.py
"""
import numpy as np

f = np.float32


def split(x):
    t = (x * f(4097)).astype(f)
    hi = (t - (t - x)).astype(f)
    return hi, (x - hi).astype(f)


def fma32(a, b, c):
    p = (a * b).astype(f)
    ah, al = split(a)
    bh, bl = split(b)
    e = ((((ah * bh).astype(f) - p).astype(f) + (ah * bl).astype(f)).astype(f) + (al * bh).astype(f)).astype(f)
    e = (e + (al * bl).astype(f)).astype(f)
    s = (p + c).astype(f)
    bb = (s - p).astype(f)
    t = ((p - (s - bb)).astype(f) + (c - bb).astype(f)).astype(f)
    return (s + (t + e).astype(f)).astype(f)


rng = np.random.default_rng(0)
n = 2_000_000
total = 0
for scale in [1e-3, 1, 10, 80]:
    a = (rng.standard_normal(n) * scale).astype(f)
    b = rng.standard_normal(n).astype(f)
    c = (rng.standard_normal(n) * scale).astype(f)
    want = (a.astype(np.float64) * b.astype(np.float64) + c.astype(np.float64)).astype(f)
    bad = int(np.sum(fma32(a, b, c).view(np.uint32) != want.view(np.uint32)))
    total += bad
    print(f"scale {scale}: {bad} of {n} differ")
print(f"total: {total} of {4 * n}")
