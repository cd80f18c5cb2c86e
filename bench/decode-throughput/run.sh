#!/usr/bin/env bash
# Decoding throughput (2 threads) on the source side of corpora/en-de/test.tsv.gz; prints one JSON object.
# Usage: bench/decode-throughput/run.sh (--model DIR | --random TOKENIZER_DIR) [--twin yes|no] [options of Program.cs]
# e.g. bench/decode-throughput/run.sh --random /tmp/lstranslate-bench/train-setup --cache cached
#      bench/decode-throughput/run.sh --model reports/translation/models/alpha-0 --cache cached --beams 1,4 --batches 32 --latency no
# With --model (and unless --twin no), ours runs first, then the PyTorch twin (pytorch_twin.py, Debian's python3-torch)
# on the same sentences with the same weights (`lstranslate export --checkpoint best --format pytorch`: the checkpoint
# Program.cs decodes with): greedy and beam 4 at batch 32, fp32 (and bf16 with torch.autocast when --precisions asks
# for bf16). The JSON then holds both (`ours`: Program.cs's object; `pytorch`: the twin's, without its token ids), the
# ratios ours/PyTorch of target tokens/s, and the share of sentences whose fp32 output is the same token for token
# (twin-inputs mode decodes them with our Translator; mismatches come with both hypotheses' scores under the twin).
# Without the twin (--random, or --twin no) it prints Program.cs's object alone, as before.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# libgomp threads spin between parallel regions by default; on a shared machine a descheduled peer
# makes the spinning one burn its time slice (decoding ran 10-20x slower at 2 threads). Sleep instead.
# The twin runs under the same setting.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

twin=yes model="" sentences="" threads=2 precisions=fp32
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --twin) twin="$2"; shift 2; continue ;;
    --model) model="$2" ;;
    --sentences) sentences="$2" ;;
    --threads) threads="$2" ;;
    --precisions) precisions="$2" ;;
  esac
  args+=("$1"); shift
done
[[ -n "$model" ]] || twin=no

dotnet build bench/decode-throughput -c Release -nologo -v q -clp:"ErrorsOnly;NoSummary" >&2
bin=bench/decode-throughput/bin/Release/net10.0/DecodeThroughput.dll
if [[ "$twin" != yes ]]; then
  exec dotnet "$bin" "${args[@]}"
fi

# Without OpenBLAS, Debian's torch falls back to the single-threaded reference BLAS (about 50x slower): no comparison.
if ! update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | grep -q '^Value: .*openblas'; then
  echo "decode-throughput: the PyTorch twin needs python3-torch and OpenBLAS (apt-get install python3-torch libopenblas0-pthread), or pass --twin no" >&2
  exit 2
fi
ours="$(dotnet "$bin" "${args[@]}")"
# The twin decodes as many sentences as ours did at batch 32 (Program.cs's default when --sentences is not given).
if [[ -z "$sentences" ]]; then
  sentences="$(jq '[.results[] | select(.batch == 32) | .sentences // empty] | first // 256' <<<"$ours")"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The export is kept in $BENCH_CACHE, keyed by the checkpoint's path, size and time, so reruns need no CLI build.
checkpoint="$(realpath "$model/checkpoint.best")"
weights="${BENCH_CACHE:-/tmp/lstranslate-bench}/decode-twin/$(stat -c '%n %s %Y' "$checkpoint" | sha1sum | cut -c1-16).pt"
if [[ ! -f "$weights" ]]; then
  mkdir -p "$(dirname "$weights")"
  ./lstranslate export --model "$model" --checkpoint best --format pytorch --out "$work/weights.pt" >&2
  mv "$work/weights.pt" "$weights"
fi
dotnet "$bin" twin-inputs --model "$model" --sentences "$sentences" --threads "$threads" --beams 1,4 --batch 32 --out "$work/inputs.json"
twin_precisions=fp32
[[ ",$precisions," == *",bf16,"* ]] && twin_precisions=fp32,bf16
# Ours makes glibc keep freed tensor memory (RunSettings.ApplyToProcess -> HeapRetention: mmap threshold 32 MB, no
# trimming); the twin gets the same allocator policy through glibc's variables, unless the caller set them.
pytorch="$(MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}" MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-2147483647}" \
  /usr/bin/python3 bench/decode-throughput/pytorch_twin.py "$work/inputs.json" "$weights" "$model/config.json" \
    --threads "$threads" --searches greedy,beam4 --precisions "$twin_precisions" --batch 32 --explain)"

jq -n --argjson ours "$ours" --argjson pytorch "$pytorch" '
  def rate($side; $search; $precision):
    [$side.results[] | select(.search == $search and .batch == 32 and .precision == $precision and (.cache // "cached") == "cached")
     | .target_tokens_per_s] | first;
  def ratio($search; $precision):
    (rate($ours; $search; $precision)) as $a | (rate($pytorch; $search; $precision)) as $b
    | if $a == null or $b == null then null else ($a / $b * 1000 | round / 1000) end;
  {
    comparison: "ours (Program.cs, cached) against the PyTorch twin (pytorch_twin.py): same weights, same sentences, batch 32, target tokens/s",
    ratios_ours_over_pytorch: {
      greedy_batch32_fp32: ratio("greedy"; "fp32"),
      beam4_batch32_fp32: ratio("beam4"; "fp32"),
      greedy_batch32_bf16: ratio("greedy"; "bf16"),
      beam4_batch32_bf16: ratio("beam4"; "bf16")
    },
    goals: { greedy_batch32_min: 2.5, beam4_batch32_min: 2 },
    identical_output_share: ($pytorch.identical_to_ours | map_values(.identical_share)),
    mismatches: ($pytorch.identical_to_ours | with_entries(select(.value.differ | length > 0) | .value = .value.why)),
    ours: $ours,
    pytorch: ($pytorch | .results |= map(del(.outputs)) | del(.identical_to_ours))
  }'
