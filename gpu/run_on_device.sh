#!/bin/bash
# Runs the GPU tests and the benchmark on a machine with an NVIDIA GPU. The binaries are built
# elsewhere (same x86-64 Linux) and carried in devpack/ with the Qt libraries they need:
#   gpu/make_devpack.sh build-cuda devpack   (on the build machine)
#   gpu/run_on_device.sh devpack OUTDIR      (on the GPU machine)
set -u
pack=${1:-devpack}
out=${2:-/tmp/cstudio-gpu}
mkdir -p "$out"
export LD_LIBRARY_PATH="$PWD/$pack/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export QT_QPA_PLATFORM=offscreen
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.mem --format=csv | tee "$out/gpu.txt"
echo "== GPU tests"
"$pack/test_cuda_analysis_engine" 2>&1 | tee "$out/tests.txt" | grep -vE "^PASS|^QDEBUG" | tail -40
echo "== benchmark (ours)"
"$pack/cstudio_gpu_bench" 2>&1 | tee "$out/bench.txt"
echo "== PyTorch anchors"
PYTHONUNBUFFERED=1 timeout 300 python3 gpu/torch_baseline.py 2>&1 | grep -v Warning | tee "$out/torch.txt"
