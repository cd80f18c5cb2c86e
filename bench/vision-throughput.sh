#!/usr/bin/env bash
# Training throughput (images/s) of each vision architecture in fp32 and in bf16, in one run, as JSON on stdout.
# Each measurement trains 2 epochs on a slice of Fashion-MNIST (batch 128, augmentation on) and keeps the second
# epoch's rate, so start-up and the first epoch's warm-up are left out.
# Run by hand: bench/vision-throughput.sh [images] [device]. Needs: apt-get install dataset-fashion-mnist
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images="${1:-4000}"
device="${2:-cpu}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
flags="$(grep -o -w -E 'avx512_bf16|amx_bf16' /proc/cpuinfo | sort -u | tr '\n' ' ' | sed 's/ $//')"
rate() { # arch precision → images/s of the second epoch
  "$root/lstranslate" vision train --arch "$1" --precision "$2" --epochs 2 --train-limit "$images" --validation 500 \
    --test-limit 500 --device "$device" --out "$work/$1-$2" 2>&1 >/dev/null | grep -o '[0-9]* img/s' | tail -1 | cut -d' ' -f1
}
printf '{\n  "cpu": "%s",\n  "bf16_flags": "%s",\n  "nproc": %s,\n  "device": "%s",\n  "images_per_epoch": %s,\n  "images_per_second": {\n' \
  "$cpu" "$flags" "$(nproc)" "$device" "$images"
first=1
for arch in alexnet resnet8 resnet20 resnet56; do
  fp32=$(rate "$arch" fp32)
  bf16=$(rate "$arch" bf16)
  [ $first = 1 ] || printf ',\n'
  first=0
  printf '    "%s": {"fp32": %s, "bf16": %s, "bf16_over_fp32": %s}' "$arch" "$fp32" "$bf16" \
    "$(awk -v a="$bf16" -v b="$fp32" 'BEGIN { printf "%.2f", a / b }')"
done
printf '\n  }\n}\n'
