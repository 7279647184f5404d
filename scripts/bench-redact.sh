#!/usr/bin/env bash
# bench-redact.sh — dw-redact over every file of the real corpus: time, MB/s,
# peak memory, and what it changes there (records and findings per rule:
# on code without planted secrets, every change is a false positive or a
# real key in test code).
#
# Usage: scripts/bench-redact.sh   (part of make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${DWKIT_CORPUS:-/usr/share/cargo/registry}
scripts/corpus.sh
go build -o bin/ ./cmd/dw-rustparse ./cmd/dw-redact
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin/dw-rustparse --kinds file "$corpus" 2>/dev/null > "$work/files.jsonl"
mb=$(( $(stat -c %s "$work/files.jsonl") / 1000000 ))
echo "== dw-redact over $(wc -l < "$work/files.jsonl") file records, $mb MB, $(nproc) cores"
/usr/bin/time -f '%e %M' -o "$work/time" bin/dw-redact -i "$work/files.jsonl" >/dev/null 2>"$work/err"
read -r secs kb <"$work/time"
awk -v mb="$mb" -v s="$secs" -v kb="$kb" 'BEGIN {printf "%.1f s, %.1f MB/s, peak %.0f MB\n", s, mb / s, kb / 1024}'
tail -1 "$work/err"
