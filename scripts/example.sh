#!/usr/bin/env bash
# example.sh — the main job on real Rust code: install a corpus of real
# crates from Debian (scripts/corpus.sh), build the tools, and turn the
# corpus into training data with one pipeline of them:
#
#   dw-rustparse --calls  | dw-callgraph | dw-render --preset graph-augmented --kinds fn
#     | dw-tokwindow --max 16k | dw-fim --preset qwen
#
# then summarize the result with dw-stats.
#
# Usage: scripts/example.sh [OUT_DIR]     (make example)
# Writes OUT_DIR/rust-items.jsonl.zst (every record of dw-rustparse) and
# OUT_DIR/train.jsonl.zst (functions with their call graph, windowed to 16k
# tokens, half of them fill-in-the-middle); default OUT_DIR: out.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
corpus=${DWKIT_CORPUS:-/usr/share/cargo/registry}
scripts/corpus.sh
go build -o bin/ ./cmd/...
export PATH="$PWD/bin:$PATH"
mkdir -p "$out"

dw-rustparse --calls -o "$out/rust-items.jsonl.zst" "$corpus"
dw-callgraph -i "$out/rust-items.jsonl.zst" |
  dw-render --preset graph-augmented --kinds fn |
  dw-tokwindow --max 16k |
  dw-fim --preset qwen -o "$out/train.jsonl.zst"
echo "wrote $out/rust-items.jsonl.zst ($(du -h "$out/rust-items.jsonl.zst" | cut -f1)) and $out/train.jsonl.zst ($(du -h "$out/train.jsonl.zst" | cut -f1))"
dw-stats -i "$out/train.jsonl.zst" --by fim.mode --format table
