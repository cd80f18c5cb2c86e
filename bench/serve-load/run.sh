#!/usr/bin/env bash
# Load on `lstranslate serve` (127.0.0.1 only): 1, 8 and 32 concurrent clients sending one sentence per request, with
# batching across requests (default) and without (--max-batch 1); prints one JSON object with both and the ratio of
# sentences/s at 32 clients. Usage: bench/serve-load/run.sh MODEL_DIR [REQUESTS_PER_CLIENT] [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
model="$1"; per_client="${2:-16}"; seconds="${3:-60}"
source bench/cli-bench.sh
dotnet build bench/serve-load -c Release -nologo -v q -clp:"ErrorsOnly;NoSummary" >&2
sentences="$(mktemp)"; trap 'rm -f "$sentences"' EXIT
zcat corpora/en-de/test.tsv.gz | cut -f1 > "$sentences"
measure() {
  local port=$((8600 + RANDOM % 300))
  dotnet src/LsTranslate.Cli/bin/Release/net10.0/lstranslate.dll serve --model "$model" --checkpoint last --port "$port" --threads 2 "$@" 2> /dev/null &
  local server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.2; done
  dotnet bench/serve-load/bin/Release/net10.0/ServeLoad.dll "http://127.0.0.1:$port" "$sentences" "$per_client" "$seconds" 1 8 32
  kill "$server"; wait "$server" 2> /dev/null || true
}
batched="$(measure)"
alone="$(measure --max-batch 1)"
python3 - "$batched" "$alone" <<'PY'
import json, sys
batched, alone = json.loads(sys.argv[1]), json.loads(sys.argv[2])
at32 = lambda runs: next(r for r in runs if r["clients"] == 32)["sentences_per_s"]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
print(json.dumps({"cpu": cpu, "batched": batched, "max_batch_1": alone, "batched_over_alone_at_32": round(at32(batched) / at32(alone), 2)}, indent=1))
PY
