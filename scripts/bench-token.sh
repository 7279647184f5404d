#!/usr/bin/env bash
# bench-token.sh — lib/token's counting speed per core on the real corpus,
# with github.com/pkoukk/tiktoken-go's on the same texts beside it.
# Qwen3 is measured when scripts/token-check.sh has installed its tokenizer.json.
#
# Usage: scripts/bench-token.sh   (part of make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
export DWKIT_CORPUS=${DWKIT_CORPUS:-/usr/share/cargo/registry}
scripts/corpus.sh
echo "== token counting, one core, 20 MB of Rust, cold cache per run"
go test -run '^$' -bench 'Count|TiktokenGo' -benchtime 3x -cpu 1 ./lib/token | grep '^Benchmark'
