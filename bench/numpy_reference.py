"""NumPy baselines for bench_quant_engine: the seed-002 sweep written the fair vectorized way
(reshape to groups, absmax, round, clip, error), the same for int4:g64 alone, the float32 read
bandwidth (w.sum()), and seed 002's own loop code on a slice. Prints one JSON object.
Usage: numpy_reference.py WEIGHTS.f32 [SLICE_ELEMENTS]"""
import json
import sys
import time

import numpy as np


def rmse_vectorized(w, bits, group):
    qmax = 2 ** (bits - 1) - 1
    g = w.reshape(-1, group) if group else w.reshape(1, -1)
    s = np.abs(g).max(axis=1, keepdims=True) / np.float32(qmax)
    q = np.clip(np.round(g / s), -qmax - 1, qmax) * s
    return float(np.sqrt(np.mean((q - g) ** 2, dtype=np.float64)))


def rmse_seed_loop(w, bits, group):  # seed 002, verbatim
    qmax = 2**(bits - 1) - 1
    out = np.empty_like(w)
    for i in range(0, len(w), group):
        blk = w[i:i+group]
        s = np.abs(blk).max() / qmax
        out[i:i+group] = np.clip(np.round(blk / s), -qmax - 1, qmax) * s
    return float(np.sqrt(np.mean((out - w)**2)))


def timed(fn):
    """(wall seconds, CPU seconds of this process, value): CPU time stays meaningful on a busy machine."""
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - start, time.process_time() - cpu, value


def main():
    w = np.fromfile(sys.argv[1], dtype=np.float32)
    slice_elements = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 20
    n = w.size
    result = {"weights": n}
    result["read_seconds"], result["read_cpu_seconds"], _ = timed(lambda: w.sum())
    sweep = {}

    def run_sweep():
        for bits in (8, 4, 3, 2):
            for group in (None, 64):
                sweep[f"int{bits}:{'tensor' if group is None else 'g64'}"] = rmse_vectorized(w, bits, group)
    result["sweep_seconds"], result["sweep_cpu_seconds"], _ = timed(run_sweep)
    result["sweep_rmse"] = sweep
    result["int4_g64_seconds"], result["int4_g64_cpu_seconds"], _ = timed(lambda: rmse_vectorized(w, 4, 64))
    part = w[:slice_elements]

    def run_loop():
        for bits in (8, 4, 3, 2):
            for group in (len(part), 64):
                rmse_seed_loop(part, bits, group)
    result["seed_loop_seconds"], result["seed_loop_cpu_seconds"], _ = timed(run_loop)
    result["seed_loop_weights"] = int(part.size)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
