#!/bin/bash
# A model larger than the GPU's memory, analysed on the GPU and on the CPU (gpu/NOTES.md, issue 6).
# The GPU machine's disk is smaller than its GPU memory, so the shards are split between the RAM
# disk (/dev/shm) and the local disk and linked into one model folder (gpu/make_large_model.py).
#   gpu/run_larger_than_gpu.sh devpack OUTDIR [SCHEMES]
set -u
pack=${1:-devpack}
out=${2:-/tmp/cstudio-large}
schemes=${3:-int4:g64,int8:tensor}
mkdir -p "$out"
export LD_LIBRARY_PATH="$PWD/$pack/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export QT_QPA_PLATFORM=offscreen
here=$(cd "$(dirname "$0")" && pwd)
gpu_gib=$(nvidia-smi --query-gpu=memory.total --format=csv,noheader,nounits | head -1 | awk '{print $1 / 1024}')
model_gib=${MODEL_GIB:-$(awk -v g="$gpu_gib" 'BEGIN {print int(g + 8)}')}  # 8 GiB more than the card holds
free_gib() { df -B1 --output=avail "$1" | tail -1 | awk '{print int($1 / 2^30)}'; }
disk=/var/tmp/cstudio-large-disk shm=/dev/shm/cstudio-large
mkdir -p "$disk" "$shm"
shm_room=$(( $(free_gib /dev/shm) - 12 )) disk_room=$(( $(free_gib "$disk") - 4 ))
echo "GPU memory ${gpu_gib} GiB; model ${model_gib} GiB; room: /dev/shm ${shm_room} GiB, disk ${disk_room} GiB" | tee "$out/setup.txt"
df -h / /dev/shm "$disk" | tee -a "$out/setup.txt"; free -g | tee -a "$out/setup.txt"
cleanup() { rm -rf "$disk" "$shm" /tmp/cstudio-large-model; }
trap cleanup EXIT
start=$(date +%s)
python3 "$here/make_large_model.py" /tmp/cstudio-large-model --gib "$model_gib" "$shm:$shm_room" "$disk:$disk_room" | tail -2 | tee -a "$out/setup.txt" || exit 1
echo "written in $(( $(date +%s) - start )) s" | tee -a "$out/setup.txt"
du -shL /tmp/cstudio-large-model | tee -a "$out/setup.txt"

# Runs the analysis on DEVICE into JSON, printing its wall time and the peaks of its resident
# memory, sampled every 100 ms: mapped file pages (RssFile) and its own (RssAnon).
measured() {
  local begin=$(date +%s%N) file=0 anon=0
  "$pack/cstudio" analyze /tmp/cstudio-large-model --device "$1" --schemes "$schemes" --json > "$2" &
  local pid=$!
  while kill -0 $pid 2>/dev/null; do
    read -r f a < <(awk '/^RssFile:/ {f=$2} /^RssAnon:/ {a=$2} END {print f+0, a+0}' /proc/$pid/status 2>/dev/null)
    (( ${f:-0} > file )) && file=$f
    (( ${a:-0} > anon )) && anon=$a
    sleep 0.1
  done
  wait $pid
  echo "exit $?, wall $(( ($(date +%s%N) - begin) / 1000000 )) ms, peak mapped file pages $(( file / 1024 )) MiB, peak own memory $(( anon / 1024 )) MiB"
}

echo "== GPU (device memory sampled every 100 ms)"
nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > "$out/gpu_memory.txt" &
sampler=$!
measured cuda "$out/gpu.json"
kill $sampler
sort -n "$out/gpu_memory.txt" | tail -1 | awk '{print "peak device memory in use: " $1 " MiB"}'
echo "== CPU ($(nproc) threads)"
measured cpu "$out/cpu.json"
python3 "$here/compare_analyses.py" "$out/gpu.json" "$out/cpu.json"
