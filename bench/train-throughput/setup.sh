# Sourced by run.sh and ranks.sh (from the repository root): builds the bench and caches the one-step setup
# (BPE learning + first checkpoint) in $BENCH_CACHE (default /tmp/lstranslate-bench); sets $bin and $cache.
cache="${BENCH_CACHE:-/tmp/lstranslate-bench}/train-setup"
# libgomp threads spin between parallel regions by default; on a shared machine a descheduled peer
# makes the spinning one burn its time slice (decoding ran 10-20x slower at 2 threads). Sleep instead.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
dotnet build bench/train-throughput -c Release -nologo -v q -clp:"ErrorsOnly;NoSummary" >&2
bin="bench/train-throughput/bin/Release/net10.0/TrainThroughput.dll"
if [[ ! -f "$cache/checkpoint.last" ]]; then
  rm -rf "$cache"
  mkdir -p "$(dirname "$cache")"
  dotnet "$bin" setup "$cache" >&2
fi
