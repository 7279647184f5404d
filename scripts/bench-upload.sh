#!/usr/bin/env bash
# bench-upload.sh — dw-upload writing Parquet from about 1 GB of records:
# rows per second, MB of input per second and peak memory (issue 12). The
# records are the corpus's dw-rustparse records, repeated to reach the size.
# Two runs: the default (columns from all records, through the spool, nested
# fields as structs) and --flatten json.
#
# Usage: scripts/bench-upload.sh [MB]   (part of make bench; default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-1000}
corpus=${DWKIT_CORPUS:-/usr/share/cargo/registry}
scripts/corpus.sh
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
go build -o bin/ ./cmd/dw-rustparse ./cmd/dw-upload
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin/dw-rustparse "$corpus" 2>/dev/null > "$work/once.jsonl"
once=$(stat -c %s "$work/once.jsonl")
: > "$work/records.jsonl"
while [ "$(stat -c %s "$work/records.jsonl")" -lt $((want * 1000000)) ]; do
  cat "$work/once.jsonl" >> "$work/records.jsonl"
done
rows=$(wc -l < "$work/records.jsonl")
mb=$(( $(stat -c %s "$work/records.jsonl") / 1000000 ))
echo "== dw-upload --out: $rows records, $mb MB of NDJSON ($(( once / 1000000 )) MB of corpus records, repeated)"
for flags in "" "--flatten json"; do
  rm -rf "$work/ds"
  # shellcheck disable=SC2086
  /usr/bin/time -f '%e %M' -o "$work/time" bin/dw-upload bench/corpus --out "$work/ds" $flags -i "$work/records.jsonl" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r secs kb <"$work/time"
  parquet=$(du -sm "$work/ds/data" | cut -f1)
  awk -v r="$rows" -v mb="$mb" -v s="$secs" -v kb="$kb" -v pq="$parquet" -v f="${flags:-default}" \
    'BEGIN {printf "%s: %.2f s: %.0f rows/s, %.1f MB/s of input, peak %.0f MB; %d MB of Parquet\n", f, s, r / s, mb / s, kb / 1024, pq}'
done
