#!/usr/bin/env bash
# Interleaves the outputs of `lstranslate decode --shard K/N` (K = 0 … N-1, given in that order) back into input
# order on stdout: line 1 of shard 0, line 1 of shard 1, …, line 1 of shard N-1, line 2 of shard 0, …
#   scripts/merge-shards.sh out.0 out.1 out.2 > out
# Shard K holds input lines K+1, K+1+N, …, so the counts of one input's shards never rise from one shard to the next
# and differ by at most one; other counts (a shard missing lines, files out of order) stop it with one error line.
# Only formats with one output line per input line merge this way (not --nbest above 1).
set -euo pipefail
if (( $# < 1 )); then
  echo "merge-shards.sh: usage: merge-shards.sh OUT0 OUT1 … OUT(N-1) (the outputs of --shard 0/N … N-1/N, in that order)" >&2
  exit 2
fi
counts=()
for file in "$@"; do
  if [[ ! -r "$file" ]]; then echo "merge-shards.sh: $file: no such readable file" >&2; exit 2; fi
  # Lines as decode writes them: each ends in \n (a last line without one still counts).
  counts+=("$(awk 'END { print NR }' "$file")")
done
for (( k = 1; k < $#; k++ )); do
  if (( counts[k] > counts[k - 1] || counts[k] < counts[0] - 1 )); then
    echo "merge-shards.sh: line counts ${counts[*]} (files in shard order) cannot be the shards of one input: each must have as many lines as shard 0 or one fewer, never more than the shard before it" >&2
    exit 1
  fi
done
# One reader per shard, in turn, until shard 0 runs out; awk keeps the bytes of each line as they are.
awk '
  BEGIN {
    for (line = 1; ; line++) {
      for (k = 1; k < ARGC; k++) {
        got = (getline text < ARGV[k])
        if (got < 0) { print "merge-shards.sh: cannot read " ARGV[k] > "/dev/stderr"; exit 1 }
        if (got == 0) { if (k == 1) exit 0; else break }
        print text
      }
      if (got == 0) exit 0
    }
  }' "$@"
