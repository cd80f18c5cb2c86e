#!/usr/bin/env bash
# Training throughput of the small preset (max-tokens 4096, 2 threads) on corpora/en-de/train.tsv.gz.
# Usage: bench/train-throughput/run.sh [STEPS]   (STEPS ≥ 2; the first is a warm-up; default 6)
# Prints one JSON object: the real loop (Trainer.Run), the bare forward+backward+Adam loop on the same
# batches, their ratio, peak RSS of each process, and model FLOP utilisation against a 2-thread matmul.
# The one-step setup (BPE learning + first checkpoint) is cached in $BENCH_CACHE (default /tmp/lstranslate-bench).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
steps="${1:-6}"
cache="${BENCH_CACHE:-/tmp/lstranslate-bench}/train-setup"
# libgomp threads spin between parallel regions by default; on a shared machine a descheduled peer
# makes the spinning one burn its time slice (decoding ran 10-20x slower at 2 threads). Sleep instead.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
dotnet build bench/train-throughput -c Release -nologo -v q -clp:"ErrorsOnly;NoSummary" >&2
bin="bench/train-throughput/bin/Release/net10.0/TrainThroughput.dll"
if [[ ! -f "$cache/checkpoint.last" ]]; then
  rm -rf "$cache"
  mkdir -p "$(dirname "$cache")"
  dotnet "$bin" setup "$cache" >&2
fi
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
full="$(dotnet "$bin" full "$cache" "$steps" 2>/dev/null)"
bare="$(dotnet "$bin" bare "$cache" "$steps")"
matmul="$(dotnet "$bin" matmul)"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
jq -n --argjson full "$full" --argjson bare "$bare" --argjson matmul "$matmul" \
  --arg lb "$load_before" --arg la "$load_after" --arg commit "$(git rev-parse --short HEAD)" '
  ($matmul.sizes | map(.gflops) | max) as $peak
  | ($bare.target_tokens_per_step / $full.tokens_per_s) as $full_step_s
  | ($bare.target_tokens_per_step / $bare.tokens_per_s) as $bare_step_s
  | {
    commit: $commit, preset: "small", max_tokens: 4096, threads: 2, load_average_before: $lb, load_average_after: $la,
    full: $full, bare: $bare, matmul: $matmul,
    full_over_bare: (($full.tokens_per_s / $bare.tokens_per_s) * 1000 | round / 1000),
    full_over_bare_median_step: ([range(0; $full.step_seconds | length)] | map($bare.step_seconds[.] / $full.step_seconds[.]) | sort
      | .[length / 2 | floor] * 1000 | round / 1000),
    peak_rss_mb_full: $full.peak_rss_mb,
    flops_note: "matmul_flops: exact matrix-product count for the padded batch shapes (fwd + 2x bwd); six_n_t: 6 x parameters x target tokens",
    mfu_full_matmul_flops: (($bare.matmul_flops_per_step / $full_step_s / 1e9 / $peak) * 1000 | round / 1000),
    mfu_bare_matmul_flops: (($bare.matmul_flops_per_step / $bare_step_s / 1e9 / $peak) * 1000 | round / 1000),
    mfu_full_six_n_t: (($bare.six_n_t_flops_per_step / $full_step_s / 1e9 / $peak) * 1000 | round / 1000),
    matmul_peak_gflops: $peak,
    goals: { full_over_bare_min: 0.9, peak_rss_mb_max: 3000 }
  }'
