# Sourced from the repository root by the benches that time ./lstranslate. libgomp threads sleep between parallel regions
# instead of spinning (on a shared machine a descheduled peer makes a spinning one burn its time slice), and the CLI is
# built here, outside any measurement. `bench_cache NAME` makes the bench's cache folder under $BENCH_CACHE (default
# /tmp/lstranslate-bench) and prints its path.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
./lstranslate --help > /dev/null
bench_cache() {
  local dir="${BENCH_CACHE:-/tmp/lstranslate-bench}/$1"
  mkdir -p "$dir"
  echo "$dir"
}
