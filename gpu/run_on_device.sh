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
echo "== profile of the first analysis kernel (int4:g64) on 256 Mi elements (ncu) and SASS size"
timeout 150 ncu --kernel-name regex:analysisKernel --launch-count 1 --section SpeedOfLight --section Occupancy \
  --section WarpStateStats --section LaunchStats --section ComputeWorkloadAnalysis "$pack/cstudio_gpu_bench" 268435456 > "$out/ncu.txt" 2>&1
grep -E "Duration|Memory Throughput|Compute \(SM\)|Registers Per|Achieved Occupancy|Theoretical Occupancy|Warp Cycles Per Issued|Issued Ipc|Executed Ipc|Block Limit|Stall|stall" "$out/ncu.txt" | head -30
cuobjdump -sass "$pack/cstudio_gpu_bench" 2>/dev/null | awk '/Function :/{name=$3} /\/\*[0-9a-f]+\*\/ /{n[name]++} END{for (k in n) print n[k], "SASS instructions", k}' | sort -rn | head -4
echo "== benchmark (ours)"
"$pack/cstudio_gpu_bench" 2>&1 | tee "$out/bench.txt"
echo "== PyTorch anchors"
PYTHONUNBUFFERED=1 timeout 300 python3 gpu/torch_baseline.py 2>&1 | grep -v Warning | tee "$out/torch.txt"
echo "== end to end from a file on disk"
file=/tmp/cstudio-bench.safetensors
python3 - "$file" <<'PY'
import sys, torch
from safetensors.torch import save_file
torch.manual_seed(0)
tensors = {f"model.layers.{i}.mlp.down_proj.weight": (torch.randn(32768, 4096) * 0.02).to(torch.bfloat16) for i in range(16)}
save_file(tensors, sys.argv[1])
PY
ls -l "$file"
drop() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || echo "(could not drop the page cache)"; }
drop; dd if="$file" of=/dev/null bs=64M 2>&1 | tail -1
drop; /usr/bin/time -f "wall %e s" "$pack/cstudio" analyze "$file" --device cuda --schemes int4:g64 2>&1 | grep -E "tensors|int4|wall"
echo "(page cache warm)"
/usr/bin/time -f "wall %e s" "$pack/cstudio" analyze "$file" --device cuda --schemes int4:g64 2>&1 | grep -E "tensors|int4|wall"
/usr/bin/time -f "wall %e s" "$pack/cstudio" analyze "$file" --device cuda --schemes int8:tensor,int4:tensor,int3:tensor,int2:tensor,int8:g64,int4:g64,int3:g64,int2:g64 2>&1 | grep -E "tensors|wall"
echo "(device slots limited to 2 x 64 MiB: the 4 GiB file streams through 1/32 of its size)"
CSTUDIO_CUDA_SLOT_MIB=64 /usr/bin/time -f "wall %e s" "$pack/cstudio" analyze "$file" --device cuda --schemes int4:g64,int8:tensor 2>&1 | grep -E "tensors|int4|int8|wall"
echo "(CPU engine, 16 cores, same file)"
/usr/bin/time -f "wall %e s" "$pack/cstudio" analyze "$file" --device cpu --schemes int4:g64 2>&1 | grep -E "tensors|int4|wall"
