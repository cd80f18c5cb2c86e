#!/usr/bin/env bash
# The GPU run, as one command on a machine with a GPU and PyTorch but no .NET (the device machine), in a checkout of
# this repository. It writes to OUT as it goes:
#   machine.txt   nvidia-smi, PyTorch's version and CUDA, the torch/lib used
#   ldd.txt       `ldd -r` of TorchSharp's libLibTorchSharp.so against that torch/lib; missing symbols demangled at its end
#   nccl.json     `lstranslate ranks` with one rank: NCCL bound, its unique id made locally, a 40 MB sum in place, timed
#   parity.json   the same training steps on the GPU and on the CPU (tiny preset, dropout 0, fp32): losses side by side
#   gpu-run.log   what each step printed on stderr
#   gpu-run.tar   `reproduce translation --scale gpu`: report.md, results.json and the plots
# Usage: scripts/gpu-run.sh BUNDLE.tar.gz OUT [TORCH_LIB]     (BUNDLE from scripts/bundle.sh; TORCH_LIB: python3's torch/lib)
# Rehearsal on a CPU: GPU_RUN_DEVICE=cpu GPU_RUN_SCALE=smoke GPU_RUN_PARITY_STEPS=30 scripts/gpu-run.sh ...
set -uo pipefail
if [[ $# -lt 2 ]]; then echo "usage: $0 BUNDLE.tar.gz OUT [TORCH_LIB]" >&2; exit 2; fi
bundle="$(realpath "$1")"; out="$(realpath -m "$2")"
torchlib="${3:-$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__) + "/lib")')}"
device="${GPU_RUN_DEVICE:-cuda}"
scale="${GPU_RUN_SCALE:-gpu}"
parity_steps="${GPU_RUN_PARITY_STEPS:-300}"
# Within the device tool's 600 s per command: parity at most 120 s, reproduce at most 420 s (each model trains at
# most GPU_RUN_MODEL_TIME, so that the measurements run even where the GPU is slower than the scale assumes).
model_time="${GPU_RUN_MODEL_TIME:-2m30s}"
reproduce_seconds="${GPU_RUN_REPRODUCE_SECONDS:-420}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p "$out"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
log() { echo "[$(date -u +%T)] $*" | tee -a "$out/gpu-run.log" >&2; }

log "machine"
{
  nvidia-smi 2>&1 || echo "no nvidia-smi"
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())' 2>&1
  echo "torch/lib: $torchlib"; nproc; grep -m1 'model name' /proc/cpuinfo
} > "$out/machine.txt"

tar xzf "$bundle" -C "$work"
lst="$work/lstranslate/lstranslate"
export LSTRANSLATE_LIBTORCH="$torchlib" OMP_WAIT_POLICY=PASSIVE

log "ldd -r libLibTorchSharp.so against $torchlib"
LD_LIBRARY_PATH="$torchlib" ldd -r "$work/lstranslate/app/libLibTorchSharp.so" > "$out/ldd.txt" 2>&1
missing=$(grep -c 'undefined symbol' "$out/ldd.txt")
if (( missing > 0 )) && command -v c++filt >/dev/null; then
  { echo; echo "# $missing undefined symbols, demangled:"; grep 'undefined symbol' "$out/ldd.txt" | sed 's/^.*undefined symbol: \([^ ,]*\).*$/\1/' | c++filt; } >> "$out/ldd.txt"
fi
log "ldd -r: $missing undefined symbols"

log "NCCL with one rank on $device (lstranslate ranks)"
timeout 60 "$lst" ranks --device "$device" > "$out/nccl.json" 2>> "$out/gpu-run.log"
log "ranks: exit $? $(cat "$out/nccl.json")"

# The same steps on both devices at once: the GPU run leaves the CPU's cores to the CPU run.
log "parity: $parity_steps steps on $device and on cpu (tiny preset, dropout 0, fp32)"
common=(train --train corpora/en-de/train.tsv.gz --dev corpora/en-de/dev.tsv.gz --preset tiny --dropout 0 --precision fp32
        --max-steps "$parity_steps" --validate-every "$parity_steps" --log-every 10 --seed 1 --save-every-minutes 0)
timeout 120 "$lst" "${common[@]}" --device "$device" --threads 1 --out "$work/parity-device" 2> "$work/parity-gpu.log" &
gpu=$!
timeout 120 "$lst" "${common[@]}" --device cpu --threads "$(( $(nproc) > 1 ? $(nproc) - 1 : 1 ))" --out "$work/parity-cpu" 2> "$work/parity-cpu.log"
cpu_rc=$?; wait $gpu; gpu_rc=$?
{ echo "--- parity on $device (exit $gpu_rc)"; cat "$work/parity-gpu.log"; echo "--- parity on cpu (exit $cpu_rc)"; cat "$work/parity-cpu.log"; } | grep -v '^step ' >> "$out/gpu-run.log"
python3 - "$work/parity-device/train-log.jsonl" "$work/parity-cpu/train-log.jsonl" "$device" > "$out/parity.json" <<'EOF'
import json, sys
def read(path):
    try:
        return [json.loads(l) for l in open(path) if l.strip().endswith("}")]
    except OSError:
        return []
gpu, cpu, device = read(sys.argv[1]), read(sys.argv[2]), sys.argv[3]
train = lambda lines: {l["step"]: l for l in lines if l.get("type") == "train"}
g, c = train(gpu), train(cpu)
steps = sorted(set(g) & set(c))
rows = [{"step": s, "loss_" + device: g[s]["loss"], "loss_cpu": c[s]["loss"],
         "relative_difference": abs(g[s]["loss"] - c[s]["loss"]) / abs(c[s]["loss"])} for s in steps]
rate = lambda d: max((l["tokens_per_second"] for l in d.values()), default=None)
worst = max((r["relative_difference"] for r in rows), default=None)
print(json.dumps({"device": device, "steps_compared": len(rows), "max_relative_difference": worst,
                  "within_1e-3": worst is not None and worst <= 1e-3,
                  "tokens_per_second_" + device: rate(g), "tokens_per_second_cpu": rate(c), "steps": rows}, indent=2))
EOF
log "parity: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["steps_compared"], "steps compared, max relative difference", d["max_relative_difference"])' "$out/parity.json")"

log "reproduce translation --scale $scale on $device (at most ${reproduce_seconds} s)"
timeout "$reproduce_seconds" "$lst" reproduce translation --scale "$scale" --max-time "$model_time" --device "$device" --precision auto --out "$work/report" \
  > "$work/reproduce.stdout" 2> "$work/reproduce.log"
log "reproduce: exit $?"
grep -v '^step ' "$work/reproduce.log" | tail -200 >> "$out/gpu-run.log"
cat "$work/reproduce.stdout" >> "$out/gpu-run.log"
if [[ -d "$work/report" ]]; then
  (cd "$work/report" && tar cf "$out/gpu-run.tar" $(ls report.md results.json done.jsonl ./*.png models/*/train-log.jsonl \
    models/*/run.json models/*/config.json models/*/calibration.json 2>/dev/null))
fi
log "done: $(ls "$out" | tr '\n' ' ')"
