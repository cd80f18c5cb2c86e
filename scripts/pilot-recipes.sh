#!/usr/bin/env bash
# Pilots of the quick recipe at equal training time (docs/quick-recipe.md). Recipes run in pairs side by side, one
# thread each, bf16 — as `reproduce translation` trains its two models. Each recipe first trains 30 updates to measure
# its own CPU seconds per update (updates 11-30), then trains the updates that fit MINUTES at that rate, with the cosine
# schedule ending there and a validation every eighth of the way (dev NLL and accuracy, in train-log.jsonl); its
# checkpoints at half time and at the end are decoded on dev (beam 4) for BLEU. One JSON line per recipe on stdout
# (also appended to OUT/pilots.jsonl); progress on stderr and in OUT/NAME.log.
#
#   scripts/pilot-recipes.sh OUT [MINUTES] [RECIPE ...]      (default: 24 minutes, every recipe below, two at a time)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: scripts/pilot-recipes.sh OUT [MINUTES] [RECIPE ...]}"
minutes="${2:-24}"
shift $(( $# >= 2 ? 2 : $# ))
lstranslate="${LSTRANSLATE:-$root/lstranslate}"
data="${PILOT_DATA:-$root/corpora/en-de}"  # a folder with train.tsv.gz and dev.tsv.gz

# What each recipe changes from the quick recipe (small preset, 8k joint BPE, 4,096-token batches, peak lr 1.5e-3
# after 200 warmup updates, cosine to a tenth, dropout 0.1 everywhere). wide and deep cost about what small costs per
# token (multiply-adds per token: small 7.6M, wide 8.3M, deep 7.7M, counting the output layer).
declare -A change=(
  [baseline]=""
  [activation-dropout-0]="--activation-dropout 0"
  [wide]="--model-dim 320 --heads 5 --feed-forward-dim 1280 --encoder-layers 2 --decoder-layers 2"
  [deep]="--model-dim 192 --heads 3 --feed-forward-dim 768 --encoder-layers 6 --decoder-layers 6"
  [vocab-16k]="--vocab-size 16000"
  [vocab-32k]="--vocab-size 32000"
  [lr-3e-3]="--lr 3e-3"
  [warmup-800]="--warmup 800"
  [tokens-8192]="--max-tokens 8192"
)
order=(baseline activation-dropout-0 wide deep vocab-16k vocab-32k lr-3e-3 tokens-8192 warmup-800)
(( $# > 0 )) && order=("$@")
for name in "${order[@]}"; do [[ -v "change[$name]" ]] || { echo "pilot-recipes: unknown recipe '$name' (known: ${!change[*]})" >&2; exit 2; }; done
mkdir -p "$out"

train() { # NAME DIR STEPS VALIDATE_EVERY
  local -a recipe=(--preset small --vocab-size 8000 --lr 1.5e-3 --warmup 200)
  local -a changed
  read -r -a changed <<< "${change[$1]}"
  # The quick recipe's options that the change does not set again (an option given twice is an error).
  local -a kept=()
  for (( k = 0; k < ${#recipe[@]}; k += 2 )); do
    [[ " ${changed[*]} " == *" ${recipe[k]} "* ]] || kept+=("${recipe[k]}" "${recipe[k + 1]}")
  done
  "$lstranslate" train --train "$data/train.tsv.gz" --dev "$data/dev.tsv.gz" --out "$2" --overwrite \
    "${kept[@]}" "${changed[@]}" --lr-schedule cosine --max-steps "$3" --validate-every "$4" --log-every 10 --keep-last 8 \
    --save-every-minutes 0 --seed 1 --threads 1 --precision bf16 >>"$out/$1.log" 2>&1
}

# Seconds per update from updates 11-30 of a short run (the first ten include loading and warming up), in the process's
# CPU time: at one thread that is the time the update takes on a core of its own, whatever else runs on the machine.
seconds_per_update() {
  python3 - "$1/train-log.jsonl" <<'EOF'
import json, sys
rows = {r["step"]: r for r in map(json.loads, open(sys.argv[1])) if r["type"] == "train"}
print(f"{(rows[30]['process_cpu_seconds'] - rows[10]['process_cpu_seconds']) / 20:.4f}")
EOF
}

bleu() { # DIR STEP
  "$lstranslate" evaluate -m "$1" --checkpoint "step-$2" --test "$data/dev.tsv.gz" --beam 4 --threads 1 --precision bf16 \
    --format json 2>>"$1.eval.log" | python3 -c 'import json, sys; print(json.load(sys.stdin)["bleu"]["score"])'
}

pilot() { # NAME
  local name="$1" dir="$out/$1"
  echo "pilot $name: measuring its speed" >&2
  train "$name" "$dir.speed" 30 1000
  local per_update; per_update="$(seconds_per_update "$dir.speed")"
  rm -rf "$dir.speed"
  local every; every="$(python3 -c "print(max(1, round($minutes * 60 / $per_update / 8)))")"
  echo "pilot $name: $per_update s per update, $((8 * every)) updates for $minutes minutes" >&2
  train "$name" "$dir" $((8 * every)) "$every"
  local half end; half="$(bleu "$dir" $((4 * every)))"; end="$(bleu "$dir" $((8 * every)))"
  python3 - "$name" "${change[$name]}" "$per_update" "$dir/train-log.jsonl" "$half" "$end" "$minutes" <<'EOF' | tee -a "$out/pilots.jsonl"
import json, sys
name, change, per_update, log, half, end, minutes = sys.argv[1:]
dev = [r for r in map(json.loads, open(log)) if r["type"] == "valid"]
print(json.dumps({
    "recipe": name, "change": change, "seconds_per_update": float(per_update), "minutes": float(minutes),
    "curve": [{"step": r["step"], "planned_minutes": round(r["step"] * float(per_update) / 60, 1),
               "elapsed_minutes": round(r["elapsed_seconds"] / 60, 1), "dev_nll": round(r["nll"], 4),
               "dev_accuracy": round(r["accuracy"], 4)} for r in dev],
    "dev_bleu_half": float(half), "dev_bleu_end": float(end)}))
EOF
}

# A recipe that fails (its log says why) does not stop the others; the script then exits 1.
failed=0
for (( i = 0; i < ${#order[@]}; i += 2 )); do
  # Both in the background, so that each keeps `set -e` (a function called left of || would not).
  pilot "${order[i]}" &
  first=$! second=""
  if (( i + 1 < ${#order[@]} )); then pilot "${order[i + 1]}" & second=$!; fi
  wait "$first" || failed=1
  [[ -z "$second" ]] || wait "$second" || failed=1
done
exit "$failed"
