#!/usr/bin/env bash
# Decoding throughput (2 threads) on the source side of corpora/en-de/test.tsv.gz; prints one JSON object.
# Usage: bench/decode-throughput/run.sh (--model DIR | --random TOKENIZER_DIR) [options of Program.cs]
# e.g. bench/decode-throughput/run.sh --random /tmp/lstranslate-bench/train-setup --cache cached
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# libgomp threads spin between parallel regions by default; on a shared machine a descheduled peer
# makes the spinning one burn its time slice (decoding ran 10-20x slower at 2 threads). Sleep instead.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
dotnet build bench/decode-throughput -c Release -nologo -v q -clp:"ErrorsOnly;NoSummary" >&2
exec dotnet bench/decode-throughput/bin/Release/net10.0/DecodeThroughput.dll "$@"
