#!/usr/bin/env bash
# N updates of the real bf16 loop (Sustained.cs) and of the PyTorch twin on the same batch shapes, side by side in one
# run: does either slow down as it runs, how many cores ours keeps busy, and its MFU (the whole run's matrix-product
# FLOP/s over the best bf16 product GFLOP/s measured here). Called by run.sh --sustained N; prints one JSON object.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
steps="$1"
source bench/train-throughput/setup.sh
if ! update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | grep -q '^Value: .*openblas'; then
  echo "train-throughput: the PyTorch twin needs OpenBLAS (apt-get install libopenblas0-pthread)" >&2
  exit 2
fi
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
# The process as ./lstranslate runs it (its allocator included).
ours="$(source build/allocator.sh && dotnet "$bin" sustained "$cache" "$steps" bf16 2>/dev/null)"
matmul="$(dotnet "$bin" matmul)"
shapes="$(mktemp)"
trap 'rm -f "$shapes"' EXIT
echo "$ours" > "$shapes"
twin="$(/usr/bin/python3 bench/train-throughput/pytorch_twin.py "$shapes" bf16)"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
jq -n --argjson ours "$ours" --argjson twin "$twin" --argjson matmul "$matmul" --arg lb "$load_before" --arg la "$load_after" \
  --arg commit "$(git rev-parse --short HEAD)" --arg cpu "$(lscpu | sed -n 's/^Model name: *//p' | head -1)" \
  --arg allocator "$(source build/allocator.sh && echo "${LD_PRELOAD:-glibc malloc}")" '
  def r3: . * 1000 | round / 1000;
  def windows($seconds; $batches; $n): [range(0; ($seconds | length) - $n + 1; $n) as $w
    | ([$batches[$w:$w + $n][][3]] | add) / ([$seconds[$w:$w + $n][]] | add) | . * 10 | round / 10];
  ($twin.step_seconds | length) as $_ |
  {
    commit: $commit, cpu: $cpu, load_average_before: $lb, load_average_after: $la, preset: "small", max_tokens: 4096, threads: 2,
    sustained: {
      updates: $ours.measured_updates, window_updates: $ours.window_updates,
      ours: {
        precision: "bf16", allocator: $allocator,
        window_tokens_per_s: $ours.window_tokens_per_s, last_over_first: $ours.last_over_first,
        tokens_per_s: $ours.tokens_per_s, cpu_cores_used: $ours.cpu_cores_used,
        mfu: ($ours.matmul_flops_per_s / ([$matmul.sizes[].bf16_gflops] | max * 1e9) | r3),
        rss_mb: $ours.rss_mb, phases: $ours.phases
      },
      pytorch: {
        precision: "bf16 autocast", torch: $twin.torch,
        window_tokens_per_s: windows($twin.step_seconds; $ours.batches; $ours.window_updates),
        tokens_per_s: $twin.tokens_per_s
      }
    },
    matmul: $matmul
  }
  | .sustained.pytorch.last_over_first = (.sustained.pytorch.window_tokens_per_s | .[-1] / .[0] | r3)
  | .sustained.ours_over_pytorch = (.sustained.ours.tokens_per_s / .sustained.pytorch.tokens_per_s | r3)'
