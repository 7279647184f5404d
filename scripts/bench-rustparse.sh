#!/usr/bin/env bash
# bench-rustparse.sh — dw-rustparse's speed and memory on the real corpus.
#
# 1. Per core (one goroutine): tree-sitter's parse alone, parse + flattening,
#    and the whole extraction, as Go benchmarks in lib/rust.
# 2. All cores: tree-sitter's parse alone over the corpus (the yardstick),
#    then dw-rustparse end to end (walk + parse + extract + encode + write)
#    over the same corpus, best of 3, with its peak resident memory.
# Prints MB/s, MB/s per core, peak memory and end-to-end time ÷ parse time.
#
# Usage: scripts/bench-rustparse.sh   (make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${DWKIT_CORPUS:-/usr/share/cargo/registry}
export DWKIT_CORPUS=$corpus
scripts/corpus.sh
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
go build -o bin/ ./cmd/dw-rustparse
cores=$(nproc)

echo "== per core (go test -bench, -cpu 1)"
go test -run '^$' -bench 'ParseOnly$|ParseFlat|Extract' -benchtime 1x -cpu 1 ./lib/rust | grep '^Benchmark'

echo "== all $cores cores"
parse=$(go test -run '^$' -bench 'ParseOnlyAllCores' -benchtime 3x ./lib/rust | awk '/^Benchmark/ {print $(NF-1)}')
echo "tree-sitter parse only:   $parse MB/s"

best=""
for _ in 1 2 3; do
  /usr/bin/time -f '%e %M' -o /tmp/dwkit-bench.time bin/dw-rustparse "$corpus" 2>/tmp/dwkit-bench.err >/dev/null
  read -r secs kb </tmp/dwkit-bench.time
  if [ -z "$best" ] || awk "BEGIN {exit !($secs < $best)}"; then best=$secs; peak=$kb; fi
done
mb=$(sed -n 's/.* files (\([0-9.]*\) MB).*/\1/p' /tmp/dwkit-bench.err)
awk -v mb="$mb" -v s="$best" -v kb="$peak" -v cores="$cores" -v parse="$parse" 'BEGIN {
  rate = mb / s
  printf "dw-rustparse end to end:  %.1f MB in %.2f s = %.1f MB/s, %.1f MB/s per core, peak %.0f MB\n", mb, s, rate, rate / cores, kb / 1024
  printf "end-to-end time / parse-only time: %.2f (target <= 1.40)\n", parse / rate
}'
tail -1 /tmp/dwkit-bench.err

echo "== hostile sources: dw-rustparse --calls stays linear (issue 9)"
hostile=$(mktemp -d)
trap 'rm -rf "$hostile"' EXIT
for calls in 16000 81000; do
  mkdir -p "$hostile/chain-$calls/src"
  { printf 'pub fn big() { a'; for ((i = 0; i < calls; i++)); do printf '.b().a'; done; printf '.c(); }\n'; } >"$hostile/chain-$calls/src/lib.rs"
done
for depth in 2500 20000; do
  mkdir -p "$hostile/nest-$depth/src"
  { for ((i = 0; i < depth; i++)); do printf 'mod a { '; done; printf 'fn f() {}'; for ((i = 0; i < depth; i++)); do printf ' }'; done; echo; } >"$hostile/nest-$depth/src/lib.rs"
done
for case in chain-16000 chain-81000 nest-2500 nest-20000; do
  src="$hostile/$case/src/lib.rs"
  /usr/bin/time -f '%e %M' -o /tmp/dwkit-bench.time bin/dw-rustparse --calls "$hostile/$case" 2>/dev/null >"$hostile/out.jsonl"
  read -r secs kb </tmp/dwkit-bench.time
  awk -v c="$case" -v src="$(stat -c %s "$src")" -v s="$secs" -v kb="$kb" -v out="$(stat -c %s "$hostile/out.jsonl")" \
    'BEGIN {printf "%-12s %4.0f KB of source: %.2f s, peak %.0f MB, %.1f MB of records\n", c, src / 1024, s, kb / 1024, out / 1e6}'
done
