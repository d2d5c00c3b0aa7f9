#!/usr/bin/env python3
"""Writes a sharded BF16 safetensors model larger than the GPU's memory, for the streaming run
of gpu/run_larger_than_gpu.sh. The shards go where there is room (several folders, e.g. a RAM
disk and the local disk) and are linked into one model folder with its index, so the model can
exceed any one file system. Each tensor: Gaussian weights (its own seed and sigma) with 0.4 %
outliers x6, rounded to BF16 (nearest even), written by one process per shard.

Usage: make_large_model.py MODEL_DIR --gib N --tensor-gib G --shard-tensors K PLACE:GIB [PLACE:GIB ...]
"""
import argparse, json, os, struct, sys
from multiprocessing import Pool

import numpy as np


def bf16_bits(values):
    bits = values.view(np.uint32)
    return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)


def write_shard(job):
    path, names, rows, cols = job
    header, offset = {}, 0
    size = rows * cols * 2
    for name in names:
        header[name] = {"dtype": "BF16", "shape": [rows, cols], "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)) + text)
        for name in names:
            index = int(name.split(".")[2])
            rng = np.random.default_rng(index)
            sigma = np.float32(0.02 * (1 + index / 64))
            for part in np.array_split(np.arange(rows), 8):  # 1/8 of a tensor at a time
                w = rng.standard_normal((len(part), cols), dtype=np.float32) * sigma
                outliers = rng.random(w.shape, dtype=np.float32) < 0.004
                w[outliers] *= 6
                out.write(bf16_bits(w).tobytes())
    return path, os.path.getsize(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--gib", type=float, required=True)
    parser.add_argument("--tensor-gib", type=float, default=1.0)
    parser.add_argument("--shard-tensors", type=int, default=8)
    parser.add_argument("places", nargs="+", help="FOLDER:GIB, room to use in each folder")
    args = parser.parse_args()
    cols = 16384
    rows = int(args.tensor_gib * 2**30 / 2 / cols)
    tensor_bytes = rows * cols * 2
    tensors = int(np.ceil(args.gib * 2**30 / tensor_bytes))
    shards = int(np.ceil(tensors / args.shard_tensors))
    shard_bytes = args.shard_tensors * tensor_bytes
    rooms = [(folder, float(gib) * 2**30) for folder, gib in (p.rsplit(":", 1) for p in args.places)]
    os.makedirs(args.model, exist_ok=True)
    jobs, weight_map, t = [], {}, 0
    for s in range(shards):
        folder = next((f for f, (ff, room) in enumerate(rooms) if room >= shard_bytes), None)
        if folder is None:
            sys.exit(f"no room for shard {s + 1} of {shards} ({shard_bytes / 2**30:.1f} GiB) in {args.places}")
        rooms[folder] = (rooms[folder][0], rooms[folder][1] - shard_bytes)
        name = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
        names = [f"model.layers.{k}.mlp.up_proj.weight" for k in range(t, min(t + args.shard_tensors, tensors))]
        t += len(names)
        for n in names:
            weight_map[n] = name
        target = os.path.join(rooms[folder][0], name)
        jobs.append((target, names, rows, cols))
        link = os.path.join(args.model, name)
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(os.path.abspath(target), link)
    with open(os.path.join(args.model, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": tensors * tensor_bytes}, "weight_map": weight_map}, f)
    with Pool(min(len(jobs), os.cpu_count() or 1)) as pool:
        for path, size in pool.imap_unordered(write_shard, jobs):
            print(f"wrote {path} ({size / 2**30:.2f} GiB)", flush=True)
    print(f"model: {tensors} tensors of {rows}x{cols} BF16, {tensors * tensor_bytes / 2**30:.1f} GiB in {shards} shards")


if __name__ == "__main__":
    main()
