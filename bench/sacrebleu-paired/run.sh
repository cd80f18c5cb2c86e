#!/usr/bin/env bash
# `lstranslate sacrebleu` against sacreBLEU itself on the same paired tests: 3 systems of 1,000 lines (the recorded
# fixture's hyp.txt, sys2.txt, sys3.txt), BLEU, chrF and TER, --paired-bs (1,000 resamples) and --paired-ar (10,000
# trials), and the same scoring without a test. Each command runs RUNS times (default 3); the median wall time is kept,
# and the two tools' stdouts are compared (the signatures' version aside). sacreBLEU is `python3 -m sacrebleu`, from
# SACREBLEU_SRC (a source tree, put on PYTHONPATH) when given, run by $PYTHON (default /usr/bin/python3, which has
# numpy); without it the peer's fields say why they are missing.
# Prints one JSON object. Usage: [SACREBLEU_SRC=DIR] bench/sacrebleu-paired/run.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
runs="${1:-3}"
source bench/cli-bench.sh
work="$(bench_cache sacrebleu-paired)"
fixture=tests/LsTranslate.Metrics.Tests/Reference
cp "$fixture/hyp.txt" "$fixture/ref.txt" "$fixture"/several-systems/sys2.txt "$fixture"/several-systems/sys3.txt "$work/"
lstranslate="$root/lstranslate"
export PYTHONPATH="${SACREBLEU_SRC:-}${PYTHONPATH:+:$PYTHONPATH}"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
"${PYTHON:-/usr/bin/python3}" - "$runs" "$work" "$lstranslate" "$load_before" <<'PY'
import json, statistics, subprocess, sys, time
runs, work, lstranslate, load_before = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
args = ["ref.txt", "-i", "hyp.txt", "sys2.txt", "sys3.txt", "-m", "bleu", "chrf", "ter"]
tests = {"no_test": [], "paired_bs": ["--paired-bs"], "paired_ar": ["--paired-ar"]}
def timed(command):
    seconds, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=work, capture_output=True, text=True)
        seconds.append(time.perf_counter() - start)
        if done.returncode != 0: return None, done.stderr.strip().splitlines()[-1:]
        out = done.stdout
    return round(statistics.median(seconds), 2), out
peer_missing = subprocess.run([sys.executable, "-c", "import sacrebleu"], capture_output=True).returncode != 0
result = {}
for name, extra in tests.items():
    ours, our_out = timed([lstranslate, "sacrebleu", *args, *extra])
    row = {"lstranslate_seconds": ours}
    if peer_missing:
        row["sacrebleu_seconds"] = None
        row["sacrebleu"] = "not installed: set SACREBLEU_SRC to a sacreBLEU source tree"
    else:
        theirs, their_out = timed([sys.executable, "-m", "sacrebleu", *args, *extra])
        row["sacrebleu_seconds"] = theirs
        row["same_stdout"] = their_out is not None and our_out.replace("version:lstranslate-0.1", "version:X") == \
            their_out.replace("version:2.6.0", "version:X")
        if theirs: row["sacrebleu_over_lstranslate"] = round(theirs / ours, 2)
    result[name] = row
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
load_after = " ".join(open("/proc/loadavg").read().split()[:3])
version = None if peer_missing else subprocess.run([sys.executable, "-m", "sacrebleu", "--version"], capture_output=True, text=True).stdout.strip()
print(json.dumps({"cpu": cpu, "cores": len(open("/proc/cpuinfo").read().split("processor")) - 1, "load_average_before": load_before,
                  "load_average_after": load_after, "runs": runs, "lines": 1000, "systems": 3, "metrics": ["bleu", "chrf", "ter"],
                  "sacrebleu_version": version, **result}))
PY
