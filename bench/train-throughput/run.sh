#!/usr/bin/env bash
# Training throughput of the small preset (max-tokens 4096, 2 threads) on corpora/en-de/train.tsv.gz.
# Usage: bench/train-throughput/run.sh [STEPS]   (STEPS ≥ 2; the first is a warm-up; default 6)
# Prints one JSON object: TorchSharp's fp32 and bf16 matrix-product GFLOP/s, the real loop (Trainer.Run) and the
# bare loop of the same updates (TrainingUpdate.Update: forward, loss, backward, clipping, Adam) in fp32 and bf16 on the same batches, the PyTorch twin (pytorch_twin.py,
# Debian's python3-torch) on those batch shapes (also once with glibc keeping freed memory, as our process does), the ratios,
# MFU (the full bf16 loop's matrix-product FLOP/s over the best bf16 product GFLOP/s of this run), and the phase
# table of one bf16 and one fp32 update (Phases.cs: each operation timed on its own at a real batch's shapes).
# and, under MPICH (ranks.sh), 2 ranks × 1 thread against 1 process × 2 threads at the same global batch.
# The twin needs `apt-get install python3-torch libopenblas0-pthread`: without OpenBLAS, Debian's torch falls back
# to the single-threaded reference BLAS and runs about 50x slower.
# The one-step setup (BPE learning + first checkpoint) is cached in $BENCH_CACHE (default /tmp/lstranslate-bench).
# Usage: bench/train-throughput/run.sh --sustained N [--side-by-side]   (N ≥ 20) instead runs N updates of the real bf16
# loop and of the PyTorch twin on the same batch shapes and prints one JSON object: tokens/s per window of 20 updates for
# both, the training process's CPU cores used, MFU over the whole run, and the phase table before and after in the same
# process; --side-by-side runs two such processes at one thread each at once, as `reproduce translation` trains.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if [[ "${1:-}" == "--sustained" ]]; then
  exec bench/train-throughput/sustained.sh "${2:?--sustained needs a number of updates}" "${@:3}"
fi
steps="${1:-6}"
source bench/train-throughput/setup.sh
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
full_fp32="$(dotnet "$bin" full "$cache" "$steps" fp32 2>/dev/null)"
full_bf16="$(dotnet "$bin" full "$cache" "$steps" bf16 2>/dev/null)"
bare_fp32="$(dotnet "$bin" bare "$cache" "$steps" fp32)"
bare_bf16="$(dotnet "$bin" bare "$cache" "$steps" bf16)"
matmul="$(dotnet "$bin" matmul)"
if ! update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | grep -q '^Value: .*openblas'; then
  echo "train-throughput: the PyTorch twin needs OpenBLAS (apt-get install libopenblas0-pthread)" >&2
  exit 2
fi
shapes="$(mktemp)"
echo "$bare_fp32" > "$shapes"
pytorch_fp32="$(/usr/bin/python3 bench/train-throughput/pytorch_twin.py "$shapes" fp32)"
pytorch_bf16="$(/usr/bin/python3 bench/train-throughput/pytorch_twin.py "$shapes" bf16)"
pytorch_bf16_retained="$(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=2147483647 /usr/bin/python3 bench/train-throughput/pytorch_twin.py "$shapes" bf16)"
rm -f "$shapes"
phases_bf16="$(dotnet "$bin" phases "$cache" bf16)"
ranks="$(bench/train-throughput/ranks.sh "$steps")"
phases_fp32="$(dotnet "$bin" phases "$cache" fp32)"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
flags="$(grep -m1 -o -w -E 'avx512_bf16|amx_bf16' /proc/cpuinfo | sort -u | paste -sd, -)"
r3() { echo "($1 * 1000 | round / 1000)"; }
jq -n --argjson ff "$full_fp32" --argjson fb "$full_bf16" --argjson bf "$bare_fp32" --argjson bb "$bare_bf16" \
  --argjson matmul "$matmul" --argjson pf "$pytorch_fp32" --argjson pb "$pytorch_bf16" --argjson pbr "$pytorch_bf16_retained" \
  --argjson phb "$phases_bf16" --argjson phf "$phases_fp32" --argjson ranks "$ranks" \
  --arg lb "$load_before" --arg la "$load_after" --arg commit "$(git rev-parse --short HEAD)" --arg cpu "$cpu" --arg flags "$flags" "
  {
    commit: \$commit, cpu: \$cpu, cpu_bf16_flags: \$flags, preset: \"small\", max_tokens: 4096, threads: 2,
    load_average_before: \$lb, load_average_after: \$la,
    matmul: \$matmul,
    matmul_bf16_over_fp32: (\$matmul.sizes | map({(.shape): $(r3 '.bf16_gflops / .fp32_gflops')}) | add),
    tokens_per_s: {
      full_fp32: \$ff.tokens_per_s, full_bf16: \$fb.tokens_per_s, bare_fp32: \$bf.tokens_per_s, bare_bf16: \$bb.tokens_per_s,
      pytorch_fp32: \$pf.tokens_per_s, pytorch_bf16_autocast: \$pb.tokens_per_s,
      pytorch_bf16_autocast_heap_retained: \$pbr.tokens_per_s, pytorch_version: \$pf.torch
    },
    arithmetic: {
      ours: {
        dropout: \"0.1 on embeddings, residual branches and the feed-forward activation; masks from 16-bit draws (PackedDropout)\",
        attention: \"written out (AttentionWeights): products in the run's precision, masked softmax in float32\",
        loss: \"label smoothing 0.1 over the real target positions, 512 rows at a time, logits in the product type, log-sum-exp and gradient in float32 (ChunkedSmoothedLoss)\"
      },
      pytorch: { dropout: \$pf.dropout, attention: \$pf.attention, loss: \$pf.loss }
    },
    bf16_over_fp32: $(r3 '$fb.tokens_per_s / $ff.tokens_per_s'),
    bf16_over_pytorch: $(r3 '$fb.tokens_per_s / $pf.tokens_per_s'),
    bf16_over_pytorch_bf16: $(r3 '$fb.tokens_per_s / $pb.tokens_per_s'),
    mfu_full_bf16: $(r3 '($bb.matmul_flops_per_step / $bb.target_tokens_per_step * $fb.tokens_per_s) / ([$matmul.sizes[].bf16_gflops] | max * 1e9)'),
    fp32_over_pytorch: $(r3 '$ff.tokens_per_s / $pf.tokens_per_s'),
    bare_bf16_over_fp32: $(r3 '$bb.tokens_per_s / $bf.tokens_per_s'),
    full_over_bare_fp32: $(r3 '$ff.tokens_per_s / $bf.tokens_per_s'),
    full_over_bare_bf16: $(r3 '$fb.tokens_per_s / $bb.tokens_per_s'),
    peak_rss_mb: { full_fp32: \$ff.peak_rss_mb, full_bf16: \$fb.peak_rss_mb },
    step_seconds: { full_fp32: \$ff.step_seconds, full_bf16: \$fb.step_seconds },
    phases: { bf16: \$phb, fp32: \$phf },
    ranks: \$ranks,
    goals: { bf16_over_pytorch_min: 2.0, bf16_over_pytorch_bf16_min: 1.5, mfu_full_bf16_aim: 0.25 }
  }"
