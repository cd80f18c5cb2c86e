# Sourced by ./lstranslate and the benches: runs the process on tcmalloc where it is installed (Debian:
# libtcmalloc-minimal4). glibc's malloc, even keeping freed memory (HeapRetention.cs), fragments under a training
# process's mix of tensor sizes: the resident set grows and updates slow as the run goes on (tokens/s of the last
# 20 of 120 updates 0.72x the first 20 on glibc, 1.06x on tcmalloc: bench/train-throughput/run.sh --sustained).
# A preload the user chose, or LSTRANSLATE_MALLOC=glibc, wins.
if [[ -z "${LD_PRELOAD:-}" && "${LSTRANSLATE_MALLOC:-}" != "glibc" ]]; then
  lstranslate_tcmalloc="$(/sbin/ldconfig -p 2>/dev/null | sed -n 's/^[[:space:]]*libtcmalloc_minimal\.so\.4 .*=> //p' | head -1 || true)"
  if [[ -n "$lstranslate_tcmalloc" ]]; then
    export LD_PRELOAD="$lstranslate_tcmalloc"
    # tcmalloc reports every allocation over 1 GiB on stderr; a long decode's buffers may be that large.
    export TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD="${TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD:-1099511627776}"
  fi
  unset lstranslate_tcmalloc
fi
