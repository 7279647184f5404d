#!/usr/bin/env bash
# bench-token.sh — lib/token's counting speed per core on the real corpus,
# with github.com/pkoukk/tiktoken-go's on the same texts beside it.
# Qwen3 is measured when scripts/token-check.sh has installed its tokenizer.json.
# Then the worst case, one long piece at three lengths (scripts/bench-token-worst.sh).
#
# Usage: scripts/bench-token.sh   (part of make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
export DWKIT_CORPUS=${DWKIT_CORPUS:-/usr/share/cargo/registry}
scripts/corpus.sh
echo "== token counting, one core, 20 MB of Rust, cold cache per run"
go test -run '^$' -bench 'Count|TiktokenGo' -benchtime 3x -cpu 1 ./lib/token | grep '^Benchmark'

scripts/bench-token-worst.sh

echo "== dw-tokwindow end to end, all $(nproc) cores, the corpus's files as records"
go build -o bin/ ./cmd/dw-rustparse ./cmd/dw-tokwindow
records=$(mktemp)
trap 'rm -f "$records"' EXIT
bin/dw-rustparse --kinds file "$DWKIT_CORPUS" 2>/dev/null > "$records"
for args in "--max 16k" "--max 16k --overlap 200" "--min 1k --max 16k --group-by rust.crate --mix 1k-4k:25,4k-10k:50,10k-16k:25"; do
  /usr/bin/time -f '%e %M' -o /tmp/dwkit-tw.time bin/dw-tokwindow $args < "$records" >/dev/null 2>/tmp/dwkit-tw.err
  read -r secs kb </tmp/dwkit-tw.time
  awk -v s="$secs" -v kb="$kb" -v c="$(nproc)" -v a="$args" -v mb="$(du -m "$records" | cut -f1)" \
    'BEGIN {printf "%-80s %.2f s, %.1f MB/s of records, %.1f MB/s per core, peak %.0f MB\n", a, s, mb/s, mb/s/c, kb/1024}'
done
