#!/usr/bin/env python3
"""
Generates test/fixtures/nn-extra.json: reference values of jax.nn's relu6, hard_sigmoid, soft_sign,
celu, mish, glu, one_hot, standardize and dot_product_attention for test/nn/nn-extra-jax.test.ts.

    python3 -m venv /tmp/jaxvenv && /tmp/jaxvenv/bin/pip install jax
    JAX_ENABLE_X64=1 /tmp/jaxvenv/bin/python scripts/nn-extra-fixtures.py > test/fixtures/nn-extra.json

Values are computed in float64 (x64 enabled) — for dot_product_attention by a float64 NumPy
transcription of JAX's formula, checked against jax.nn.dot_product_attention itself (see attention_f64); inputs are fixed lists or seeded NumPy draws written
into the fixture, so the tests feed graft exactly the same inputs.
"""
import json

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)

rng = np.random.default_rng(11)
x = [-8.0, -3.0, -1.5, -0.5, -1e-3, 0.25, 1.0, 2.5, 5.9, 6.5, 30.0]
xa = jnp.array(x, dtype=jnp.float64)


def tolist(a):
    return np.asarray(a, dtype=np.float64).tolist()


out = {
    "jax_version": jax.__version__,
    "x": x,
    "relu6": tolist(jax.nn.relu6(xa)),
    "hardSigmoid": tolist(jax.nn.hard_sigmoid(xa)),
    "softSign": tolist(jax.nn.soft_sign(xa)),
    "celu": tolist(jax.nn.celu(xa)),
    "celu_alpha2": tolist(jax.nn.celu(xa, alpha=2.0)),
    "mish": tolist(jax.nn.mish(xa)),
}

g = rng.normal(size=(2, 3, 4))
out["glu_x"] = g.tolist()
out["glu_last"] = tolist(jax.nn.glu(jnp.array(g)))
out["glu_axis0"] = tolist(jax.nn.glu(jnp.array(g), axis=0))

labels = [[0, 2, -1], [3, 1, 5]]
out["oneHot_labels"] = labels
out["oneHot_last"] = tolist(jax.nn.one_hot(jnp.array(labels), 4))
out["oneHot_axis0"] = tolist(jax.nn.one_hot(jnp.array(labels), 4, axis=0))
out["oneHot_axis1"] = tolist(jax.nn.one_hot(jnp.array(labels), 4, axis=1))

s = rng.normal(loc=2.0, scale=3.0, size=(3, 5))
out["standardize_x"] = s.tolist()
out["standardize_last"] = tolist(jax.nn.standardize(jnp.array(s)))
out["standardize_axis0"] = tolist(jax.nn.standardize(jnp.array(s), axis=0))
out["standardize_all_eps"] = tolist(jax.nn.standardize(jnp.array(s), axis=(0, 1), epsilon=0.5))
out["standardize_given"] = tolist(jax.nn.standardize(jnp.array(s), mean=1.0, variance=4.0))
out["standardize_stable"] = tolist(jax.nn.standardize(jnp.array(s), axis=0, algorithm="stable"))



def attention_f64(q, k, v, bias=None, mask=None, scale=None, is_causal=False):
    """jax.nn.dot_product_attention's formula in float64 NumPy: JAX itself runs the softmax in
    float32 even for float64 inputs, so its values are only float32-accurate; graft keeps float64.
    Grouped heads as JAX lays them out: query head n = (kv head n // G, member n % G)."""
    b, t, n, h = q.shape
    kh = k.shape[2]
    g = n // kh
    scale = 1 / np.sqrt(h) if scale is None else scale
    qg = q.reshape(b, t, kh, g, h)
    logits = np.einsum("BTKGH,BSKH->BKGTS", qg, k).reshape(b, n, t, k.shape[1]) * scale
    if bias is not None:
        logits = logits + bias
    keep = np.ones(logits.shape, dtype=bool)
    if mask is not None:
        keep &= mask
    if is_causal:
        keep &= np.tril(np.ones((t, k.shape[1]), dtype=bool))
    logits = np.where(keep, logits, -0.7 * np.finfo(np.float64).max)
    logits = logits - logits.max(-1, keepdims=True)
    p = np.exp(logits)
    p = p / p.sum(-1, keepdims=True)
    pg = p.reshape(b, kh, g, t, k.shape[1])
    return np.einsum("BKGTS,BSKH->BTKGH", pg, v).reshape(b, t, n, h)


def checked(ref, got_jax):
    """The float64 reference, after checking it against JAX at JAX's float32 softmax accuracy."""
    assert np.allclose(ref, np.asarray(got_jax), rtol=1e-5, atol=1e-6), np.abs(ref - np.asarray(got_jax)).max()
    return tolist(ref)


B, T, S, N, K, H = 2, 4, 5, 4, 2, 3
q = rng.normal(size=(B, T, N, H))
k = rng.normal(size=(B, S, N, H))
v = rng.normal(size=(B, S, N, H))
kg = rng.normal(size=(B, S, K, H))
vg = rng.normal(size=(B, S, K, H))
bias = rng.normal(size=(1, N, T, S))
mask = rng.random(size=(B, 1, T, S)) > 0.3
mask[0, 0, 1, :] = False  # a fully masked row: JAX gives it a uniform softmax
qs = rng.normal(size=(T, T, N, H))  # square T == S for the causal case
ks = rng.normal(size=(T, T, N, H))
vs = rng.normal(size=(T, T, N, H))
out["attn"] = {
    "q": q.tolist(), "k": k.tolist(), "v": v.tolist(), "kg": kg.tolist(), "vg": vg.tolist(),
    "bias": bias.tolist(), "mask": mask.tolist(),
    "plain": checked(attention_f64(q, k, v), jax.nn.dot_product_attention(q, k, v)),
    "scaled": checked(attention_f64(q, k, v, scale=0.7), jax.nn.dot_product_attention(q, k, v, scale=0.7)),
    "bias_mask": checked(
        attention_f64(q, k, v, bias=bias, mask=mask), jax.nn.dot_product_attention(q, k, v, bias=bias, mask=mask)
    ),
    "gqa": checked(attention_f64(q, kg, vg), jax.nn.dot_product_attention(q, kg, vg)),
    "unbatched": checked(attention_f64(q[:1], k[:1], v[:1])[0], jax.nn.dot_product_attention(q[0], k[0], v[0])),
    "qs": qs.tolist(), "ks": ks.tolist(), "vs": vs.tolist(),
    "causal": checked(
        attention_f64(qs, ks, vs, is_causal=True), jax.nn.dot_product_attention(qs, ks, vs, is_causal=True)
    ),
}

print(json.dumps(out))
