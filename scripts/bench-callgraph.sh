#!/usr/bin/env bash
# bench-callgraph.sh — dw-callgraph's time and peak memory on the real corpus,
# from dw-rustparse --calls records (no second parse) and from plain records,
# and on a 40 MB workspace (the corpus's first crates, 40 MB of .rs files)
# from --calls records, and its resolved share.
#
# Usage: scripts/bench-callgraph.sh   (part of make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${DWKIT_CORPUS:-/usr/share/cargo/registry}
scripts/corpus.sh
go build -o bin/ ./cmd/dw-rustparse ./cmd/dw-callgraph
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# report INPUT LABEL: one line of time, peak memory, counts and the resolved share
# (resolved / resolved + unresolved) of dw-callgraph over $work/INPUT.jsonl.
report() {
  /usr/bin/time -f '%e %M' -o "$work/time" bin/dw-callgraph -i "$work/$1.jsonl" --format graph >/dev/null 2>"$work/err"
  read -r secs kb <"$work/time"
  printf '%-6s records: %s s, peak %.0f MB; %s; resolved share %s\n' "$2" "$secs" "$(awk -v k="$kb" 'BEGIN{print k/1024}')" \
    "$(tail -1 "$work/err")" "$(tail -1 "$work/err" | awk '{r = $4; u = $7; printf "%.1f %%", 100 * r / (r + u)}')"
}
bin/dw-rustparse --calls "$corpus" 2>/dev/null > "$work/calls.jsonl"
bin/dw-rustparse "$corpus" 2>"$work/parse.err" > "$work/plain.jsonl"
mb=$(sed -n 's/.* files (\([0-9.]*\) MB).*/\1/p' "$work/parse.err")
echo "== dw-callgraph over $mb MB of Rust, $(nproc) cores"
for input in calls plain; do
  report "$input" "$input"
done
slice=$work/slice40
mkdir -p "$slice"
total=0
for d in "$corpus"/*/; do
  [ "$total" -lt 40000000 ] || break
  total=$((total + $(find "$d" -name '*.rs' -printf '%s\n' | awk '{t += $1} END {print t + 0}')))
  cp -r "$d" "$slice/"
done
bin/dw-rustparse --calls "$slice" 2>"$work/parse.err" >"$work/slice.jsonl"
echo "== a 40 MB workspace: $(ls "$slice" | wc -l) crates, $(sed -n 's/.* files (\([0-9.]*\) MB).*/\1/p' "$work/parse.err") MB of Rust kept"
report slice calls
