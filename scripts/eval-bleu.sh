#!/usr/bin/env bash
# Decode a TSV test set with a model and score it like sacreBLEU (detokenised text in, 13a inside).
# Usage: scripts/eval-bleu.sh MODEL_DIR TEST.tsv[.gz] [RESULTS_FILE] [extra decode options...]
# Appends one tab-separated line to RESULTS_FILE (default results.tsv): date, model, test, options, BLEU, chrF, signatures.
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: $0 MODEL_DIR TEST.tsv[.gz] [RESULTS_FILE] [decode options, default: --beam 4 --lenpen 0.6]" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="$1"; test="$2"; results="${3:-results.tsv}"; shift $(( $# >= 3 ? 3 : 2 ))
options=("$@"); [[ ${#options[@]} -eq 0 ]] && options=(--beam 4 --lenpen 0.6)
[[ -f "$test" ]] || { echo "eval-bleu: $test: no such file" >&2; exit 2; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
read_tsv() { if [[ "$(head -c2 "$1" | od -An -tx1 | tr -d ' ')" == "1f8b" ]]; then gzip -dc "$1"; else cat "$1"; fi; }
read_tsv "$test" | cut -f1 > "$work/src"
read_tsv "$test" | cut -f2 > "$work/ref"
"$root/lstranslate" decode --model "$model" "${options[@]}" --input "$work/src" --output "$work/hyp"
scores="$("$root/lstranslate" score --hyp "$work/hyp" --ref "$work/ref" --metrics bleu,chrf --format json)"
bleu="$(grep -o '"score": *[0-9.]*' <<<"$scores" | head -1 | grep -o '[0-9.]*$')"
chrf="$(grep -o '"score": *[0-9.]*' <<<"$scores" | sed -n 2p | grep -o '[0-9.]*$')"
"$root/lstranslate" score --hyp "$work/hyp" --ref "$work/ref" --metrics bleu,chrf
signatures="$(grep -o '"signature": *"[^"]*"' <<<"$scores" | sed 's/.*: *"//; s/"$//' | paste -sd' ')"
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$model" "$test" "${options[*]}" "$bleu" "$chrf" "$signatures" >> "$results"
echo "appended to $results" >&2
