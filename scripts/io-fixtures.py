#!/usr/bin/env python3
"""Writes the files that test/io/fixtures.test.ts loads: .npy and .npz files written by NumPy
(np.save, np.savez, np.savez_compressed) and safetensors files written two ways: by hand with
numpy + json + struct, following the format's specification, and by the `safetensors` package
when it is installed (python3 -m venv /tmp/stvenv && /tmp/stvenv/bin/pip install safetensors numpy;
then run this script with /tmp/stvenv/bin/python). expected.json holds every tensor's dtype, shape
and values, so the tests compare against what Python wrote, not against graft's own output.

Run from the repository root: python3 scripts/io-fixtures.py
"""

import json
import math
import os
import struct

import numpy as np

OUT = os.path.join("test", "fixtures", "io")


def tree_tensors():
    """The tensors of a small two-layer model with an optimizer step count and a mask."""
    rng = np.random.default_rng(11)
    return {
        "layers.0.w": rng.standard_normal((3, 4)).astype(np.float32),
        "layers.0.b": np.array([0.5, -1.25, 3.0, 0.0], dtype=np.float32),
        "layers.1.w": rng.standard_normal((4, 2)).astype(np.float64),
        "layers.1.b": np.zeros((2,), dtype=np.float64),
        "step": np.array(7, dtype=np.int32),
        "ids": np.array([[0, -1, 2147483647], [-2147483648, 5, 6]], dtype=np.int32),
        "hash": np.array([0, 1, 4294967295, 3000000000], dtype=np.uint32),
        "mask": np.array([True, False, True], dtype=np.bool_),
        "special": np.array([np.nan, np.inf, -np.inf, -0.0, 1e-300], dtype=np.float64),
        "empty": np.zeros((0, 3), dtype=np.float32),
    }


def json_value(v):
    """A JSON-safe element: floats that JSON lacks are spelt as strings."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return "nan"
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        if f == 0 and math.copysign(1, f) < 0:
            return "-0"
        return f
    return int(v)


def describe(a):
    graft = {"float32": "float32", "float64": "float64", "int32": "int32", "uint32": "uint32", "bool": "bool"}
    return {
        "dtype": graft[str(a.dtype)],
        "shape": list(a.shape),
        "values": [json_value(v) for v in a.reshape(-1).tolist()],
    }


SAFETENSORS_DTYPES = {"float32": "F32", "float64": "F64", "int32": "I32", "uint32": "U32", "bool": "BOOL"}


def handrolled_safetensors(tensors, metadata):
    """A safetensors file built from the specification: u64 header length, JSON header padded with
    spaces to a multiple of 8 bytes, then the little-endian C-order data, indexed without holes."""
    header = {"__metadata__": metadata}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        a = np.asarray(tensors[name], order="C")  # ascontiguousarray would make 0-d arrays 1-d
        data = a.astype(a.dtype.newbyteorder("<")).tobytes(order="C")
        header[name] = {
            "dtype": SAFETENSORS_DTYPES[str(a.dtype)],
            "shape": list(a.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def main():
    os.makedirs(OUT, exist_ok=True)
    tensors = tree_tensors()
    expected = {"tree": {name: describe(a) for name, a in tensors.items()}, "npy": {}}

    single = {
        "f32_2x3": np.arange(6, dtype=np.float32).reshape(2, 3) * np.float32(0.5) - np.float32(1),
        "f64_scalar": np.array(math.pi, dtype=np.float64),
        "i32_vector": np.array([-3, 0, 2147483647], dtype=np.int32),
        "u32_vector": np.array([4294967295, 1], dtype=np.uint32),
        "bool_2x2": np.array([[True, False], [False, True]]),
        "f32_empty": np.zeros((2, 0), dtype=np.float32),
        "f32_bigendian": np.array([1.5, -2.0, 1e-3], dtype=">f4"),
    }
    for name, a in single.items():
        np.save(os.path.join(OUT, f"{name}.npy"), a)
        expected["npy"][name] = describe(a.astype(a.dtype.newbyteorder("=")))
    # Files graft must refuse, each with its own error.
    np.save(os.path.join(OUT, "fortran.npy"), np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
    np.save(os.path.join(OUT, "int64.npy"), np.arange(3, dtype=np.int64))

    np.savez(os.path.join(OUT, "tree.npz"), **tensors)
    np.savez_compressed(os.path.join(OUT, "tree_compressed.npz"), **tensors)

    metadata = {"format": "np", "written_by": "scripts/io-fixtures.py"}
    with open(os.path.join(OUT, "handrolled.safetensors"), "wb") as f:
        f.write(handrolled_safetensors(tensors, metadata))
    try:
        from safetensors.numpy import save_file
    except ImportError:
        print("safetensors is not installed: reference.safetensors was left as it is")
    else:
        save_file(tensors, os.path.join(OUT, "reference.safetensors"), metadata=metadata)
    expected["metadata"] = metadata

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
