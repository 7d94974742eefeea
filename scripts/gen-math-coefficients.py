#!/usr/bin/env python3
"""
Generates backends/wasm/math/coefficients.ts: the polynomial coefficients and split constants of the
WebAssembly vector math functions (backends/wasm/math/).

    python3 scripts/gen-math-coefficients.py > backends/wasm/math/coefficients.ts
    npx biome format --write backends/wasm/math/coefficients.ts
    python3 scripts/gen-math-coefficients.py --trig-hard-cases   # test inputs, see math.test.ts

Every polynomial is a weighted minimax fit found by the Remez exchange algorithm in 50-digit
arithmetic (mpmath). Each fit minimizes max |W(t)·(P(t) − F(t))| over an interval, where F and W
express the error that matters: the relative error of the function for exp, expm1, sin, …, the
absolute error of erf (which is near 1 where erfc is fitted). Coefficients of the float32 kernels
are rounded to float32 one at a time, lowest first, the higher ones re-fitted after each rounding;
the printed error is re-measured with the rounded coefficients (the rounding error of the
evaluation itself is measured by the tests, not here).

Needs Python 3 with mpmath (pip install mpmath) and numpy. Runs in about a minute.
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 50


def polyval(c, x):
    r = mp.mpf(0)
    for a in reversed(c):
        r = r * x + a
    return r


def remez(F, W, a, b, deg, iters=40, grid=3000):
    """Coefficients c[0..deg] minimizing max |W(t)(Σ c_j t^j − F(t))| on [a, b], and that maximum."""
    a = mp.mpf(a)
    b = mp.mpf(b)
    n = deg + 2
    # Start from Chebyshev-like nodes, nudged so that no node sits on a zero of the weight.
    xs = [
        (a + b) / 2 - (b - a) / 2 * mp.cos(mp.pi * (i + mp.mpf("0.513")) / (n + mp.mpf("0.03")))
        for i in range(n)
    ]
    g = [(a + b) / 2 - (b - a) / 2 * mp.cos(mp.pi * i / (grid - 1)) for i in range(grid)]
    Fg = [F(x) for x in g]
    Wg = [W(x) for x in g]
    best = None
    for _ in range(iters):
        A = mp.matrix(n, n)
        rhs = mp.matrix(n, 1)
        for i, x in enumerate(xs):
            p = mp.mpf(1)
            for j in range(deg + 1):
                A[i, j] = p
                p *= x
            A[i, deg + 1] = (-1) ** i / W(x)
            rhs[i] = F(x)
        sol = mp.lu_solve(A, rhs)
        c = [sol[j] for j in range(deg + 1)]
        level = abs(sol[deg + 1])
        e = [Wg[i] * (polyval(c, g[i]) - Fg[i]) for i in range(grid)]
        # The extremum of each run of equal sign; keep n alternating ones, dropping the smaller end.
        runs = []
        for i, v in enumerate(e):
            s = 1 if v >= 0 else -1
            if runs and runs[-1][0] == s:
                if abs(v) > abs(e[runs[-1][1]]):
                    runs[-1][1] = i
            else:
                runs.append([s, i])
        while len(runs) > n:
            if abs(e[runs[0][1]]) < abs(e[runs[-1][1]]):
                runs.pop(0)
            else:
                runs.pop()
        m = max(abs(v) for v in e)
        if best is None or m < best[1]:
            best = (c, m)
        if len(runs) < n or m - level < level * mp.mpf("1e-4"):
            break
        xs = [g[r[1]] for r in runs]
    return best


def measure(c, F, W, a, b, n=4000):
    a = mp.mpf(a)
    b = mp.mpf(b)
    return max(abs(W(x) * (polyval(c, x) - F(x))) for x in (a + (b - a) * mp.mpf(i) / n for i in range(n + 1)))


def nz(x):
    """Keeps removable singularities at 0 away from the evaluation (the limit is what is fitted)."""
    return x if x != 0 else mp.mpf("1e-40")


def f32(x):
    return mp.mpf(float(np.float32(float(x))))


def lit32(x):
    # The shortest decimal that rounds back to the same float32.
    return np.format_float_positional(np.float32(float(x)), unique=True, trim="-") if abs(x) >= 1e-4 else \
        np.format_float_scientific(np.float32(float(x)), unique=True, trim="-").replace("+", "")


def lit64(x):
    return repr(float(x)).replace("e+", "e")


out = []


def emit(name, doc, values, kind):
    lit = lit32 if kind == 32 else lit64
    out.append(f"/** {doc} */")
    out.append(f"export const {name} = [")
    for v in values:
        out.append(f"  {lit(v)},")
    out.append("] as const;")
    out.append("")


def emit_const(name, doc, value, kind):
    lit = lit32 if kind == 32 else lit64
    out.append(f"/** {doc} */")
    out.append(f"export const {name} = {lit(value)};")
    out.append("")


def fit(name, doc, F, W, a, b, deg, kind):
    c, m = remez(F, W, a, b, deg)
    if kind == 32:
        # Round one coefficient at a time, lowest first, and re-fit the higher ones to absorb the
        # rounding: plain rounding of all of them loses up to 30 times the fit error (erf).
        c = []
        for j in range(deg + 1):
            def Fj(t, j=j, fixed=list(c)):
                return (F(t) - polyval(fixed, t)) / nz(t) ** j

            def Wj(t, j=j):
                return W(t) * nz(t) ** j

            # The weight t^j vanishes at t = 0; start the interval just after it (nothing there
            # depends on the coefficients being fitted).
            aj = a if a != 0 or j == 0 else mp.mpf(b) * mp.mpf("1e-6")
            c.append(f32(remez(Fj, Wj, aj, b, deg - j)[0][0]))
    err = measure(c, F, W, a, b)
    emit(name, f"{doc} Fit error {mp.nstr(m, 3)}, {mp.nstr(err, 3)} with these coefficients.", c, kind)


ln2 = mp.log(2)
half_ln2 = ln2 / 2
s_max = (mp.sqrt(2) - 1) / (mp.sqrt(2) + 1)  # |s| = |f/(2+f)| for 1+f in [√½, √2]


def exp_tail(r):
    r = nz(r)
    return (mp.exp(r) - 1 - r) / r**2


def log_tail(z):
    # 2·atanh(s) = 2s + s·R(z), z = s²; fitted as R(z) = z·P(z).
    z = nz(z)
    s = mp.sqrt(z)
    return (2 * mp.atanh(s) / s - 2) / z


def odd_tail(fn):
    # fn(x) = x + x³·P(x²): P as a function of t = x².
    def F(t):
        x = mp.sqrt(nz(t))
        return (fn(x) - x) / x**3

    def W(t):
        x = mp.sqrt(nz(t))
        return x**3 / fn(x)

    return F, W


def coefficients():
    """Appends the TypeScript module to `out`."""
    out.append("/**")
    out.append(" * Coefficients and split constants of the vector math functions, printed by")
    out.append(" * scripts/gen-math-coefficients.py (weighted Remez fits in 50-digit arithmetic). Do not edit by")
    out.append(" * hand: change the script and run it again. Polynomials list c0, c1, … (the coefficient of t^i at i).")
    out.append(" */")
    out.append("")

    # ---- float32 kernels -------------------------------------------------------------------------------
    fit("EXP_F32", "e^r ≈ 1 + r + r²·P(r), |r| ≤ ln2/2, relative error.", exp_tail,
        lambda r: nz(r) ** 2 / mp.exp(r), -half_ln2, half_ln2, 4, 32)
    fit("EXPM1_F32", "e^r − 1 ≈ r + r²·P(r), |r| ≤ ln2/2, relative error.", exp_tail,
        lambda r: nz(r) ** 2 / mp.expm1(nz(r)), -half_ln2, half_ln2, 5, 32)
    fit("LOG_F32", "2·atanh(s) ≈ 2s + s·z·P(z), z = s² ≤ 0.0295, absolute error of z·P(z).", log_tail,
        lambda z: nz(z), 0, s_max**2, 2, 32)
    fit("ERF_F32", "erf(x) ≈ x·P(x²), |x| ≤ 1, relative error.",
        lambda t: mp.erf(mp.sqrt(nz(t))) / mp.sqrt(nz(t)), lambda t: mp.sqrt(nz(t)) / mp.erf(mp.sqrt(nz(t))), 0, 1, 6, 32)
    fit("ERFC_F32", "erfc(x) ≈ e^{−x²}·P(x − 2.5), 1 ≤ x ≤ 4, absolute error of erfc (that is, of erf).",
        lambda u: mp.erfc(u + mp.mpf("2.5")) * mp.exp((u + mp.mpf("2.5")) ** 2), lambda u: mp.exp(-((u + mp.mpf("2.5")) ** 2)),
        mp.mpf(-1.5), mp.mpf(1.5), 7, 32)

    ln2_hi32 = mp.floor(ln2 * 2**16) / 2**16  # 16 bits: k·LN2_HI is exact for |k| < 2^8
    emit_const("LN2_HI_F32", "ln 2 to 16 bits, so that k·LN2_HI_F32 is exact for |k| < 256.", ln2_hi32, 32)
    emit_const("LN2_LO_F32", "ln 2 − LN2_HI_F32, rounded to float32.", f32(ln2 - ln2_hi32), 32)

    # ---- float64 kernels -------------------------------------------------------------------------------
    fit("EXP_F64", "e^r ≈ 1 + r + r²·P(r), |r| ≤ ln2/2, relative error.", exp_tail,
        lambda r: nz(r) ** 2 / mp.exp(r), -half_ln2, half_ln2, 7, 64)
    fit("LOG_F64", "2·atanh(s) ≈ 2s + s·z·P(z), z = s² ≤ 0.0295, absolute error of z·P(z).", log_tail,
        lambda z: nz(z), 0, s_max**2, 4, 64)
    quarter_pi = mp.pi / 4 * mp.mpf("1.0001")
    F, W = odd_tail(mp.sin)
    fit("SIN_F64", "sin r ≈ r + r³·P(r²), |r| ≤ π/4, relative error.", F, W, 0, quarter_pi**2, 4, 64)
    fit("COS_F64", "cos r ≈ 1 − r²/2 + r⁴·P(r²), |r| ≤ π/4, relative error.",
        lambda t: (mp.cos(mp.sqrt(nz(t))) - 1 + nz(t) / 2) / nz(t) ** 2, lambda t: nz(t) ** 2 / mp.cos(mp.sqrt(nz(t))),
        0, quarter_pi**2, 4, 64)
    F, W = odd_tail(mp.atan)
    fit("ATAN_F64", "atan u ≈ u + u³·P(u²), |u| ≤ tan(π/8), relative error.", F, W, 0, (mp.tan(mp.pi / 8) * mp.mpf("1.0001")) ** 2, 7, 64)
    F, W = odd_tail(mp.sinh)
    fit("SINH_F64", "sinh x ≈ x + x³·P(x²), |x| ≤ 1, relative error.", F, W, 0, 1, 4, 64)

    ln2_hi64 = mp.floor(ln2 * 2**32) / 2**32  # 32 bits: n·LN2_HI_F64 is exact for |n| < 2^21
    emit_const("LN2_HI_F64", "ln 2 to 32 bits, so that n·LN2_HI_F64 is exact for |n| < 2^21.", ln2_hi64, 64)
    emit_const("LN2_LO_F64", "ln 2 − LN2_HI_F64, rounded to float64.", ln2 - ln2_hi64, 64)

    # π/2 in four parts for Cody–Waite reduction of |x| < 2^24 in float64: the first three have 29
    # significant bits, so n·part is exact for n < 2^24, and each difference with a small result is exact.
    half_pi = mp.pi / 2
    parts = []
    rest = half_pi
    for i in range(3):
        e = mp.floor(mp.log(abs(rest), 2))
        q = mp.nint(rest * 2 ** (28 - e)) / 2 ** (28 - e)
        parts.append(q)
        rest -= q
    parts.append(mp.mpf(float(rest)))
    emit("PIO2_F64", "π/2 = Σ parts: three of 29 significant bits and a float64 rest (Cody–Waite).", parts, 64)
    emit_const("TWO_OVER_PI_F64", "2/π rounded to float64.", 2 / mp.pi, 64)
    emit_const("PIO2_2M62_F64", "π/2 · 2^-62: one quadrant unit of the 2.62 fixed point of the Payne–Hanek reduction.",
               half_pi / mp.mpf(2) ** 62, 64)

    # 2/π in binary, from the units bit (0) to the bit of weight 2^-255, as four 64-bit words: bit p of
    # the string (p = 0 the most significant bit of the first word) has weight 2^-p.
    mp.mp.dps = 120
    bits = int(mp.floor(2 / mp.pi * mp.mpf(2) ** 255))
    words = [(bits >> (64 * (3 - i))) & ((1 << 64) - 1) for i in range(4)]
    out.append("/**")
    out.append(" * 2/π in binary, as four 64-bit words, most significant first: bit p of the string (p = 0 the top")
    out.append(" * bit of the first word, the units bit, which is 0) has weight 2^-p. For the Payne–Hanek reduction.")
    out.append(" */")
    out.append("export const TWO_OVER_PI_BITS = [")
    for w in words:
        out.append(f"  0x{w:016x}n,")
    out.append("] as const;")
    out.append("")


def trig_hard_cases(count=25):
    """The float32 x = m·2^e (2^-24 ≤ x < 2^128) nearest to a multiple of π/2, for each e the
    closest one, sorted: x·2/π mod 4 is computed for all 2^23 mantissas at once in the 2.62 fixed
    point of trig.ts (m times 128 bits of 2^e·2/π)."""
    mp.mp.dps = 200
    m = np.arange(1 << 23, 1 << 24, dtype=np.uint64)
    mask64 = (1 << 64) - 1
    best = []
    for e in range(-24, 105):
        big = int(mp.floor(2 / mp.pi * mp.mpf(2) ** (e + 126)))
        ti = np.uint64((big >> 64) & mask64)
        tf = big & mask64
        th = np.uint64(tf >> 32)
        tl = np.uint64(tf & 0xFFFFFFFF)
        with np.errstate(over="ignore"):
            s = m * ti + ((m * th + ((m * tl) >> np.uint64(32))) >> np.uint64(32))
        d = s & np.uint64((1 << 62) - 1)
        d = np.minimum(d, np.uint64(1 << 62) - d)
        i = int(d.argmin())
        best.append((int(d[i]), int(m[i]), e))
    best.sort()
    for dist, mant, e in best[:count]:
        x = mp.mpf(mant) * mp.mpf(2) ** e
        print(f"  {float(x)!r},  // |x − nπ/2| ≈ 2^{float(mp.log(dist * mp.pi / 2, 2)) - 62:.1f}")


if __name__ == "__main__":
    import sys

    if "--trig-hard-cases" in sys.argv:
        # Test inputs for test/backends/wasm/math.test.ts (HARD_TRIG), not coefficients.
        trig_hard_cases()
    else:
        coefficients()
        print("\n".join(out), end="")
