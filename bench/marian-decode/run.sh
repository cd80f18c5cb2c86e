#!/usr/bin/env bash
# Decode speed of an OPUS-MT-sized model (random weights, d 512, 6+6 layers, 54,777-token vocabulary, imported with
# `import marian`) against our small preset (random weights too, d 256, 3+3, 8,000 tokens), on the same 200 dev
# sentences, beam 4, bf16, 2 threads, every output exactly 30 tokens (--min-len 30 --max-len-a 0 --max-len-b 30:
# random models would otherwise run to different lengths), fairseq's stopping rule for both. Prints one JSON object.
# Usage: bench/marian-decode/run.sh [SENTENCES]. Models are built once into $BENCH_CACHE (default /tmp/lstranslate-bench).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
sentences="${1:-200}"
source bench/cli-bench.sh
cache="$(bench_cache marian-decode)"
if [[ ! -f "$cache/opus-mt-sized/checkpoint.best" ]]; then
  /usr/bin/python3 bench/marian-decode/opus_mt_sized.py "$cache/hf-opus-mt-sized" > /dev/null
  ./lstranslate import marian "$cache/hf-opus-mt-sized" --out "$cache/opus-mt-sized" --overwrite 2> /dev/null
fi
if [[ ! -f "$cache/small/checkpoint.last" ]]; then
  zcat corpora/en-de/train.tsv.gz | head -20000 > "$cache/train.tsv" || true # head closes the pipe early
  ./lstranslate train --train "$cache/train.tsv" --out "$cache/small" --preset small --vocab-size 8000 --max-steps 1 --overwrite 2> /dev/null
fi
zcat corpora/en-de/dev.tsv.gz | cut -f1 | head -"$sentences" > "$cache/input.txt" || true # head closes the pipe early
measure() { # NAME MODEL CHECKPOINT
  local start end
  start="$(date +%s.%N)"
  ./lstranslate decode --model "$2" --checkpoint "$3" --input "$cache/input.txt" --beam 4 --stop beam --min-len 30 --max-len-a 0 --max-len-b 30 \
    --precision bf16 --threads 2 --output "$cache/$1.out" 2> /dev/null
  end="$(date +%s.%N)"
  python3 -c "import json; s = $end - $start; print(json.dumps({'model': '$1', 'seconds': round(s, 2), 'sentences_per_s': round($sentences / s, 2), 'output_tokens_per_s': round($sentences * 30 / s, 1)}))"
}
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
opus="$(measure opus-mt-sized "$cache/opus-mt-sized" best)"
small="$(measure small "$cache/small" last)"
python3 - "$sentences" "$opus" "$small" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" <<'PY'
import json, sys
sentences, opus, small = int(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(json.dumps({"cpu": sys.argv[6], "load_average_before": sys.argv[4], "load_average_after": sys.argv[5],
                  "sentences": sentences, "beam": 4, "output_tokens": 30, "precision": "bf16", "threads": 2,
                  "opus_mt_sized": opus, "small": small, "opus_mt_sized_seconds_over_small": round(opus["seconds"] / small["seconds"], 2)}))
PY
