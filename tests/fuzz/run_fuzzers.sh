#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in build-fuzz/ and runs each parser's
# fuzzer for SECONDS seconds from its seed corpus in tests/fuzz/corpus/<parser>/. Exits non-zero
# if any fuzzer finds a crash, a sanitizer error, a timeout or an out-of-memory input; the
# offending input is left in build-fuzz/fuzz-findings/<parser>/.
# Usage: tests/fuzz/run_fuzzers.sh [SECONDS]   (default 30)
set -euo pipefail
seconds=${1:-30}
cd "$(dirname "$0")/../.."
root=$PWD
jobs=$(nproc)

CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCSTUDIO_FUZZ=ON -DCSTUDIO_BUILD_GUI=OFF -DCSTUDIO_CUDA=OFF >/dev/null
parsers=(safetensors gguf npy npz)
cmake --build build-fuzz -j "$jobs" --target "${parsers[@]/#/fuzz_}"

# Inputs are written to a scratch file each run (the readers map files): keep it in RAM.
scratch=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/cstudio-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export TMPDIR=$scratch

status=0
summary=()
for parser in "${parsers[@]}"; do
  work=build-fuzz/fuzz-corpus/$parser
  findings=build-fuzz/fuzz-findings/$parser
  mkdir -p "$work" "$findings"
  log=build-fuzz/fuzz-$parser.log
  echo "== fuzz_$parser for ${seconds}s"
  if (cd "$findings" && ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
        "$root/build-fuzz/tests/fuzz/fuzz_$parser" -max_total_time="$seconds" -max_len=65536 \
        -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 \
        "$root/$work" "$root/tests/fuzz/corpus/$parser") >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (see $log and $findings)"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  corpus=$(ls "$work" | wc -l)
  summary+=("fuzz_$parser: $runs executions in ${seconds}s, corpus $corpus inputs, $result")
done
printf '%s\n' "${summary[@]}"
exit $status
