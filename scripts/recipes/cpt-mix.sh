#!/usr/bin/env bash
# cpt-mix (train_combined_cpt.py's data): docs and code interleaved 50/50
# with seed 42, exact duplicates removed, split 98/2 without leaks. The docs
# are docs-cpt's interleaved samples, the code code-files' (made first when
# missing).
. "$(dirname "$0")/common.sh"
[ -s "$OUT/docs-cpt/data/interleaved.jsonl.zst" ] || "$ROOT/scripts/recipes/docs-cpt.sh"
[ -s "$OUT/code-files/data/files.jsonl.zst" ] || "$ROOT/scripts/recipes/code-files.sh"
begin cpt-mix
dw-mix "$OUT/docs-cpt/data/interleaved.jsonl.zst:0.5" "$OUT/code-files/data/files.jsonl.zst:0.5" --seed 42 \
  --dedup exact --split train:0.98,validation:0.02 --out-dir "$DIR/data" --out-suffix .jsonl.zst
finish
