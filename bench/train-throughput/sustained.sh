#!/usr/bin/env bash
# N updates of the real bf16 loop (Sustained.cs) and of the PyTorch twin on the same batch shapes, side by side in one
# run: does either slow down as it runs, how many cores ours keeps busy, and its MFU (the whole run's matrix-product
# FLOP/s over the best bf16 product GFLOP/s measured here). Called by run.sh --sustained N [--side-by-side]; prints one
# JSON object. --side-by-side measures the arrangement `reproduce translation` trains in instead: two processes at one
# thread each at the same time (ours, then two twins), their tokens/s and cores used summed, MFU from both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
steps="$1"
arrangement="${2:-}"
[[ -z "$arrangement" || "$arrangement" == "--side-by-side" ]] || { echo "sustained.sh: unknown option $arrangement" >&2; exit 2; }
source bench/train-throughput/setup.sh
if ! update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | grep -q '^Value: .*openblas'; then
  echo "train-throughput: the PyTorch twin needs OpenBLAS (apt-get install libopenblas0-pthread)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
allocator="$(source build/allocator.sh && echo "${LD_PRELOAD:-glibc malloc}")"
# The process as ./lstranslate runs it (its allocator included).
if [[ -z "$arrangement" ]]; then
  (source build/allocator.sh && dotnet "$bin" sustained "$cache" "$steps" bf16 2>/dev/null) > "$work/ours-0.json"
  /usr/bin/python3 bench/train-throughput/pytorch_twin.py "$work/ours-0.json" bf16 > "$work/twin-0.json"
  processes=1 threads=2
else
  for p in 0 1; do (source build/allocator.sh && dotnet "$bin" sustained "$cache" "$steps" bf16 1 2>/dev/null) > "$work/ours-$p.json" & done
  wait
  for p in 0 1; do /usr/bin/python3 bench/train-throughput/pytorch_twin.py "$work/ours-0.json" bf16 1 > "$work/twin-$p.json" & done
  wait
  processes=2 threads=1
fi
matmul="$(dotnet "$bin" matmul)"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
jq -n --slurpfile ours <(cat "$work"/ours-*.json) --slurpfile twin <(cat "$work"/twin-*.json) --argjson matmul "$matmul" \
  --arg lb "$load_before" --arg la "$load_after" --arg allocator "$allocator" --argjson processes "$processes" --argjson threads "$threads" \
  --arg commit "$(git rev-parse --short HEAD)" --arg cpu "$(lscpu | sed -n 's/^Model name: *//p' | head -1)" '
  def r3: . * 1000 | round / 1000;
  def r1: . * 10 | round / 10;
  def windows($seconds; $batches; $n): [range(0; ($seconds | length) - $n + 1; $n) as $w
    | ([$batches[$w:$w + $n][][3]] | add) / ([$seconds[$w:$w + $n][]] | add) | . * 10 | round / 10];
  ($ours[0].batches) as $batches | ($ours[0].window_updates) as $n |
  ($ours | map({window_tokens_per_s, last_over_first, tokens_per_s, cpu_cores_used, rss_mb})) as $each_ours |
  ($twin | map(windows(.step_seconds; $batches; $n) as $w
    | {window_tokens_per_s: $w, last_over_first: ($w[-1] / $w[0] | r3), tokens_per_s})) as $each_twin |
  {
    commit: $commit, cpu: $cpu, load_average_before: $lb, load_average_after: $la, preset: "small", max_tokens: 4096,
    processes: $processes, threads: $threads,
    sustained: {
      updates: $ours[0].measured_updates, window_updates: $n,
      ours: ({precision: "bf16", allocator: $allocator} + (if $processes == 1 then $each_ours[0] else {each: $each_ours} end) + {
        tokens_per_s: ([$ours[].tokens_per_s] | add | r1), cpu_cores_used: ([$ours[].cpu_cores_used] | add | r3),
        mfu: (([$ours[].matmul_flops_per_s] | add) / ([$matmul.sizes[].bf16_gflops] | max * 1e9) | r3),
        phases: $ours[0].phases
      }),
      pytorch: ({precision: "bf16 autocast", torch: $twin[0].torch}
        + (if $processes == 1 then $each_twin[0] else {each: $each_twin} end)
        + {tokens_per_s: ([$twin[].tokens_per_s] | add | r1)})
    },
    matmul: $matmul
  }
  | .sustained.ours_over_pytorch = (.sustained.ours.tokens_per_s / .sustained.pytorch.tokens_per_s | r3)'
