#!/usr/bin/env bash
# bench-mix.sh — dw-mix on the real corpus (issue 13): peak memory of a
# shuffle of an input ten times larger than --memory, dedup throughput per
# core (exact and near, the whole tool: read, dedup, spill, write), and
# MinHash signatures per second per core (Go benchmark, lib/mix).
#
# Usage: scripts/bench-mix.sh [MEMORY_MB]   (part of make bench; default 64)
set -euo pipefail
cd "$(dirname "$0")/.."
mem=${1:-64}
corpus=${DWKIT_CORPUS:-/usr/share/cargo/registry}
export DWKIT_CORPUS=$corpus
scripts/corpus.sh
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
go build -o bin/ ./cmd/dw-rustparse ./cmd/dw-mix
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bin/dw-rustparse --kinds fn,impl,struct,enum,trait "$corpus" 2>/dev/null > "$work/items.jsonl"
items=$(stat -c %s "$work/items.jsonl")
: > "$work/big.jsonl"
while [ "$(stat -c %s "$work/big.jsonl")" -lt $((mem * 10 * 1048576)) ]; do
  cat "$work/items.jsonl" >> "$work/big.jsonl"
done
big=$(stat -c %s "$work/big.jsonl")
echo "== dw-mix shuffle: $(( big / 1048576 )) MiB of records ($(wc -l < "$work/big.jsonl") records) with --memory ${mem}MiB"
/usr/bin/time -v -o "$work/time" bin/dw-mix "$work/big.jsonl" --memory "${mem}MiB" --temp-dir "$work" --seed 42 >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$work/time")
awk -v kb="$kb" -v m="$mem" -v s="$secs" -v mb="$(( big / 1048576 ))" \
  'BEGIN {printf "%.1f s (%.0f MiB/s); peak RSS %.1f MiB for --memory %d MiB: %s\n", s, mb / s, kb / 1024, m, (kb / 1024 <= m ? "within the bound" : "OVER THE BOUND")}'

echo "== dw-mix dedup on the corpus's items: $(( items / 1000000 )) MB, $(wc -l < "$work/items.jsonl") records"
# Per core: MB over the CPU seconds taken (user + system), which holds on a
# machine busy with other work; wall-clock MB/s beside it.
for args in "--dedup exact --workers 1" "--dedup near --workers 1" "--dedup near --workers $(nproc)"; do
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" bin/dw-mix "$work/items.jsonl" $args --temp-dir "$work" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r secs user sys kb <"$work/time"
  removed=$(grep -o 'removed .*' "$work/err" | head -1)
  awk -v s="$secs" -v user="$user" -v sys="$sys" -v kb="$kb" -v a="$args" -v mb="$(( items / 1000000 ))" -v r="$removed" \
    'BEGIN {cpu = user + sys; printf "%-32s %.2f s (%.1f MB/s), %.2f CPU s: %.1f MB/s per core, peak %.0f MB; %s\n", a, s, mb / s, cpu, mb / cpu, kb / 1024, r}'
done

echo "== MinHash (256 permutations, 5-word shingles), exact keys and the whole near dedup on 1.2 KB pieces of the corpus, one core (per CPU second and per wall second)"
go test -run '^$' -bench 'Signature|ExactKey|NearDedup' -benchtime 3x -cpu 1 ./lib/mix | grep '^Benchmark'
