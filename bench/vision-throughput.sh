#!/usr/bin/env bash
# Training throughput (images/s) of each vision architecture: one epoch on a slice of Fashion-MNIST.
# Run by hand: bench/vision-throughput.sh [images] [device]. Needs: apt-get install dataset-fashion-mnist
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images="${1:-2000}"
device="${2:-cpu}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for arch in alexnet resnet8 resnet20 resnet56; do
  rate=$("$root/lstranslate" vision train --arch "$arch" --epochs 1 --train-limit "$images" --validation 500 \
           --test-limit 500 --device "$device" --out "$work/$arch" 2>&1 >/dev/null | grep -o '[0-9]* img/s' | tail -1)
  echo -e "$arch\t$rate"
done
