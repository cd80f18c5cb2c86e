#!/usr/bin/env bash
# Data-parallel ranks against threads on this machine: 2 MPI ranks × 1 thread (`mpiexec -np 2`, --update-freq 1) against
# 1 process × 2 threads with --update-freq 2, the same global batch (2 × 4,096 padded tokens) and the same updates, small
# preset, in fp32 and bf16; the real loop (Trainer.Run) resumed from the cached one-step setup.
# Usage: bench/train-throughput/ranks.sh [STEPS]   (STEPS ≥ 2; the first is a warm-up; default 6). Needs MPICH (apt-get install mpich).
# Prints one JSON object; run.sh includes it as "ranks".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
steps="${1:-6}"
mpiexec="$(command -v mpiexec.mpich || command -v mpiexec.hydra || true)"
if [[ -z "$mpiexec" ]]; then
  echo "ranks.sh: needs MPICH's launcher (apt-get install mpich)" >&2
  exit 2
fi
source bench/train-throughput/setup.sh
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
threads_fp32="$(dotnet "$bin" full "$cache" "$steps" fp32 2 2 2>/dev/null)"
ranks_fp32="$("$mpiexec" -np 2 dotnet "$bin" full "$cache" "$steps" fp32 1 1 2>/dev/null)"
threads_bf16="$(dotnet "$bin" full "$cache" "$steps" bf16 2 2 2>/dev/null)"
ranks_bf16="$("$mpiexec" -np 2 dotnet "$bin" full "$cache" "$steps" bf16 1 1 2>/dev/null)"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
jq -n --argjson tf "$threads_fp32" --argjson rf "$ranks_fp32" --argjson tb "$threads_bf16" --argjson rb "$ranks_bf16" \
  --arg lb "$load_before" --arg la "$load_after" --arg mpi "$("$mpiexec" --version | sed -n 's/^ *Version: *//p' | head -1)" \
  --arg cpu "$(lscpu | sed -n 's/^Model name: *//p' | head -1)" '
  {
    cpu: $cpu, mpich: $mpi, load_average_before: $lb, load_average_after: $la,
    global_batch: "2 × 4,096 padded tokens per update",
    tokens_per_s: {
      fp32: { one_process_2_threads: $tf.tokens_per_s, two_ranks_1_thread: $rf.tokens_per_s },
      bf16: { one_process_2_threads: $tb.tokens_per_s, two_ranks_1_thread: $rb.tokens_per_s }
    },
    ranks_over_threads: { fp32: ($rf.tokens_per_s / $tf.tokens_per_s * 1000 | round / 1000), bf16: ($rb.tokens_per_s / $tb.tokens_per_s * 1000 | round / 1000) },
    step_seconds: { fp32: { threads: $tf.step_seconds, ranks: $rf.step_seconds }, bf16: { threads: $tb.step_seconds, ranks: $rb.step_seconds } },
    peak_rss_mb: { fp32: { threads: $tf.peak_rss_mb, ranks_rank0: $rf.peak_rss_mb }, bf16: { threads: $tb.peak_rss_mb, ranks_rank0: $rb.peak_rss_mb } }
  }'
