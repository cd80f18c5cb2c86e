#!/usr/bin/env bash
# Peak RSS of `lstranslate decode` on a short and a long stream (default 10,000 and 1,000,000 lines) of a tiny
# model: a stream job must run in flat memory, whatever its length (the goal: the long one within 10 % of the
# short one). Greedy, 2 threads, at most 4 output tokens, so the measure is the stream's bookkeeping, not search.
# Usage: bench/decode-memory/run.sh [SHORT_LINES LONG_LINES]; prints one JSON object.
# RANKS=N: under `mpiexec -np N`, each rank at one thread, the input streamed to rank 0 as <(cat FILE) (how large input
# reaches ranks: MPICH's launcher cannot carry it on stdin); peak_rss_mb is then the largest rank's.
# The tiny model is trained once (2 updates) into $BENCH_CACHE (default /tmp/lstranslate-bench).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
short="${1:-10000}"
long="${2:-1000000}"
ranks="${RANKS:-1}"
source bench/cli-bench.sh
cache="$(bench_cache decode-memory)"
if [[ ! -f "$cache/model/checkpoint.last" ]]; then
  (zcat corpora/en-de/train.tsv.gz || true) | head -2000 > "$cache/train.tsv"
  ./lstranslate train --train "$cache/train.tsv" --out "$cache/model" --preset tiny --vocab-size 400 --max-steps 2 --overwrite 2> /dev/null
fi
dll="src/LsTranslate.Cli/bin/Release/net10.0/lstranslate.dll"
measure() {
  local lines="$1" input="$cache/input-$1.txt"
  [[ -f "$input" ]] || zcat corpora/en-de/test.tsv.gz | cut -f1 | awk -v n="$lines" '{ a[NR] = $0 } END { for (i = 0; i < n; i++) print a[i % NR + 1] }' > "$input"
  local decode=(decode --model "$cache/model" --checkpoint last --beam 1 --max-len-a 0 --max-len-b 4 --output "$cache/output.txt")
  rm -f "$cache"/time.*
  if (( ranks > 1 )); then
    mpiexec -np "$ranks" bash -c '/usr/bin/time -o "$0.$PMI_RANK" -f "%M %e" "$@"' "$cache/time" \
      dotnet "$dll" "${decode[@]}" --threads 1 --input <(cat "$input") < /dev/null 2> /dev/null
  else
    /usr/bin/time -o "$cache/time.0" -f '%M %e' dotnet "$dll" "${decode[@]}" --threads 2 --input "$input" 2> /dev/null
  fi
  local rss_kb seconds
  rss_kb="$(tail -qn1 "$cache"/time.* | cut -d' ' -f1 | sort -n | tail -1)"
  seconds="$(tail -1 "$cache/time.0" | cut -d' ' -f2)"
  [[ "$(wc -l < "$cache/output.txt")" == "$lines" ]] || { echo "decode of $lines lines did not give $lines output lines" >&2; exit 1; }
  echo "{\"lines\": $lines, \"peak_rss_mb\": $(( rss_kb / 1024 )), \"seconds\": $seconds}"
}
a="$(measure "$short")"
b="$(measure "$long")"
python3 - "$a" "$b" "$ranks" <<'PY'
import json, sys, subprocess
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
growth = b["peak_rss_mb"] / a["peak_rss_mb"] - 1
print(json.dumps({"commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
                  "cpu": cpu, "ranks": int(sys.argv[3]), "short": a, "long": b, "rss_growth": round(growth, 3), "flat_within_10_percent": growth <= 0.10}, indent=2))
PY
