#!/usr/bin/env bash
# docs-token-aware (create_token_aware_dataset.py): ## sections with the code
# they cite and, for each function in it, its call graph (calls, called by,
# tree, flow); windows of at most 16k tokens steered to 25/50/25 % small,
# medium and large, 200 tokens of overlap.
. "$(dirname "$0")/common.sh"
need_pages
begin docs-token-aware
dw-rustparse --calls "$REPO" | dw-callgraph -o "$DIR/items.jsonl.zst"
dw-split --levels 2 -i "$PAGES" |
  dw-link --repo "$REPO" --items "$DIR/items.jsonl.zst" |
  dw-render --template "$ROOT/scripts/recipes/token-aware.tmpl" |
  dw-tokwindow --tokenizer "$TOKENIZER" --max 16k --overlap 200 --mix 1k-4k:25,4k-10k:50,10k-16k:25 \
    -o "$DIR/data/chunks.jsonl.zst"
rm "$DIR/items.jsonl.zst"
finish
