"""Generates test/fixtures/optax-trajectories.json: reference trajectories from real Optax 0.2.8.

Each case feeds a fixed sequence of gradients (seeded NumPy draws, stored in the fixture) to one
Optax transformation, applies the updates to the params with `optax.apply_updates`, and records
the updates of every step and the final params. float32 cases run with JAX's default settings
(x64 off, as a float32 Optax user runs them); float64 cases run in a second process with
`jax_enable_x64`. test/optim/optax-parity.test.ts replays the same gradients through graft.

Run (CI never does; the JSON is committed):
    python3 -m venv /tmp/optaxvenv && /tmp/optaxvenv/bin/pip install jax optax==0.2.8
    /tmp/optaxvenv/bin/python scripts/optax-fixtures.py
"""

import json
import math
import os
import subprocess
import sys

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "optax-trajectories.json")
STEPS = 8


def cases(optax, jnp):
    """(name, transformation factory, kind) triples; kind picks how params and grads are laid out."""
    adv = lambda rho: optax.chain(optax.contrib.normalize(), optax.sgd(rho))
    return [
        ("lamb", lambda: optax.lamb(0.05), "plain"),
        ("lamb-wd", lambda: optax.lamb(0.05, b1=0.8, b2=0.99, weight_decay=0.1), "plain"),
        ("lars", lambda: optax.lars(0.1), "plain"),
        ("lars-wd-nesterov", lambda: optax.lars(0.1, weight_decay=0.01, trust_coefficient=0.01, eps=1e-6, momentum=0.8, nesterov=True), "plain"),
        ("radam", lambda: optax.radam(0.05), "plain"),
        ("radam-b2", lambda: optax.radam(0.05, b2=0.9, threshold=4.0), "plain"),
        ("radam-nesterov", lambda: optax.radam(0.05, b2=0.9, nesterov=True), "plain"),
        ("adabelief", lambda: optax.adabelief(0.05), "plain"),
        ("adabelief-nesterov", lambda: optax.adabelief(0.05, eps=1e-8, eps_root=0.0, nesterov=True), "plain"),
        ("yogi", lambda: optax.yogi(0.05), "plain"),
        ("yogi-b", lambda: optax.yogi(0.05, b1=0.5, b2=0.9, eps=1e-2), "plain"),
        ("adafactor", lambda: optax.adafactor(), "plain"),
        ("adafactor-factored", lambda: optax.adafactor(0.05, min_dim_size_to_factor=2, clipping_threshold=0.5, momentum=0.9, weight_decay_rate=0.01), "plain"),
        ("adafactor-noscale", lambda: optax.adafactor(0.05, min_dim_size_to_factor=2, multiply_by_parameter_scale=False, clipping_threshold=None, decay_rate=0.5), "plain"),
        ("scaleByTrustRatio", lambda: optax.scale_by_trust_ratio(), "plain"),
        ("scaleByTrustRatio-opts", lambda: optax.scale_by_trust_ratio(min_norm=0.5, trust_coefficient=0.1, eps=0.01), "plain"),
        ("adaptiveGradClip", lambda: optax.adaptive_grad_clip(0.05), "plain"),
        ("adaptiveGradClip-eps", lambda: optax.adaptive_grad_clip(0.5, eps=2.0), "plain"),
        ("zeroNans", lambda: optax.zero_nans(), "nans"),
        ("ema", lambda: optax.ema(0.9), "plain"),
        ("ema-nodebias", lambda: optax.ema(0.7, debias=False), "plain"),
        ("lookahead-sgd", lambda: optax.lookahead(optax.sgd(0.1), sync_period=3, slow_step_size=0.5), "lookahead"),
        ("lookahead-adam-reset", lambda: optax.lookahead(optax.adam(0.05), sync_period=2, slow_step_size=0.3, reset_state=True), "lookahead"),
        ("sam-sgd", lambda: optax.contrib.sam(optax.sgd(0.1), adv(0.05), sync_period=2), "plain"),
        ("sam-adam-3", lambda: optax.contrib.sam(optax.adam(0.05), adv(0.05), sync_period=3, reset_state=False), "plain"),
    ]


def run(dtype_name):
    import jax

    if dtype_name == "float64":
        jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import numpy as np
    import optax

    assert optax.__version__ == "0.2.8", optax.__version__
    dt = jnp.float32 if dtype_name == "float32" else jnp.float64
    rng = np.random.default_rng(20240611)
    params0 = {"b": rng.normal(size=(3,)), "w": rng.normal(size=(3, 4))}
    grads = [{"b": rng.normal(size=(3,)), "w": rng.normal(size=(3, 4)) * 0.5} for _ in range(STEPS)]
    nan_grads = [{k: v.copy() for k, v in g.items()} for g in grads]
    nan_grads[1]["b"][0] = math.nan
    nan_grads[3]["w"][2, 1] = math.nan
    to = lambda t: jax.tree.map(lambda x: jnp.asarray(x, dtype=dt), t)
    tolist = lambda t: jax.tree.map(lambda x: np.asarray(x, dtype=np.float64).tolist(), t)
    out = []
    for name, make, kind in cases(optax, jnp):
        opt = make()
        gs = nan_grads if kind == "nans" else grads
        params = to(params0)
        if kind == "lookahead":
            params = optax.LookaheadParams.init_synced(params)
        state = opt.init(params)
        updates_seen = []
        for g in gs:
            updates, state = opt.update(to(g), state, params)
            if kind == "lookahead":
                updates_seen.append({"fast": tolist(updates.fast), "slow": tolist(updates.slow)})
            else:
                updates_seen.append(tolist(updates))
            params = optax.apply_updates(params, updates)
        final = {"fast": tolist(params.fast), "slow": tolist(params.slow)} if kind == "lookahead" else tolist(params)
        for leaf in jax.tree.leaves(params):
            assert leaf.dtype == dt, (name, leaf.dtype)
        out.append({"name": name, "dtype": dtype_name, "kind": kind, "updates": updates_seen, "final": final})
    nan_to_none = lambda t: jax.tree.map(lambda x: [None if math.isnan(v) else v for v in np.ravel(x)], t)
    return {
        "params0": tolist(params0),
        "grads": tolist(grads),
        # NaN is not JSON: the NaN entries of the zeroNans gradients are null, flattened row-major.
        "nanGrads": nan_to_none(nan_grads),
        "cases": out,
    }


if __name__ == "__main__":
    if len(sys.argv) > 1:
        json.dump(run(sys.argv[1]), sys.stdout)
        sys.exit(0)
    parts = [json.loads(subprocess.check_output([sys.executable, __file__, d])) for d in ("float32", "float64")]
    fixture = {
        "generator": "scripts/optax-fixtures.py",
        "optax": "0.2.8",
        "steps": STEPS,
        "params0": parts[0]["params0"],
        "grads": parts[0]["grads"],
        "nanGrads": parts[0]["nanGrads"],
        "cases": parts[0]["cases"] + parts[1]["cases"],
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {len(fixture['cases'])} cases to {OUT}")
