#!/usr/bin/env bash
# Exports a model in both formats and checks in PyTorch (Debian's python3-torch) that the exported weights give our
# fp32 logits: prints one JSON object with the largest absolute logit difference per format.
# Usage: bench/export-check/run.sh MODEL_DIR [CHECKPOINT] [PAIRS.tsv.gz] [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
model="$1"; checkpoint="${2:-last}"; pairs="${3:-corpora/en-de/test.tsv.gz}"; n="${4:-8}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
./lstranslate export --model "$model" --checkpoint "$checkpoint" --format pytorch --out "$work/model.pt" >&2
./lstranslate export --model "$model" --checkpoint "$checkpoint" --format safetensors --out "$work/model.safetensors" >&2
dotnet build bench/export-check -c Release -nologo -v q -clp:"ErrorsOnly;NoSummary" >&2
dotnet bench/export-check/bin/Release/net10.0/ExportCheck.dll "$model" "$checkpoint" "$pairs" "$n" "$work/logits.json"
/usr/bin/python3 bench/export-check/check.py "$model/config.json" "$work/model.pt" "$work/model.safetensors" "$work/logits.json"
