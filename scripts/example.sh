#!/usr/bin/env bash
# example.sh — the main job on real Rust code: install a corpus of real
# crates from Debian (scripts/corpus.sh), build the tools, and turn the
# corpus into records with dw-rustparse.
#
# Usage: scripts/example.sh [OUT_DIR]     (make example)
# Writes OUT_DIR/rust-items.jsonl.zst (default OUT_DIR: out) and prints the
# run's summary and one record.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
corpus=${DWKIT_CORPUS:-/usr/share/cargo/registry}
scripts/corpus.sh
go build -o bin/ ./cmd/...
mkdir -p "$out"
bin/dw-rustparse -o "$out/rust-items.jsonl.zst" "$corpus"
echo "wrote $out/rust-items.jsonl.zst ($(du -h "$out/rust-items.jsonl.zst" | cut -f1))"
echo "one record, the impl of From<Error> in serde_json, cut to 600 bytes:"
bin/dw-rustparse --kinds impl -o "$out/serde_json-impls.jsonl" "$corpus/serde_json-1.0.87" 2>/dev/null
grep -m1 '"trait":"From<Error>"' "$out/serde_json-impls.jsonl" | cut -c1-600
