#!/usr/bin/env bash
# bench-token-worst.sh — lib/token's worst case: a text that is one long
# pre-tokenizer piece (200,000 'a', 100,000 '漢', a run of spaces), at 50k,
# 100k and 200k characters, one core. BPE is O(n log n) per piece, so the
# time per character stays about flat as the length doubles (issue 9: it
# used to be quadratic, 29 s for 200,000 'a' on cl100k_base).
#
# Usage: scripts/bench-token-worst.sh   (part of scripts/bench-token.sh, so of make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== tokenizer worst case: one piece of N characters ('a', han: '漢', spaces), one core, a new Encoder per run (linear: 4x from 50k to 200k)"
go test -run '^$' -bench '^BenchmarkWorstCase$' -benchtime 3x -cpu 1 ./lib/token | grep '^BenchmarkWorstCase/' |
  awk '
    { split($1, part, "/"); key = part[2] " " part[3]; size = part[4]; sub(/k$/, "", size)
      ns[key, size] = $3; if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
    END {
      printf "%-12s %-7s %22s %22s %22s %9s\n", "tokenizer", "text", "50k", "100k", "200k", "200k/50k"
      for (i = 1; i <= n; i++) {
        split(order[i], k, " "); name = k[2]
        line = sprintf("%-12s %-7s", k[1], name)
        for (j = 1; j <= 3; j++) {
          s = j == 1 ? 50 : j == 2 ? 100 : 200
          t = ns[order[i], s]
          line = line sprintf(" %8.1f ms %5.0f ns/ch", t / 1e6, t / (s * 1000))
        }
        printf "%s %8.1fx\n", line, ns[order[i], 200] / ns[order[i], 50]
      }
    }'

echo "== cutting one line of 25k/50k/100k '漢' into windows of 100 tokens (lib/window, one core)"
go test -run '^$' -bench 'CutOneLine' -benchtime 3x -cpu 1 ./lib/window | grep '^Benchmark'
